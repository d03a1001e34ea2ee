"""Contacts into the window: File → Import contacts… (a vCard, a CSV with its columns mapped), a file dropped on
the people directory or on a client, the preview's rows and choices, Import as one undo step, Cancel writing
nothing; and File → Export contacts…. Driven through the real window's widgets."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox

from companion.ui.common import theme
from companion.ui.people.import_dialog import ContactsImportDialog, ImportRowsModel
from tests.ui.helpers import SHOTS, TIMEOUT, laptop_window, run_edit, visible, wait_idle

TMP_SHOTS = Path("/tmp/shots")

VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Bjørn Haugland
N:Haugland;Bjørn;;;
ORG:Halvorsen Offshore
TITLE:CFO
EMAIL;TYPE=INTERNET,WORK:bjorn.haugland@halvorsen.no
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Ingrid Dahl
N:Dahl;Ingrid;;;
ORG:Halvorsen Offshore
TITLE:Head of Procurement
EMAIL;TYPE=INTERNET,WORK:ingrid.dahl@halvorsen.no
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAP
TEL;TYPE=CELL:+47 912 34 567
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Kari Nordmann
N:Nordmann;Kari;;;
ORG:Halvorsen Offshore
EMAIL;TYPE=INTERNET,WORK:post@halvorsen.no
END:VCARD
"""

CSV = (
    "First Name,Middle Name,Last Name,Company,Job Title,Business Phone,Mobile Phone,E-mail Address,Pager\n"
    "Zoë,,Lindqvist,Aurora Retail,Buyer,,+46 70 123 45 67,zoe.lindqvist@aurora.se,+46 8 555 000 11\n"
    "Per,,Holm,Aurora Retail,Store manager,,,per.holm@aurora.se,\n"
)


def _workspace(ws) -> dict[str, str]:
    """Two clients; Bjørn and the switchboard's Kari Nord at Halvorsen."""
    halvorsen = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    aurora = ws.create(kind="client", values={"name": "Aurora Retail"}).created_id
    bjorn = ws.create(kind="contact", values={"name": "Bjørn Haugland"}).created_id
    ws.create(
        kind="position",
        values={
            "contact_id": bjorn,
            "client_id": halvorsen,
            "title": "CFO",
            "work_email": "bjorn.haugland@halvorsen.no",
        },
    )
    reception = ws.create(kind="contact", values={"name": "Anne Reception"}).created_id
    ws.create(
        kind="position",
        values={"contact_id": reception, "client_id": halvorsen, "work_email": "post@halvorsen.no"},
    )
    return {"halvorsen": halvorsen, "aurora": aurora, "bjorn": bjorn, "reception": reception}


def _made(qtbot, window, make) -> dict[str, str]:
    """The records `make` writes, through the window (its views told), and their ids."""
    ids: dict[str, str] = {}

    def job(ws):
        ids.update(make(ws))
        return ws.create(kind="client", values={"name": "Zephyr Shipping"})

    run_edit(qtbot, window, job)
    return ids


def _names(ws) -> list[str]:
    return sorted(str(c["name"]) for c in ws.list(kind="contact"))


def _answer_open(monkeypatch, path: Path) -> list[tuple]:
    asked: list[tuple] = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: asked.append(a) or (str(path), ""))
    )
    return asked


def _dialog(qtbot, window) -> ContactsImportDialog:
    dialog = visible(qtbot, window, ContactsImportDialog)
    wait_idle(qtbot, window)
    return dialog


def _rows(dialog) -> dict[str, tuple[str, str]]:
    """Each shown row's name: (status, choice), as the table says them."""
    model = dialog.table.model()
    return {
        model.index(row, 1).data(): (model.index(row, 0).data(), model.index(row, 4).data())
        for row in range(model.rowCount())
    }


