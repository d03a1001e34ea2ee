"""The campaign-centric mode walked as a person does: the switch beside the client list, the next target
highlighted and selected, an approach logged, a target declined (refused without a reason, then saved with
one, which the proposition's feedback shows), an opportunity opened; each undone with Undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from companion.ui.sales.target_dialogs import LogApproachDialog, TargetStatusDialog
from tests.core.campaign_records import build_sales
from tests.ui.helpers import TIMEOUT, run_edit, visible, wait_idle


@pytest.fixture
def campaign(qtbot, window):
    from companion.core.campaigns import draw_targets

    ids: dict[str, str] = {}

    def build(ws):
        ids.update(build_sales(ws))
        return draw_targets(ws, ids["campaign"])

    run_edit(qtbot, window, build)
    side = window.sales.side
    qtbot.mouseClick(side.campaign_button, Qt.MouseButton.LeftButton)
    panel = window.sales.work_list
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    return window, panel, ids


def _save(qtbot, window, dialog) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)


def _undo(qtbot, window) -> None:
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)


def _row_of(panel, name: str) -> int:
    return next(n for n, r in enumerate(panel.model.rows) if r.contact_name == name)


def _select(qtbot, window, panel, name: str) -> None:
    row = _row_of(panel, name)
    rect = panel.table.visualRect(panel.model.index(row, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot, window)


def _status(ws, target_id: str) -> str:
    return ws.get(kind="campaign_target", id=target_id)["status"]


def test_the_switch_puts_the_work_list_in_place_of_the_client_list_and_back(qtbot, campaign):
    window, panel, ids = campaign
    side = window.sales.side
    assert side.stack.currentWidget() is panel and panel.isVisible()
    assert not window.clients.list_panel.isVisible()
    assert panel.campaign.currentData() == ids["campaign"]
    assert panel.campaign.currentText() == "Predictive maintenance, winter"
    ws = window.worker.workspace
    assert panel.model.rowCount() == ws.count(kind="campaign_target")
    assert panel.summary.text().startswith(f"{panel.model.rowCount()} targets: ")
    # The next one to approach is in bold on a tint; Next target selects it and opens their client on them.
    next_row = panel.model.row_of(panel.model.next_id)
    index = panel.model.index(next_row, 0)
    assert index.data(Qt.ItemDataRole.FontRole).bold()
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert panel.model.index(next_row + 1, 0).data(Qt.ItemDataRole.FontRole) is None
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    target = panel.current_target()
    assert target.id == panel.model.next_id
    qtbot.waitUntil(lambda: window.clients.showing(), timeout=TIMEOUT)
    assert window.clients.page.client_id == target.client_id
    assert window.clients.page.tabs.currentWidget() is window.clients.page.people
    # Back to the clients; the shortcut's action flips it again.
    qtbot.mouseClick(side.clients_button, Qt.MouseButton.LeftButton)
    assert side.stack.currentWidget() is window.clients.list_panel
    window.sales.work_list_action.trigger()
    assert side.stack.currentWidget() is panel


def test_the_target_model_passes_the_model_tester(qtmodeltester, campaign):
    _window, panel, _ids = campaign
    qtmodeltester.check(panel.model)


def test_an_approach_is_logged_with_the_persons_channel_and_undone(qtbot, campaign):
    window, panel, ids = campaign
    ws = window.worker.workspace
    _select(qtbot, window, panel, "Ingrid Dahl")
    target = panel.current_target()
    assert target.route_via_name == "Siri Moe"
    assert "Siri Moe" in panel.detail.text()
    qtbot.waitUntil(lambda: window.clients.page.client_id == ids["halvorsen"], timeout=TIMEOUT)
    qtbot.mouseClick(panel.log_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, LogApproachDialog)
    assert dialog.channel.currentData() == "email", "she prefers email"
    assert dialog.status.currentData() == "approached"
    qtbot.keyClicks(dialog.summary, "Sent the case study; she will read it.")
    dialog.sentiment.setCurrentIndex(dialog.sentiment.findData("positive"))
    qtbot.keyClicks(dialog.next_step, "Call about the case")
    qtbot.keyClicks(dialog.next_step_due, "2030-01-15")
    _save(qtbot, window, dialog)
    saved = ws.get(kind="campaign_target", id=target.id)
    assert saved["status"] == "approached" and saved["next_step"] == "Call about the case"
    assert saved["next_step_due"] == "2030-01-15"
    (interaction,) = ws.list(kind="interaction")
    assert interaction["channel"] == "email" and interaction["contact_ids"] == [ids["ingrid"]]
    assert interaction["sentiment"] == "positive"
    row = _row_of(panel, "Ingrid Dahl")
    qtbot.waitUntil(
        lambda: panel.model.rows[_row_of(panel, "Ingrid Dahl")].status == "approached", timeout=TIMEOUT
    )
    assert panel.model.index(row, 2).data() == "Approached"
    assert panel.current_target().id == target.id, (
        "the selection stays on the person after the list reads again"
    )

    _undo(qtbot, window)
    assert _status(ws, target.id) == "to_approach"
    assert ws.list(kind="interaction") == []


def test_a_decline_needs_its_reason_which_the_propositions_feedback_shows(qtbot, campaign):
    window, panel, _ids = campaign
    ws = window.worker.workspace
    _select(qtbot, window, panel, "Per Lunde")
    target = panel.current_target()
    qtbot.mouseClick(panel.status_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, TargetStatusDialog)
    assert not dialog.reason.edit.isVisible()
    dialog.status.setCurrentIndex(dialog.status.findData("declined"))
    assert dialog.reason.edit.isVisible()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.reason.error.isVisible, timeout=TIMEOUT)
    assert dialog.reason.error.text() == "is required when status is declined"
    assert dialog.isVisible() and dialog.status.currentData() == "declined", "nothing chosen is lost"
    assert _status(ws, target.id) == "to_approach"
    qtbot.keyClicks(dialog.reason.edit, "Budget frozen until 2027")
    _save(qtbot, window, dialog)
    assert not dialog.isVisible()
    saved = ws.get(kind="campaign_target", id=target.id)
    assert saved["status"] == "declined" and saved["reason"] == "Budget frozen until 2027"
    qtbot.waitUntil(
        lambda: panel.model.rows[_row_of(panel, "Per Lunde")].status == "declined", timeout=TIMEOUT
    )
    assert not panel.log_button.isEnabled(), "a declined target has no approach left to log"

    # The proposition's owner reads the reason as the market's feedback.
    window.sales.show("propositions")
    view = window.sales.page.propositions
    qtbot.waitUntil(lambda: "Budget frozen until 2027" in view.text.toPlainText(), timeout=TIMEOUT)
    assert "1 declined" in view.text.toPlainText()

    _undo(qtbot, window)
    assert _status(ws, target.id) == "to_approach"
    qtbot.waitUntil(lambda: "Budget frozen" not in view.text.toPlainText(), timeout=TIMEOUT)


def test_an_opportunity_is_opened_from_a_target_and_undone(qtbot, campaign):
    window, panel, ids = campaign
    ws = window.worker.workspace
    _select(qtbot, window, panel, "Per Lunde")
    target = panel.current_target()
    assert panel.opportunity_button.isEnabled()
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(panel.opportunity_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    (deal,) = ws.list(kind="opportunity")
    assert deal["client_id"] == ids["halvorsen"] and deal["campaign_id"] == ids["campaign"]
    saved = ws.get(kind="campaign_target", id=target.id)
    assert saved["status"] == "opportunity" and saved["opportunity_id"] == deal.id
    qtbot.waitUntil(
        lambda: panel.model.rows[_row_of(panel, "Per Lunde")].status == "opportunity", timeout=TIMEOUT
    )
    assert not panel.opportunity_button.isEnabled()
    assert window.clients.showing() and window.clients.page.client_id == ids["halvorsen"]

    _undo(qtbot, window)
    assert ws.list(kind="opportunity") == []
    assert _status(ws, target.id) == "to_approach"


def test_the_work_list_reads_again_after_a_change_made_elsewhere(qtbot, campaign):
    window, panel, _ids = campaign
    target = panel.model.rows[panel.model.row_of(panel.model.next_id)]
    run_edit(qtbot, window, lambda ws: ws.update(
        kind="campaign_target", id=target.id, values={"status": "meeting_set", "next_step": "Meet on Thursday"}
    ))  # fmt: skip
    qtbot.waitUntil(
        lambda: panel.model.rows[panel.model.row_of(target.id)].status == "meeting_set", timeout=TIMEOUT
    )
    assert panel.model.next_id != target.id, "the next one to approach moved on"
    assert panel.model.index(panel.model.row_of(target.id), 4).data() == "Meet on Thursday"


def test_the_window_opens_again_on_the_work_list_it_closed_on(qtbot, campaign, tmp_path):
    from PySide6.QtCore import QSettings

    from companion.ui.common.worker import DbWorker
    from companion.ui.shell.main_window import MainWindow

    window, _panel, ids = campaign
    window.close()
    window.worker.stop()
    worker = DbWorker(window.worker.workspace)
    again = MainWindow(worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    try:
        with qtbot.waitSignal(again.sig_ready, timeout=TIMEOUT):
            again.show()
        qtbot.waitUntil(lambda: again.sales.side.current_mode() == "campaign", timeout=TIMEOUT)
        panel = again.sales.work_list
        qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=TIMEOUT)
        assert panel.campaign.currentData() == ids["campaign"]
        qtbot.mouseClick(again.sales.side.clients_button, Qt.MouseButton.LeftButton)
    finally:
        again.close()
        worker.stop()
    assert QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat).value("sales/mode") == "clients"
