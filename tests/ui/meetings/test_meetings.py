"""Meetings in the real window, offscreen: plan one, tick it ready, export the brief and the calendar file."""

from __future__ import annotations

import subprocess
import unicodedata

import icalendar
from PySide6.QtCore import Qt

from companion.core.changes import Edit
from companion.ui.meetings.checklist_model import ChecklistModel
from companion.ui.meetings.templates_dialog import TemplatesDialog
from tests.ui.helpers import TIMEOUT, run_edit, visible, wait_idle


def _seed(qtbot, win) -> dict[str, str]:
    ids = {"client": "0193a3c2-0000-7000-8000-000000000001", "site": "0193a3c2-0000-7000-8000-000000000002"}
    ids |= {"ingrid": "0193a3c2-0000-7000-8000-000000000003", "per": "0193a3c2-0000-7000-8000-000000000004"}
    edits = [
        Edit("create", "client", ids["client"], {"name": "Halvorsen Offshore"}),
        Edit(
            "create",
            "site",
            ids["site"],
            {
                "client_id": ids["client"],
                "name": "Ågotnes base",
                "dress_code": "Work clothes and S3 safety boots",
                "security_id": "Passport at the gate",
                "last_verified": "2026-11-01",
            },
        ),
        Edit(
            "create",
            "contact",
            ids["ingrid"],
            {"name": "Ingrid Dahl", "emails": ["ingrid@halvorsen.example"]},
        ),
        Edit("create", "contact", ids["per"], {"name": "Per Lunde"}),
        Edit(
            "create",
            "position",
            None,
            {"contact_id": ids["ingrid"], "client_id": ids["client"], "title": "CFO"},
        ),
        Edit(
            "create", "position", None, {"contact_id": ids["per"], "client_id": ids["client"], "title": "CTO"}
        ),
        Edit(
            "create",
            "guideline",
            None,
            {
                "client_id": ids["client"],
                "polarity": "dont",
                "text": "Mention the failed 2024 pilot",
                "severity": "must",
                "scope": "client",
            },
        ),
    ]
    run_edit(qtbot, win, lambda ws: ws.apply(edits=edits))
    return ids


def _check(widget, labels_starting: tuple[str, ...]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        if item.text().startswith(labels_starting):
            item.setCheckState(Qt.CheckState.Checked)


def _items(model: ChecklistModel):
    for s in range(model.rowCount()):
        section = model.index(s, 0)
        for r in range(model.rowCount(section)):
            yield model.index(r, 0, section)


def _plan_in_dialog(qtbot, win, ids) -> str:
    dialog = win.meetings.plan_meeting(ids["client"])
    qtbot.waitUntil(lambda: dialog.theirs.count() == 2 and dialog.templates.count() == 4, timeout=TIMEOUT)
    dialog.form.editors["title"].widget.setText("Quay walk with Ingrid")
    site = dialog.form.editors["site_id"].widget
    site.setCurrentIndex(site.findData(ids["site"]))
    dialog.form.editors["starts_at"].widget.setText("2031-03-04 09:00")
    dialog.form.editors["ends_at"].widget.setText("2031-03-04 11:00")
    _check(dialog.theirs, ("Ingrid Dahl", "Per Lunde"))
    _check(dialog.templates, ("Site visit",))
    with qtbot.waitSignal(win.edits.sig_changed, timeout=TIMEOUT):
        dialog.buttons.accepted.emit()
    wait_idle(qtbot, win)
    assert dialog.created_id
    page = win.meetings.page
    assert win.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.page is not None and page.model.rowCount() > 3, timeout=TIMEOUT)
    return dialog.created_id


