"""Screenshots of the Sales page's tabs and of a campaign's work list beside a client's page, on the demo
workspace at 1366×768, light and dark (saved to look at, not committed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from companion.core.demo import load_demo
from tests.ui.helpers import SHOTS, TIMEOUT, laptop_window, wait_idle

# Where the closing note takes them from.
TMP_SHOTS = Path("/tmp/shots")


def _save(qtbot, window, name: str) -> None:
    wait_idle(qtbot, window)
    qtbot.wait(80)
    path = SHOTS / f"{name}.png"
    assert window.grab().save(str(path))
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
    finally:
        window.close()
        worker.stop()