def _choose(qtbot, dialog, name: str, option: str) -> None:
    """Opens the choice of a person's row with a click and picks an option in its list."""
    table, model = dialog.table, dialog.table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == name)
    index = model.index(row, ImportRowsModel.CHOICE_COLUMN)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    qtbot.waitUntil(lambda: table.indexWidget(index) is not None, timeout=TIMEOUT)
    combo = table.indexWidget(index)
    popup = combo.view()
    number = combo.findText(option)
    assert number >= 0, [combo.itemText(i) for i in range(combo.count())]
    qtbot.waitUntil(popup.isVisible, timeout=TIMEOUT)
    item = popup.model().index(number, 0)
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(item).center())
    qtbot.waitUntil(lambda: model.index(row, 4).data() == option, timeout=TIMEOUT)


def _import(qtbot, window, dialog) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)


def test_a_vcard_imported_from_the_file_menu_is_one_undo_step(
    qtbot, window, tmp_path, monkeypatch, qtmodeltester
):
    ids = _made(qtbot, window, _workspace)
    ws = window.worker.workspace
    phone_book = tmp_path / "phone.vcf"
    phone_book.write_text(VCARDS, encoding="utf-8")
    _answer_open(monkeypatch, phone_book)
    entries = [a.objectName() for a in window.menus["&File"].actions() if not a.isSeparator()]
    assert entries[:2] == ["import_contacts", "export_contacts"]
    window.people.import_action.trigger()
    dialog = _dialog(qtbot, window)

    assert dialog.heading.text() == "Import contacts from phone.vcf"
    assert dialog.facts.text().startswith("vCard · 3 contacts")
    assert not dialog.columns_box.isVisible(), "a vCard has no columns to map"
    rows = _rows(dialog)
    assert rows["Bjørn Haugland"] == ("Already here", "Merge into Bjørn Haugland")
    assert rows["Ingrid Dahl"] == ("New", "Create new")
    assert rows["Kari Nordmann"][0] == "Possible duplicate of Anne Reception"
    assert rows["Kari Nordmann"][1] == "Skip"
    assert dialog.counts.text() == "1 new, 1 same, 1 possible duplicate"
    assert dialog.photos.isVisible() and dialog.photos.text().startswith("1 card holds a photo")
    qtmodeltester.check(dialog.model)
    # Only the possible duplicates, through the filter.
    dialog.shown.setCurrentIndex(dialog.shown.findData("possible"))
    assert list(_rows(dialog)) == ["Kari Nordmann"]
    dialog.shown.setCurrentIndex(0)

    _choose(qtbot, dialog, "Kari Nordmann", "Create new")
    assert "add 2 people" in dialog.plan.text()
    _import(qtbot, window, dialog)
    assert not [d for d in window.findChildren(ContactsImportDialog) if d.isVisible()]
    assert _names(ws) == ["Anne Reception", "Bjørn Haugland", "Ingrid Dahl", "Kari Nordmann"]
    ingrid = next(c for c in ws.list(kind="contact") if c["name"] == "Ingrid Dahl")
    [role] = ws.list(kind="position", where={"contact_id": ingrid.id})
    assert (role["client_id"], role["title"]) == (ids["halvorsen"], "Head of Procurement")
    assert (
        window.statusBar().currentMessage()
        == "Imported phone.vcf: 2 added, 0 updated, 1 unchanged, 0 skipped"
    )
    assert window.undo_action.text() == "Undo import contacts from phone.vcf"

    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert _names(ws) == ["Anne Reception", "Bjørn Haugland"]


def test_a_file_imported_again_changes_nothing_and_cancel_writes_nothing(
    qtbot, window, tmp_path, monkeypatch
):
    _made(qtbot, window, _workspace)
    ws = window.worker.workspace
    phone_book = tmp_path / "phone.vcf"
    phone_book.write_text(VCARDS, encoding="utf-8")
    _answer_open(monkeypatch, phone_book)
    window.people.import_action.trigger()
    _import(qtbot, window, _dialog(qtbot, window))
    before = _names(ws)
    window.people.import_action.trigger()
    dialog = _dialog(qtbot, window)
    assert {status for status, _choice in _rows(dialog).values()} == {
        "Already here",
        "Possible duplicate of Anne Reception",
    }
    assert dialog.counts.text() == "0 new, 2 same, 1 possible duplicate"
    assert "changes nothing" in dialog.plan.text()
    outbox = ws.outbox_count()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert _names(ws) == before and ws.outbox_count() == outbox