def test_plan_tick_until_ready_and_export(qtbot, window, tmp_path, qtmodeltester):
    ids = _seed(qtbot, window)
    meeting_id = _plan_in_dialog(qtbot, window, ids)
    page = window.meetings.page
    qtmodeltester.check(page.model)
    texts = [page.model.data(i) for i in _items(page.model)]
    assert any(t.startswith("Dress code — Work clothes and S3 safety boots") for t in texts)
    # A must-item is marked by its badge (not by painting its text red).
    assert any(
        str(page.model.data(i)).startswith("Don't: Mention the failed 2024 pilot")
        and page.model.data(i, ChecklistModel.BadgeRole) == "open"
        for i in _items(page.model)
    )
    assert not page.ready_button.isEnabled(), "ready needs every must ticked"

    # Tick every must-item, one by one, as a person clicking the boxes.
    musts = [i for i in _items(page.model) if page.model.item_at(i)["must"]]
    assert len(musts) >= 5
    for index in musts:
        with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
            page.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
        wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: page.ready_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.worker.workspace.get(kind="meeting", id=meeting_id)["status"] == "ready"
    qtbot.waitUntil(lambda: page.ready_button.text() == "Back to planned", timeout=TIMEOUT)

    # The brief, on paper.
    pdf = tmp_path / "brief.pdf"
    with qtbot.waitSignal(page.sig_exported, timeout=TIMEOUT):
        page.export_pdf(str(pdf))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    for expected in (
        "Ingrid Dahl",
        "Per Lunde",
        "MUST Don't: Mention the failed 2024 pilot",
        "Work clothes and S3",
    ):
        assert expected in text, expected
    assert "Preparation: " in text

    # The calendar file, read back by the icalendar parser.
    ics = tmp_path / "meeting.ics"
    with qtbot.waitSignal(page.sig_exported, timeout=TIMEOUT):
        page.export_ics(str(ics))
    (event,) = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == "Quay walk with Ingrid"
    assert str(event["uid"]) == f"{meeting_id}@companion"
    # Per has no email: named in the description, not invited.
    assert str(event["attendee"]) == "mailto:ingrid@halvorsen.example"
    assert "Ågotnes base" in str(event["location"])


