"""Every record a client's page shows can be kept current there: edited in place or in its form, deleted
after one question, and undone; driven through the real widgets (keys and clicks)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QPlainTextEdit

from companion.ui.common.edit_dialog import EditRecordDialog
from companion.ui.common.record_actions import RecordRole
from tests.ui.helpers import TIMEOUT, run_edit, visible, wait_idle


@pytest.fixture
def client_page(qtbot, window):
    def build(ws):
        client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
        ingrid = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
        position = ws.create(
            kind="position",
            values={"contact_id": ingrid, "client_id": client, "title": "CFO", "stance": "sceptic"},
        ).created_id
        group = ws.create(kind="sub_group", values={"client_id": client, "name": "Subsea"}).created_id
        note = ws.create(
            kind="note",
            values={"client_id": client, "title": "Budget", "body": "Frozen until March", "privacy": "team"},
        ).created_id
        interaction = ws.create(
            kind="interaction",
            values={"client_id": client, "date": "2026-11-30", "channel": "call", "contact_ids": [ingrid]},
        ).created_id
        follow_up = ws.create(
            kind="follow_up",
            values={"interaction_id": interaction, "text": "Send pricing", "due": "2026-12-01"},
        ).created_id
        ids = {"client": client, "position": position, "group": group, "note": note, "follow_up": follow_up}
        window.test_ids = ids
        return ws.update(kind="client", id=client, values={"industry": "Energy"})

    run_edit(qtbot, window, build)
    ids = window.test_ids
    window.open_client(ids["client"])
    page = window.clients.page
    qtbot.waitUntil(lambda: page.people.model.rowCount() == 1, timeout=TIMEOUT)
    return window, page, ids


def _stored(window, kind, record_id, field):
    return window.worker.workspace.get(kind=kind, id=record_id)[field]


def test_a_stance_is_changed_in_the_people_table_and_undone(qtbot, client_page):
    window, page, ids = client_page
    window.clients.page.show_section("people")
    table = page.people.table
    stance = page.people.proxy.index(0, 4)
    table.setCurrentIndex(stance)
    qtbot.keyClick(table, Qt.Key.Key_F2)  # edits in place
    combo = table.findChild(QComboBox)
    assert combo is not None
    combo.hidePopup()
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClicks(combo, "Champion")
    wait_idle(qtbot, window)
    assert _stored(window, "position", ids["position"], "stance") == "champion"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert _stored(window, "position", ids["position"], "stance") == "sceptic"


def test_enter_on_a_role_opens_its_form_and_a_title_typed_there_is_saved(qtbot, client_page):
    window, page, ids = client_page
    page.show_section("people")
    table = page.people.table
    table.setCurrentIndex(page.people.proxy.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = visible(qtbot, window, EditRecordDialog)
    title = dialog.form.editors["title"].widget
    title.selectAll()
    qtbot.keyClicks(title, "Chief Financial Officer")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(title, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert _stored(window, "position", ids["position"], "title") == "Chief Financial Officer"
    dialog.close()


def test_a_follow_up_is_ticked_done_and_snoozed_from_the_activity_section(qtbot, client_page):
    window, page, ids = client_page
    page.show_section("activity")
    tree = page.activity.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1, timeout=TIMEOUT)
    follow = tree.topLevelItem(0).child(0)
    assert follow.data(0, RecordRole) == ("follow_up", ids["follow_up"])
    tree.setCurrentItem(follow)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(tree, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    assert _stored(window, "follow_up", ids["follow_up"], "done") is True
    tree.setCurrentItem(tree.topLevelItem(0).child(0))
    before = _stored(window, "follow_up", ids["follow_up"], "due")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(page.activity.snooze_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert _stored(window, "follow_up", ids["follow_up"], "due") > before
    assert window.undo_action.text() == "Undo snooze follow-up"


def test_a_note_is_corrected_in_its_form_then_deleted_after_one_question(qtbot, client_page, monkeypatch):
    window, page, ids = client_page
    page.show_section("notes")
    notes = page.notes.list
    notes.setCurrentRow(0)
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    dialog = visible(qtbot, window, EditRecordDialog)
    privacy = dialog.form.editors["privacy"].widget
    body = dialog.form.editors["body"].widget
    assert isinstance(body, QPlainTextEdit)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(privacy, Qt.Key.Key_Down)  # team → induction-safe
    wait_idle(qtbot, window)
    assert _stored(window, "note", ids["note"], "privacy") == "induction_safe"
    dialog.close()
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **_kw: asked.append(args[2]) or QMessageBox.StandardButton.Yes
    )
    notes.setCurrentRow(0)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(notes, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    assert "Budget" in asked[0]
    assert window.worker.workspace.get(kind="note", id=ids["note"], include_deleted=True).deleted_at
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert not window.worker.workspace.get(kind="note", id=ids["note"]).deleted_at


def test_a_sub_group_is_renamed_from_the_culture_section(qtbot, client_page):
    window, page, ids = client_page
    page.show_section("culture")
    groups = page.culture.sub_groups
    qtbot.waitUntil(lambda: groups.topLevelItemCount() == 1, timeout=TIMEOUT)
    groups.setCurrentItem(groups.topLevelItem(0))
    qtbot.keyClick(groups, Qt.Key.Key_Return)
    dialog = visible(qtbot, window, EditRecordDialog)
    name = dialog.form.editors["name"].widget
    name.selectAll()
    qtbot.keyClicks(name, "Subsea & ROV")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(name, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert _stored(window, "sub_group", ids["group"], "name") == "Subsea & ROV"
    dialog.close()


def test_the_review_cadence_is_set_on_the_overview_and_a_bad_one_is_named(qtbot, client_page):
    window, page, ids = client_page
    page.show_section("overview")
    qtbot.mouseClick(page.overview.edit_button, Qt.MouseButton.LeftButton)
    editor = page.overview.form.editors["review_every_days"]
    qtbot.keyClicks(editor.widget, "3")
    qtbot.keyClick(editor.widget, Qt.Key.Key_Return)
    qtbot.waitUntil(editor.error.isVisible, timeout=TIMEOUT)
    assert "7" in editor.error.text(), editor.error.text()  # the lowest cadence, said
    assert _stored(window, "client", ids["client"], "review_every_days") is None
    editor.widget.selectAll()
    qtbot.keyClicks(editor.widget, "90")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.keyClick(editor.widget, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert _stored(window, "client", ids["client"], "review_every_days") == 90


def test_the_overview_reads_as_a_profile_and_edit_switches_to_its_form(qtbot, client_page):
    window, page, ids = client_page
    overview = page.overview
    page.show_section("overview")
    run_edit(
        qtbot,
        window,
        lambda ws: ws.update(kind="client", id=ids["client"], values={"summary": "**Subsea** first"}),
    )
    qtbot.waitUntil(lambda: "Subsea first" in overview.profile.toPlainText(), timeout=TIMEOUT)
    assert "**" not in overview.profile.toPlainText(), "markdown is rendered, not shown raw"
    assert overview.stack.currentWidget() is overview.profile
    qtbot.mouseClick(overview.edit_button, Qt.MouseButton.LeftButton)
    assert overview.stack.currentIndex() == 1 and overview.edit_button.text() == "Done"
    qtbot.mouseClick(overview.edit_button, Qt.MouseButton.LeftButton)
    assert overview.stack.currentWidget() is overview.profile
