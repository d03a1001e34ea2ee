"""The real main window on a fresh workspace, shown offscreen and settled."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from companion.ui.common.worker import DbWorker
from companion.ui.shell.main_window import MainWindow
from tests.ui.helpers import TIMEOUT


@pytest.fixture
def window(qtbot, workspace, tmp_path):
    worker = DbWorker(workspace)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(worker, settings)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.sig_ready, timeout=TIMEOUT):
        win.show()
    qtbot.waitUntil(lambda: win.settled, timeout=TIMEOUT)
    yield win
    win.close()
    worker.stop()