def test_checklist_follows_edits_and_keeps_ticks(qtbot, window):
    ids = _seed(qtbot, window)
    meeting_id = _plan_in_dialog(qtbot, window, ids)
    page = window.meetings.page
    dress = next(i for i in _items(page.model) if str(page.model.item_at(i)["text"]) == "Dress code")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        page.model.setData(dress, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    wait_idle(qtbot, window)
    # Someone rewrites the dress code elsewhere: the open meeting's checklist follows, tick kept.
    run_edit(qtbot, window, lambda ws: ws.update(kind="site", id=ids["site"], values={"dress_code": "Suit"}))

    def followed() -> bool:
        items = window.worker.workspace.list(kind="meeting_checklist_item", where={"meeting_id": meeting_id})
        dress_item = next(i for i in items if i["text"] == "Dress code")
        return dress_item["detail"] == "Suit" and dress_item["done"] is True

    qtbot.waitUntil(followed, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: any(str(page.model.data(i)).startswith("Dress code — Suit") for i in _items(page.model)),
        timeout=TIMEOUT,
    )
    # An item of one's own, then removing a composed one for this meeting only.
    page.new_item.setText("Print the pilot outline")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    qtbot.waitUntil(
        lambda: any(page.model.data(i) == "Print the pilot outline" for i in _items(page.model)),
        timeout=TIMEOUT,
    )
    photography = next(i for i in _items(page.model) if str(page.model.item_at(i)["text"]) == "ID and badge")
    page.tree.setCurrentIndex(photography)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    qtbot.waitUntil(
        lambda: not any(str(page.model.item_at(i)["text"]) == "ID and badge" for i in _items(page.model)),
        timeout=TIMEOUT,
    )
    # Undo brings it back.
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(
        lambda: any(str(page.model.item_at(i)["text"]) == "ID and badge" for i in _items(page.model)),
        timeout=TIMEOUT,
    )


def test_home_lists_the_meeting_and_logging_it_marks_it_held(qtbot, window):
    ids = _seed(qtbot, window)
    values = {
        "client_id": ids["client"],
        "title": "Review tomorrow",
        "starts_at": __import__("datetime").datetime.now().astimezone().replace(microsecond=0).isoformat(),
        "contact_ids": [ids["ingrid"]],
    }
    from companion.core.meetings import plan_meeting

    changes = run_edit(qtbot, window, lambda ws: plan_meeting(ws, values=values))
    meeting_id = changes.ids("meeting")[0]
    window.show_home()
    qtbot.waitUntil(
        lambda: any(i.record_id == meeting_id and "% prepared" in i.detail for i in window.home.page.items),
        timeout=TIMEOUT,
    )
    dialog = window.clients.log_meeting(meeting_id)
    # Every time Ingrid is listed, she comes ticked: the first client's people, asked for before the
    # meeting's attendees were known, are never shown unticked in between.
    ingrid_ticked = []

    def on_listed(_parent, first, last):
        for row in range(first, last + 1):
            item = dialog.people.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == ids["ingrid"]:
                ingrid_ticked.append(item.checkState() == Qt.CheckState.Checked)

    dialog.people.model().rowsInserted.connect(on_listed)
    qtbot.waitUntil(lambda: dialog.people.count() == 2, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert ingrid_ticked and all(ingrid_ticked), ingrid_ticked
    checked = [
        dialog.people.item(i).checkState() == Qt.CheckState.Checked for i in range(dialog.people.count())
    ]
    assert checked.count(True) == 1, "the meeting's attendees come ticked"
    dialog.summary.setPlainText("Ingrid agreed to the pilot")
    dialog.follow_ups.setPlainText("Send the pilot outline @ 2031-01-10")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        dialog.buttons.accepted.emit()
    wait_idle(qtbot, window)
    ws = window.worker.workspace
    assert ws.get(kind="meeting", id=meeting_id)["status"] == "held"
    assert ids["ingrid"] in ws.last_contact_dates(contact_ids=[ids["ingrid"]])
    qtbot.waitUntil(
        lambda: not any(i.record_id == meeting_id for i in window.home.page.items), timeout=TIMEOUT
    )


CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Other//EN
BEGIN:VEVENT
UID:invite-1@other.example
DTSTART:20310310T130000Z
DTEND:20310310T140000Z
SUMMARY:Call with Ingrid
ATTENDEE;CN=Ingrid Dahl:mailto:ingrid@halvorsen.example
ATTENDEE;CN=Someone:mailto:someone@else.example
END:VEVENT
END:VCALENDAR
"""


def test_import_calendar_from_the_menu_is_one_undo_step(qtbot, window, tmp_path):
    _seed(qtbot, window)
    path = tmp_path / "invite.ics"
    path.write_text(CALENDAR)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.meetings.import_calendar(str(path))
    wait_idle(qtbot, window)
    assert window.meetings.last_import.created == ("Call with Ingrid",)
    assert window.meetings.last_import.unmatched == (("Call with Ingrid", "Someone <someone@else.example>"),)
    ws = window.worker.workspace
    assert [m["title"] for m in ws.list(kind="meeting")] == ["Call with Ingrid"]
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert ws.list(kind="meeting") == [] and ws.list(kind="meeting_checklist_item") == []


def test_templates_dialog_adds_reorders_and_removes_items(qtbot, window):
    dialog = window.meetings.edit_templates()
    qtbot.waitUntil(lambda: dialog.list.count() == 4 and dialog.item_list.count() > 3, timeout=TIMEOUT)
    template = dialog.current_template()
    ws = window.worker.workspace
    dialog.new_item.setText("Bring the signed NDA")
    dialog.new_must.setChecked(True)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    qtbot.waitUntil(
        lambda: dialog.item_list.item(dialog.item_list.count() - 1).text() == "Bring the signed NDA"
    )
    items = sorted(
        ws.list(kind="checklist_template_item", where={"template_id": template.id}),
        key=lambda i: i["position"],
    )
    assert (items[-1]["text"], items[-1]["must"]) == ("Bring the signed NDA", True)
    dialog.item_list.setCurrentRow(dialog.item_list.count() - 1)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    items = sorted(
        ws.list(kind="checklist_template_item", where={"template_id": template.id}),
        key=lambda i: i["position"],
    )
    assert items[-2]["text"] == "Bring the signed NDA"
    qtbot.waitUntil(
        lambda: dialog.item_list.item(dialog.item_list.count() - 2).text() == "Bring the signed NDA"
    )
    dialog.item_list.setCurrentRow(dialog.item_list.count() - 2)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert not any(i["text"] == "Bring the signed NDA" for i in ws.list(kind="checklist_template_item"))
    dialog.reject()


def test_templates_dialog_makes_moves_down_and_deletes_a_template(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window.meetings.templates_action.trigger()
    dialog = visible(qtbot, window, TemplatesDialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 4 and dialog.item_list.count() > 3, timeout=TIMEOUT)
    ws = window.worker.workspace
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    (made,) = [t for t in ws.list(kind="checklist_template") if t["name"] == "New template"]
    qtbot.waitUntil(lambda: dialog.list.count() == 5, timeout=TIMEOUT)

    dialog.list.setCurrentRow(0)
    first = dialog.current_template()
    qtbot.waitUntil(lambda: dialog.item_list.count() > 1, timeout=TIMEOUT)
    dialog.item_list.setCurrentRow(0)
    top = dialog.item_list.item(0).text()
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    items = sorted(
        ws.list(kind="checklist_template_item", where={"template_id": first.id}), key=lambda i: i["position"]
    )
    assert items[1]["text"] == top

    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **_k: asked.append(a[2]) or QMessageBox.StandardButton.Yes
    )
    dialog.list.setCurrentRow(
        next(r for r in range(dialog.list.count()) if dialog.list.item(r).text() == "New template")
    )
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert asked and "New template" in asked[0]
    assert made.id not in {t.id for t in ws.list(kind="checklist_template")}
    qtbot.waitUntil(lambda: dialog.list.count() == 4, timeout=TIMEOUT)
    dialog.reject()