def test_a_csv_file_s_columns_are_mapped_in_the_preview(qtbot, window, tmp_path, monkeypatch):
    ids = _made(qtbot, window, _workspace)
    ws = window.worker.workspace
    export = tmp_path / "outlook.csv"
    export.write_text(CSV, encoding="utf-8")
    _answer_open(monkeypatch, export)
    window.people.import_action.trigger()
    dialog = _dialog(qtbot, window)
    assert dialog.facts.text().startswith("CSV (Outlook) · 2 contacts · 9 columns")
    assert dialog.columns_box.isVisible()
    combos = dialog.mapping.combos
    assert combos["E-mail Address"].currentData() == "email_work"
    assert combos["Pager"].currentData() == ""
    assert _rows(dialog)["Zoë Lindqvist"] == ("New", "Create new")
    model = dialog.table.model()
    zoe = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == "Zoë Lindqvist")
    assert model.index(zoe, 2).data() == "Aurora Retail"
    assert "phone" in model.index(zoe, 3).data() and "work phone" not in model.index(zoe, 3).data()

    # The pager is the office line: mapped through its combo, the preview is read again.
    combo = combos["Pager"]
    combo.setCurrentIndex(combo.findData("phone_work"))
    qtbot.waitUntil(lambda: not dialog.reading, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "work phone +46 8 555 000 11" in model.index(zoe, 3).data(), timeout=TIMEOUT)
    _import(qtbot, window, dialog)
    zoe_id = next(c.id for c in ws.list(kind="contact") if c["name"] == "Zoë Lindqvist")
    [role] = ws.list(kind="position", where={"contact_id": zoe_id})
    assert role["client_id"] == ids["aurora"] and role["work_phone"]


def _drop(widget, paths: list[Path], at=None) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = QPointF(at) if at is not None else QPointF(widget.width() / 2, widget.height() / 2)
    # As a drag does: it enters the widget (which becomes the drag's target), then drops there.
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where.toPoint(), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, QDropEvent(where, Qt.DropAction.CopyAction, mime, buttons, keys))


def test_files_dropped_on_the_directory_and_on_a_client(qtbot, window, tmp_path):
    ids = _made(qtbot, window, _workspace)
    phone_book = tmp_path / "phone.vcf"
    phone_book.write_text(VCARDS, encoding="utf-8")
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4\n")
    window.people.action.trigger()
    directory = window.people.directory
    _drop(directory, [report])
    assert window.statusBar().currentMessage().startswith("report.pdf is not a contacts file")
    _drop(directory, [phone_book])
    dialog = _dialog(qtbot, window)
    assert dialog.into.currentData() is None and len(_rows(dialog)) == 3
    dialog.reject()

    # On a client in the list: into that client (here Aurora, whatever the cards' organisation).
    panel = window.clients.list_panel
    row = panel.model.row_of(ids["aurora"])
    _drop(panel.list.viewport(), [phone_book], panel.list.visualRect(panel.model.index(row)).center())
    dialog = _dialog(qtbot, window)
    assert dialog.into.currentText() == "Aurora Retail"
    model = dialog.table.model()
    assert {model.index(r, 2).data() for r in range(model.rowCount())} == {
        "Halvorsen Offshore → Aurora Retail"
    }
    dialog.reject()

    # On a client's People section.
    window.open_client(ids["halvorsen"], "people")
    wait_idle(qtbot, window)
    _drop(window.clients.page.people, [phone_book])
    dialog = _dialog(qtbot, window)
    assert dialog.into.currentData() == ids["halvorsen"]
    dialog.reject()

    # A file refused whole: one message naming it, and no preview.
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    window.people.show_directory()
    _drop(directory, [empty])
    wait_idle(qtbot, window)
    [box] = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert "empty.csv" in box.text() and "Traceback" not in (box.detailedText() or "")
    assert not [d for d in window.findChildren(ContactsImportDialog) if d.isVisible()]


