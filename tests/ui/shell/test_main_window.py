"""The real main window, driven offscreen: create, edit, undo, delete, search, attention."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from companion.core.changes import Edit
from companion.ui.common.worker import DbWorker
from companion.ui.people.directory import ContactDirectoryModel
from companion.ui.people.tab import PeopleTableModel
from companion.ui.shell.main_window import MainWindow
from tests.ui.helpers import TIMEOUT, run_edit, wait_idle


def test_create_client_through_the_dialog(qtbot, window):
    dialog = window.clients.new_client()
    name_field = dialog.form.editors["name"].widget
    assert isinstance(name_field, QLineEdit)
    name_field.setText("Kiyomizu Precision")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        dialog.buttons.accepted.emit()
    wait_idle(qtbot, window)
    assert window.clients.list_panel.model.rowCount() == 1
    assert window.stack.currentWidget() is window.clients.page
    qtbot.waitUntil(lambda: window.clients.page.title.text() == "Kiyomizu Precision", timeout=TIMEOUT)


def test_refused_save_keeps_what_was_typed(qtbot, window):
    dialog = window.clients.new_client()
    dialog.form.editors["website"].widget.setText("not a web address")
    dialog.form.editors["name"].widget.setText("Aurora Retail")
    dialog.buttons.accepted.emit()
    wait_idle(qtbot, window)
    editor = dialog.form.editors["website"]
    assert dialog.isVisible()
    assert editor.widget.text() == "not a web address"
    assert "web address" in editor.error.text() and not editor.error.isHidden()
    assert window.clients.list_panel.model.rowCount() == 0


def test_people_org_chart_edit_undo_delete_undo(qtbot, window):
    client = run_edit(
        qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Halvorsen Offshore"})
    ).created_id
    window.open_client(client, "people")

    def add(ws, name, title, boss=None):
        contact = ws.create(kind="contact", values={"name": name}).created_id
        values = {"contact_id": contact, "client_id": client, "title": title}
        if boss:
            values["reports_to_id"] = boss
        return ws.create(kind="position", values=values).created_id

    ids = {}

    def build(ws):
        ids["ceo"] = add(ws, "Ingrid Dahl", "CEO")
        ids["cfo"] = add(ws, "Per Lunde", "CFO", ids["ceo"])
        ids["cto"] = add(ws, "Sofia Lindqvist", "CTO", ids["ceo"])
        return ws.update(kind="client", id=client, values={"industry": "Energy"})

    run_edit(qtbot, window, build)
    page = window.clients.page
    qtbot.waitUntil(lambda: page.people.org_chart.box_count() == 3, timeout=TIMEOUT)
    assert page.people.org_chart.line_count() == 2
    assert page.people.model.rowCount() == 3

    # Edit through the overview form: saved as you go, then undone and redone.
    name = page.overview.form.editors["industry"].widget
    name.setText("Offshore energy")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        name.editingFinished.emit()
    wait_idle(qtbot, window)
    assert window.worker.workspace.get(kind="client", id=client)["industry"] == "Offshore energy"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert window.worker.workspace.get(kind="client", id=client)["industry"] == "Energy"
    qtbot.waitUntil(lambda: name.text() == "Energy", timeout=TIMEOUT)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.redo_action.trigger()
    wait_idle(qtbot, window)
    assert window.worker.workspace.get(kind="client", id=client)["industry"] == "Offshore energy"

    # Delete the client with everything in it, then undo: all comes back.
    run_edit(qtbot, window, lambda ws: ws.delete(kind="client", id=client, cascade=True))
    assert window.clients.list_panel.model.rowCount() == 0
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert window.clients.list_panel.model.rowCount() == 1
    assert len(window.worker.workspace.list(kind="position", where={"client_id": client})) == 3


def test_palette_finds_and_opens_a_person(qtbot, window):
    def build(ws):
        client = ws.create(kind="client", values={"name": "Borealis Foods"}).created_id
        contact = ws.create(kind="contact", values={"name": "Zoë Ødegaard"}).created_id
        return ws.create(
            kind="position", values={"contact_id": contact, "client_id": client, "title": "Buyer"}
        )

    run_edit(qtbot, window, build)
    window.search.action.trigger()
    palette = window.search.palette
    assert palette.isVisible()
    with qtbot.waitSignal(palette.sig_results_shown, timeout=TIMEOUT):
        qtbot.keyClicks(palette.input, "zoe")
    assert palette.results.count() == 1
    assert "Zoë Ødegaard" in palette.results.item(0).text()
    with qtbot.waitSignal(palette.sig_result_chosen, timeout=TIMEOUT):
        qtbot.keyClick(palette.input, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert window.stack.currentWidget() is window.clients.page
    qtbot.waitUntil(lambda: window.clients.page.title.text() == "Borealis Foods", timeout=TIMEOUT)
    assert window.clients.page.tabs.currentIndex() == 1  # People
    qtbot.waitUntil(lambda: window.clients.page.people.card.contact_id is not None, timeout=TIMEOUT)


def test_attention_list_reacts_to_an_overdue_contact(qtbot, window):
    assert window.home.page.items == []
    long_ago = (dt.date.today() - dt.timedelta(days=120)).isoformat()

    def build(ws):
        client = ws.create(kind="client", values={"name": "Aurora Retail"}).created_id
        contact = ws.create(
            kind="contact", values={"name": "Luiza Prado", "visit_frequency_days": 30}
        ).created_id
        ws.create(kind="position", values={"contact_id": contact, "client_id": client, "title": "CEO"})
        return ws.create(
            kind="interaction",
            values={"client_id": client, "date": long_ago, "channel": "meeting", "contact_ids": [contact]},
        )

    run_edit(qtbot, window, build)
    qtbot.waitUntil(lambda: any(i.title == "Luiza Prado" for i in window.home.page.items), timeout=TIMEOUT)
    item = next(i for i in window.home.page.items if i.title == "Luiza Prado")
    assert item.reason == "overdue_contact" and "90 days overdue" in item.detail


def test_quick_capture_logs_an_interaction(qtbot, window):
    client = run_edit(
        qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Aurora Retail"})
    ).created_id
    dialog = window.clients.quick_capture(client)
    dialog.summary.setPlainText("Coffee with the buyer; budget freeze until March.")
    dialog.follow_ups.setPlainText("Send pricing @ 2026-12-01\nCall in March")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        dialog.buttons.accepted.emit()
    wait_idle(qtbot, window)
    ws = window.worker.workspace
    (interaction,) = ws.list(kind="interaction")
    assert interaction["client_id"] == client
    assert sorted(f["text"] for f in ws.list(kind="follow_up")) == ["Call in March", "Send pricing"]


def test_models_pass_the_model_tester(qtmodeltester, window, qtbot):
    run_edit(
        qtbot,
        window,
        lambda ws: ws.create(kind="client", values={"name": "Aurora Retail", "tags": ["retail"]}),
    )
    qtmodeltester.check(window.clients.list_panel.model)
    people = PeopleTableModel()
    people.set_people(list(window.clients.page.page.people) if window.clients.page.page else [])
    qtmodeltester.check(people)


def test_client_list_filters_as_you_type_with_pinned_first(qtbot, window):
    def build(ws):
        for name, tags in (
            ("Zoë Foods", ["food"]),
            ("Aurora Retail", ["retail"]),
            ("Borealis Energy", ["energy"]),
        ):
            ws.create(kind="client", values={"name": name, "tags": tags})
        return ws.create(kind="client", values={"name": "Ødegaard Shipping", "aliases": ["OSS"]})

    run_edit(qtbot, window, build)
    panel = window.clients.list_panel
    names = lambda: [panel.model.index(i).data() for i in range(panel.model.rowCount())]  # noqa: E731
    assert names() == ["Aurora Retail", "Borealis Energy", "Zoë Foods", "Ødegaard Shipping"]
    panel.search.setText("zoe")
    assert names() == ["Zoë Foods"]
    panel.search.setText("oss")
    assert names() == ["Ødegaard Shipping"]  # found by its alias
    panel.search.setText("")
    panel.tag_filter.setCurrentIndex(panel.tag_filter.findData("energy"))
    assert names() == ["Borealis Energy"]
    panel.tag_filter.setCurrentIndex(0)
    zoe = window.worker.workspace.list(kind="client", where={"name": "Zoë Foods"})[0].id
    window.open_client(zoe)
    window.clients._on_page_pin_toggled(zoe)
    assert names()[0] == "Zoë Foods"
    panel.search.setText("xyz")
    assert names() == [] and not panel.empty.isHidden()


def test_shortcuts_are_listed(window):
    shortcuts = {a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()}
    assert {"Ctrl+K", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Shift+L", "Ctrl+N"} <= shortcuts
    assert QApplication.instance() is not None


def test_delete_buttons_ask_about_dependents_and_undo_brings_all_back(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    def build(ws):
        client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
        contact = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
        ws.create(kind="position", values={"contact_id": contact, "client_id": client, "title": "CEO"})
        return ws.create(
            kind="guideline",
            values={"client_id": client, "polarity": "dont", "text": "Never be late.", "scope": "client"},
        )

    guideline = run_edit(qtbot, window, build).created_id
    ws = window.worker.workspace
    client = ws.list(kind="client")[0].id
    window.open_client(client, "guidelines")
    page = window.clients.page
    qtbot.waitUntil(lambda: page.guidelines.tree.topLevelItemCount() == 1, timeout=TIMEOUT)
    page.guidelines.tree.setCurrentItem(page.guidelines.tree.topLevelItem(0).child(0))
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(page.guidelines.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert ws.count(kind="guideline") == 0
    assert "Never be late." in asked[0], "a delete asks once, naming what it deletes"

    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "1 position" in asked[1]
    assert ws.count(kind="client") == 0 and ws.count(kind="position") == 0
    for _ in range(2):
        with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
            window.undo_action.trigger()
        wait_idle(qtbot, window)
    assert ws.count(kind="client") == 1 and ws.count(kind="position") == 1
    assert ws.get(kind="guideline", id=guideline)["text"] == "Never be late."


def test_org_chart_exports_a_png_from_the_people_section(qtbot, window, tmp_path):
    def build(ws):
        client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
        contact = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
        return ws.create(kind="position", values={"contact_id": contact, "client_id": client, "title": "CEO"})

    run_edit(qtbot, window, build)
    window.open_client(window.worker.workspace.list(kind="client")[0].id, "people")
    people = window.clients.page.people
    qtbot.waitUntil(lambda: people.org_chart.box_count() == 1, timeout=TIMEOUT)
    people.views.setCurrentWidget(people.org_chart)
    assert all(button.isVisible() for button in people.chart_tools)
    assert people.export_chart(str(tmp_path / "chart.png"))
    assert (tmp_path / "chart.png").stat().st_size > 1000
    people.views.setCurrentWidget(people.table)
    assert not any(button.isVisible() for button in people.chart_tools)


def test_directory_model_loads_only_the_pages_it_shows(qtbot, qtmodeltester, window):
    from companion.ui.people import directory

    run_edit(
        qtbot,
        window,
        lambda ws: ws.apply(
            edits=[Edit("create", "contact", values={"name": f"Person {n:04d}"}) for n in range(1200)]
        ),
    )
    window.show_directory()
    model = window.people.directory.model
    qtbot.waitUntil(lambda: model.rowCount() == 1200, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: model.index(0, 0).data() == "Person 0000", timeout=TIMEOUT)
    assert model.cached_pages() == [0]  # only what the view needed so far
    assert model.index(1199, 0).data() == "…"  # not here yet: asked for
    with qtbot.waitSignal(model.sig_page_loaded, timeout=TIMEOUT):
        pass
    assert model.index(1199, 0).data() == "Person 1199"
    assert 1199 // directory.PAGE_SIZE in model.cached_pages()
    window.people.directory.table.scrollToBottom()
    qtbot.waitUntil(
        lambda: model.index(1199, 0).data(ContactDirectoryModel.IdRole) is not None, timeout=TIMEOUT
    )
    qtmodeltester.check(model)


def test_a_stopped_import_leaves_nothing_behind(qtbot, window):
    from companion.core.demo import synthetic_records
    from companion.model.errors import Interrupted

    records = synthetic_records(clients=60, seed=3)
    failures = []
    wait_idle(qtbot, window)
    outbox_before = window.worker.workspace.outbox()

    def job(ws):
        ws.interrupt()  # as the Cancel button does while the import runs
        return ws.import_records(records=records)

    with qtbot.waitSignal(window.edits.sig_failed, timeout=TIMEOUT) as blocker:
        window.edits.run(job)
    wait_idle(qtbot, window)
    failures.append(blocker.args[0])
    assert isinstance(failures[0].error, Interrupted)
    assert window.worker.workspace.count(kind="client") == 0
    assert window.worker.workspace.outbox() == outbox_before


def test_busy_indicator_offers_cancel_for_long_work(qtbot, window):
    import threading

    release = threading.Event()
    window.worker.submit(lambda ws: release.wait(5))
    qtbot.waitUntil(lambda: window.busy.isVisible(), timeout=TIMEOUT)
    assert window.busy.cancel.isEnabled()
    qtbot.mouseClick(window.busy.cancel, Qt.MouseButton.LeftButton)
    release.set()
    wait_idle(qtbot, window)
    assert not window.busy.isVisible()


def test_first_paint_from_sqlite_then_full_rows_from_the_services(qtbot, workspace, tmp_path):
    from companion.app.opener import first_paint
    from companion.ui.clients.list_panel import FIRST_PAINT_COLUMNS

    workspace.create(kind="client", values={"name": "Aurora Retail", "tags": ["retail"], "aliases": ["AR"]})
    snapshot = first_paint(workspace.path, client_fields=FIRST_PAINT_COLUMNS)
    assert snapshot is not None and snapshot[0][0][1] == "Aurora Retail"
    worker = DbWorker(None, opener=lambda: workspace)
    win = MainWindow(
        worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), first_paint=snapshot
    )
    qtbot.addWidget(win)
    try:
        with qtbot.waitSignal(win.sig_ready, timeout=TIMEOUT):
            win.show()
        assert win.clients.list_panel.model.rowCount() == 1  # painted before the services were asked anything
        qtbot.waitUntil(lambda: win.clients.list_panel.tag_filter.findData("retail") >= 0, timeout=TIMEOUT)
        win.clients.list_panel.search.setText("ar")  # the alias arrived with the full rows
        assert win.clients.list_panel.model.rowCount() == 1
    finally:
        win.close()
        worker.stop()


def test_first_paint_of_a_screenful_then_every_client(qtbot, workspace, tmp_path):
    """A first paint that read only the first clients by name and the pinned one shows them where the
    full list will, says how many clients there are, and the full list takes their place."""
    from companion.app.opener import first_paint
    from companion.ui.clients.list_panel import FIRST_PAINT_COLUMNS

    names = [f"Client {n:02}" for n in range(30)]
    workspace.apply(edits=[Edit("create", "client", None, {"name": name}) for name in names])
    every, colleagues = first_paint(workspace.path, client_fields=FIRST_PAINT_COLUMNS)
    pinned = every[-1]
    screenful = ([*every[:5], pinned], colleagues, len(every))
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("pinned", [pinned[0]])
    worker = DbWorker(None, opener=lambda: workspace)
    win = MainWindow(worker, settings, first_paint=screenful)
    qtbot.addWidget(win)
    try:
        with qtbot.waitSignal(win.sig_ready, timeout=TIMEOUT):
            win.show()
        panel = win.clients.list_panel
        model = panel.model
        shown = [model.data(model.index(row)) for row in range(model.rowCount())]
        assert shown == ["Client 29", *names[:5]]  # painted before the services were asked anything
        assert model.data(model.index(0), Qt.ItemDataRole.FontRole).bold()
        assert panel.count.text() == "30 clients"

        qtbot.waitUntil(lambda: model.rowCount() == 30, timeout=TIMEOUT)
        assert [model.data(model.index(row)) for row in range(model.rowCount())] == ["Client 29", *names[:29]]
        assert panel.count.text() == "30 clients"
    finally:
        win.close()
        worker.stop()


def test_a_first_paint_as_start_up_reads_it_shows_the_first_screenful(qtbot, workspace, tmp_path):
    from companion.app.opener import first_paint
    from companion.ui.clients.feature import marked_clients
    from companion.ui.clients.list_panel import FIRST_PAINT_COLUMNS, FIRST_SCREEN_ROWS

    made = workspace.apply(
        edits=[
            Edit("create", "client", None, {"name": f"Client {n:04}"}) for n in range(FIRST_SCREEN_ROWS + 50)
        ]
    )
    ids = {change.after["name"]: change.id for change in made.changes}
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("recent", [ids["Client 0240"]])
    snapshot = first_paint(
        workspace.path,
        client_fields=FIRST_PAINT_COLUMNS,
        first=FIRST_SCREEN_ROWS,
        also=marked_clients(settings),
    )
    worker = DbWorker(None, opener=lambda: workspace)
    win = MainWindow(worker, settings, first_paint=snapshot)
    qtbot.addWidget(win)
    try:
        win.show()
        model = win.clients.list_panel.model
        assert model.rowCount() == FIRST_SCREEN_ROWS + 1  # the recent one too, first
        assert model.data(model.index(0)) == "Client 0240"
        assert win.clients.list_panel.count.text() == f"{FIRST_SCREEN_ROWS + 50} clients"
    finally:
        win.close()
        worker.stop()


def test_the_client_list_is_on_screen_when_the_window_says_it_is_ready(qtbot, workspace, tmp_path):
    """Ready means what a person sees: the first clients drawn in the list, not rows set in its model
    (laid out in batches, 2,000 clients stayed blank on screen for four event-loop passes after ready)."""
    rows = [(f"id{n:04}", f"Client {n:04}", None, "active", None, None) for n in range(2000)]
    worker = DbWorker(None, opener=lambda: workspace)
    win = MainWindow(
        worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), first_paint=(rows, [])
    )
    qtbot.addWidget(win)
    shown: list = []
    # What the screen holds just after ready, as the start-up probe sees it when it quits.
    win.sig_ready.connect(
        lambda: QTimer.singleShot(0, lambda: shown.append(_screen_of(win.clients.list_panel.list)))
    )
    try:
        win.show()
        qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
        image, top_left = shown[0]
        background = image.pixel(top_left.x() + 150, top_left.y() + 300)
        drawn = {image.pixel(top_left.x() + x, top_left.y() + y) for x in range(4, 120) for y in range(2, 16)}
        assert drawn - {background}, "the first client's name is drawn"
    finally:
        win.close()
        worker.stop()


def _screen_of(view):
    """The screen's pixels now (what was painted, not a fresh render) and where the view's viewport is."""
    return QApplication.primaryScreen().grabWindow(0).toImage(), view.viewport().mapToGlobal(QPoint(0, 0))
