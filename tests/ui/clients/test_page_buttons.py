"""The client page's remaining buttons, and the New client and Plan meeting actions, clicked and triggered
as a person does: each opens what it says and its work is stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.meetings.plan_dialog import PlanMeetingDialog
from companion.ui.people.move_dialog import MovePersonDialog
from tests.ui.helpers import TIMEOUT, run_edit, visible, wait_idle
from tests.ui.people.test_card_records import _two_people


def _opened(qtbot, window):
    run_edit(qtbot, window, _two_people(window))
    ids = window.test_ids
    window.open_client(ids["client"])
    page = window.clients.page
    qtbot.waitUntil(lambda: page.page is not None and page.people.model.rowCount() == 2, timeout=TIMEOUT)
    return ids, page


def _save(qtbot, window, dialog) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)


def test_add_sub_group_writes_the_sub_group_typed(qtbot, window):
    ids, page = _opened(qtbot, window)
    page.show_section("culture")
    qtbot.mouseClick(page.culture.add_sub_group, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    qtbot.keyClicks(dialog.form.editors["name"].widget, "Subsea")
    _save(qtbot, window, dialog)
    (group,) = window.worker.workspace.list(kind="sub_group")
    assert (group["name"], group["client_id"]) == ("Subsea", ids["client"])


def test_the_pack_and_plan_buttons_open_the_reader_and_the_planner_on_this_client(qtbot, window):
    ids, page = _opened(qtbot, window)
    qtbot.mouseClick(page.pack_button, Qt.MouseButton.LeftButton)
    reader = window.induction.reader
    assert window.stack.currentWidget() is reader and reader.client_id == ids["client"]
    window.open_client(ids["client"], "meetings")
    qtbot.mouseClick(page.meetings.plan_button, Qt.MouseButton.LeftButton)
    plan = visible(qtbot, window, PlanMeetingDialog)
    assert plan.client.currentData() == ids["client"]
    plan.reject()


def test_move_to_another_client_ends_the_role_here_and_starts_one_there(qtbot, window):
    ids, page = _opened(qtbot, window)
    page.show_section("people")
    page.show_person(ids["bjorn"])
    card = page.people.card
    qtbot.waitUntil(lambda: card.contact_id == ids["bjorn"], timeout=TIMEOUT)
    qtbot.mouseClick(card.move_button, Qt.MouseButton.LeftButton)
    move = visible(qtbot, window, MovePersonDialog)
    assert move.client.currentText() == "Nordlys Energi"
    qtbot.keyClicks(move.title, "Chair")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(move.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    roles = window.worker.workspace.list(kind="position", where={"contact_id": ids["bjorn"]})
    assert {(r["client_id"], r["title"], r["ended"] is None) for r in roles} == {
        (ids["client"], "CEO", False),
        (window.worker.workspace.list(kind="client", where={"name": "Nordlys Energi"})[0].id, "Chair", True),
    }


def test_new_client_and_plan_meeting_actions_open_their_dialogs(qtbot, window):
    window.clients.new_client_action.trigger()
    dialog = visible(qtbot, window, NewRecordDialog)
    qtbot.keyClicks(dialog.form.editors["name"].widget, "Borealis Foods")
    _save(qtbot, window, dialog)
    (client,) = window.worker.workspace.list(kind="client")
    assert client["name"] == "Borealis Foods"
    qtbot.waitUntil(lambda: window.clients.page.client_id == client.id, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(window.clients.rows), timeout=TIMEOUT)
    window.meetings.plan_action.trigger()
    plan = visible(qtbot, window, PlanMeetingDialog)
    assert plan.client.currentData() == client.id
    plan.reject()