def test_export_contacts_writes_the_client_s_people_as_vcard_3(qtbot, window, tmp_path, monkeypatch):
    ids = _made(qtbot, window, _workspace)
    window.open_client(ids["halvorsen"])
    wait_idle(qtbot, window)
    out = tmp_path / "halvorsen"
    asked: list[tuple] = []
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: asked.append(a) or (str(out), a[3].split(";;")[1])),
    )
    window.people.export_action.trigger()
    qtbot.waitUntil(lambda: "Saved 2 contacts" in window.statusBar().currentMessage(), timeout=TIMEOUT)
    assert asked[0][1] == "Export the people of Halvorsen Offshore"
    assert Path(asked[0][2]).name == "Halvorsen Offshore contacts.vcf"
    text = (tmp_path / "halvorsen.vcf").read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 2 and "VERSION:3.0" in text and "Bjørn Haugland" in text


def test_screenshots_of_the_import_preview(qtbot, workspace, tmp_path, monkeypatch):
    """The preview of a CSV export over the window at 1366×768, dark and light: new, same and possible rows,
    problems, the columns' mapping."""
    from companion.core.demo import load_demo

    load_demo(workspace)
    clients = {c.id: str(c["name"]) for c in workspace.list(kind="client")}
    rows = [("First Name", "Last Name", "Company", "Job Title", "E-mail Address", "Business Phone", "Notes")]
    for number, role in enumerate(workspace.list(kind="position")[:8]):
        first, _, last = str(workspace.get(kind="contact", id=str(role["contact_id"]))["name"]).partition(" ")
        if number == 2:  # typed again in the CRM, a letter off: a possible duplicate
            last, role = last + "s", {**role.values, "work_email": None}
        rows.append(
            (
                first,
                last,
                clients[str(role["client_id"])],
                role["title"] or "",
                role["work_email"] or "",
                "",
                "",
            )
        )
    rows += [
        ("Siri", "Bakken-Johansen", "Nordlys Havbruk og Sjømat Holding AS", "Chief Sustainability Officer",
         "siri.bakken-johansen@nordlys-havbruk.no", "+47 22 33 44 55", "Wants the ESG figures before Q3"),
        ("Tomasz", "Wiśniewski", "Aurora Retail", "Category manager", "tomasz.w@aurora.example", "+48 601 234 567", ""),
        ("", "", "Van Rijn Logistiek B.V.", "", "", "", "The front desk"),
        ("Lars", "Eriksen", "", "", "lars.eriksen@", "", ""),
    ]  # fmt: skip
    export = tmp_path / "crm-export.csv"
    with export.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(export), "")))
    window = laptop_window(qtbot, workspace, tmp_path, "dark")
    try:
        qtbot.waitUntil(lambda: window.settled, timeout=TIMEOUT)
        window.people.import_action.trigger()
        dialog = _dialog(qtbot, window)
        dialog.create_clients.setChecked(True)
        qtbot.waitUntil(lambda: not dialog.reading, timeout=TIMEOUT)
        assert dialog.counts.text() == "3 new, 7 same, 1 possible duplicate, 2 problems"
        _save_over(qtbot, window, dialog, "contacts_import_dark")
        theme.apply(QApplication.instance(), "light")
        _save_over(qtbot, window, dialog, "contacts_import_light")
        dialog.reject()
    finally:
        window.close()
        window.worker.stop()


def _save_over(qtbot, window, dialog, name: str) -> None:
    """The window with the dialog drawn over its middle, as a person sees it."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    wait_idle(qtbot, window)
    qtbot.wait(50)
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(
        QPoint((shot.width() - dialog.width()) // 2, (shot.height() - dialog.height()) // 2), dialog.grab()
    )
    painter.end()
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert shot.save(str(path))
    TMP_SHOTS.mkdir(exist_ok=True)
    shutil.copyfile(path, TMP_SHOTS / path.name)
    assert dialog.height() <= 768 - 30  # with its title bar it fits the laptop's screen
