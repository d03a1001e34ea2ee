"""Screenshots of the Sales page's tabs and of a campaign's work list beside a client's page, on the demo
workspace at 1366×768, light and dark (saved to look at, not committed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from companion.core.demo import load_demo
from companion.ui.sales.target_dialogs import LogApproachDialog, TargetStatusDialog
from tests.ui.helpers import SHOTS, TIMEOUT, laptop_window, visible, wait_idle

# Where the closing note takes them from.
TMP_SHOTS = Path("/tmp/shots")


def _save(qtbot, window, name: str) -> None:
    wait_idle(qtbot, window)
    qtbot.wait(80)
    path = SHOTS / f"{name}.png"
    assert window.grab().save(str(path))
    TMP_SHOTS.mkdir(exist_ok=True)
    shutil.copyfile(path, TMP_SHOTS / path.name)


def _save_dialog(qtbot, window, dialog, name: str) -> None:
    """The window with the dialog drawn over its middle, as a person sees it."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    wait_idle(qtbot, window)
    qtbot.wait(80)
    shot = window.grab()
    painter = QPainter(shot)
    at = QPoint((shot.width() - dialog.width()) // 2, (shot.height() - dialog.height()) // 2)
    painter.drawPixmap(at, dialog.grab())
    painter.end()
    path = SHOTS / f"{name}.png"
    assert shot.save(str(path))
    TMP_SHOTS.mkdir(exist_ok=True)
    shutil.copyfile(path, TMP_SHOTS / path.name)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_sales_page_and_the_work_list(qtbot, workspace, tmp_path, scheme):
    load_demo(workspace)
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    worker = window.worker
    try:
        qtbot.waitUntil(lambda: window.settled, timeout=TIMEOUT)
        window.sales.action.trigger()
        page = window.sales.page
        qtbot.waitUntil(lambda: page.pipeline.deals.topLevelItemCount() > 0, timeout=TIMEOUT)
        _save(qtbot, window, f"sales-pipeline-{scheme}")
        page.show_tab("propositions")
        qtbot.waitUntil(lambda: page.propositions.list.topLevelItemCount() > 0, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: page.propositions.detail is not None, timeout=TIMEOUT)
        _save(qtbot, window, f"sales-propositions-{scheme}")
        page.show_tab("cohorts")
        qtbot.waitUntil(lambda: page.cohorts.members.topLevelItemCount() > 0, timeout=TIMEOUT)
        _save(qtbot, window, f"sales-cohorts-{scheme}")
        page.show_tab("campaigns")
        qtbot.waitUntil(lambda: page.campaigns.list.topLevelItemCount() > 0, timeout=TIMEOUT)
        _save(qtbot, window, f"sales-campaigns-{scheme}")
        qtbot.mouseClick(page.campaigns.work_list_button, Qt.MouseButton.LeftButton)
        panel = window.sales.work_list
        qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=TIMEOUT)
        _save(qtbot, window, f"sales-worklist-{scheme}")
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.clients.showing(), timeout=TIMEOUT)
        _save(qtbot, window, f"sales-worklist-person-{scheme}")
        # The dialogs a target offers, over the window.
        qtbot.mouseClick(panel.log_button, Qt.MouseButton.LeftButton)
        dialog = visible(qtbot, window, LogApproachDialog)
        qtbot.keyClicks(
            dialog.summary, "Met her after the steering group; she wants the Venlo numbers first."
        )
        _save_dialog(qtbot, window, dialog, f"sales-log-approach-{scheme}")
        dialog.reject()
        qtbot.mouseClick(panel.status_button, Qt.MouseButton.LeftButton)
        dialog = visible(qtbot, window, TargetStatusDialog)
        dialog.status.setCurrentIndex(dialog.status.findData("declined"))
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
        qtbot.waitUntil(dialog.reason.error.isVisible, timeout=TIMEOUT)
        _save_dialog(qtbot, window, dialog, f"sales-decline-refused-{scheme}")
        dialog.reject()
    finally:
        window.close()
        worker.stop()


def test_screenshots_of_the_empty_states(qtbot, workspace, tmp_path):
    window = laptop_window(qtbot, workspace, tmp_path, "light")
    worker = window.worker
    try:
        qtbot.waitUntil(lambda: window.settled, timeout=TIMEOUT)
        window.sales.action.trigger()
        page = window.sales.page
        qtbot.waitUntil(page.pipeline.empty.isVisible, timeout=TIMEOUT)
        qtbot.mouseClick(window.sales.side.campaign_button, Qt.MouseButton.LeftButton)
        panel = window.sales.work_list
        qtbot.waitUntil(panel.empty.isVisible, timeout=TIMEOUT)
        assert "No campaigns yet" in panel.empty.text()
        _save(qtbot, window, "sales-empty-pipeline-light")
        page.show_tab("propositions")
        qtbot.waitUntil(page.propositions.empty.isVisible, timeout=TIMEOUT)
        _save(qtbot, window, "sales-empty-propositions-light")
    finally:
        window.close()
        worker.stop()
