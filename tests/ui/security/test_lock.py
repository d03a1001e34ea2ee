"""Locking: Ctrl+L (an unlock passphrase chosen the first time) or idle time hides the workspace and
turns shortcuts off until the passphrase is typed; a passphrase workspace unlocks with its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel

from companion.app import settings
from companion.app.workspace_keys import WorkspaceKey
from companion.core.service import Workspace
from companion.ui.common.worker import DbWorker
from companion.ui.security.lock import LockScreen
from companion.ui.security.unlock import PassphraseDialog
from companion.ui.shell.main_window import MainWindow
from tests.ui.helpers import SHOTS, TIMEOUT, wait_idle

NAME = "Vestland Turbines AS"


def _visible_texts(window) -> str:
    return " ".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())


def _choose(qtbot, window, passphrase: str) -> None:
    dialog = window.findChild(PassphraseDialog)
    qtbot.waitUntil(lambda: window.findChild(PassphraseDialog) is not None, timeout=TIMEOUT)
    dialog = next(d for d in window.findChildren(PassphraseDialog) if d.isVisible())
    dialog.passphrase.setText(passphrase)
    dialog.again.setText(passphrase)
    dialog.buttons.accepted.emit()


def test_ctrl_l_locks_after_choosing_a_passphrase_and_only_it_unlocks(qtbot, window):
    window.edits.run(lambda ws: ws.create(kind="client", values={"name": NAME}))
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: any(c[1] == NAME for c in window.clients.rows), timeout=TIMEOUT)
    assert NAME in " ".join(c[1] for c in window.clients.rows)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    _choose(qtbot, window, "short")  # refused: too short, the dialog stays
    dialog = next(d for d in window.findChildren(PassphraseDialog) if d.isVisible())
    assert dialog.problem.isVisible() and "at least 8" in dialog.problem.text()
    _choose(qtbot, window, "harbour lights")
    qtbot.waitUntil(lambda: window.security.lock.locked, timeout=TIMEOUT)
    assert isinstance(window.centralWidget(), LockScreen)
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    assert NAME not in _visible_texts(window)
    # Shortcuts are off: the search palette does not open.
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search._palette is None or not window.search._palette.isVisible()
    SHOTS.mkdir(exist_ok=True)
    window.resize(1366, 768)
    qtbot.wait(50)
    window.grab().save(str(SHOTS / "locked-light.png"))
    screen = window.centralWidget()
    screen.passphrase.setText("harbour light")
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    assert window.security.lock.locked and "not the passphrase" in screen.problem.text()
    screen.passphrase.setText("harbour lights")
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    assert not window.security.lock.locked
    assert window.centralWidget() is window.splitter
    assert window.menuBar().isVisible()
    # From now on Ctrl+L locks at once: the passphrase is chosen.
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)  # offscreen: the closed dialog had it
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.security.lock.locked
    window.centralWidget().passphrase.setText("harbour lights")
    qtbot.mouseClick(window.centralWidget().unlock_button, Qt.MouseButton.LeftButton)
    assert not window.security.lock.locked


def test_idle_time_from_the_settings_locks_and_activity_does_not(qtbot, window):
    loaded = settings.load(Path(window.settings.fileName()).parent)
    loaded.set("ui.lock_after_minutes", 5)
    window.security.arm_idle_lock()
    _choose(qtbot, window, "quiet evening")
    qtbot.waitUntil(lambda: window.security.lock.can_lock(), timeout=TIMEOUT)
    assert window.security.lock.idle_limit_s == 300 and window.security.lock.timer.isActive()
    window.security.lock._check_idle()
    assert not window.security.lock.locked, "not idle long enough"
    window.security.lock.last_activity -= 301
    qtbot.keyClick(window, Qt.Key.Key_Shift)  # activity resets the clock
    window.security.lock._check_idle()
    assert not window.security.lock.locked
    window.security.lock.last_activity -= 301
    window.security.lock._check_idle()
    assert window.security.lock.locked
    window.centralWidget().passphrase.setText("quiet evening")
    qtbot.mouseClick(window.centralWidget().unlock_button, Qt.MouseButton.LeftButton)
    assert not window.security.lock.locked


def test_a_passphrase_workspace_locks_and_unlocks_with_its_own_passphrase(qtbot, tmp_path):
    key = WorkspaceKey.from_passphrase("the workspace's own")
    path = tmp_path / "workspace.sqlite"
    Workspace.open(path, key).close()
    worker = DbWorker(None, opener=lambda: Workspace.open(path, key))
    window = MainWindow(worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sig_ready, timeout=TIMEOUT):
        window.show()
    qtbot.waitUntil(lambda: window.settled, timeout=TIMEOUT)
    try:
        assert window.security.lock.can_lock()
        window.security.lock_window()
        assert window.security.lock.locked, "no passphrase to choose: the workspace has one"
        assert window.findChild(PassphraseDialog) is None
        assert not window.security.lock.unlock("something else")
        assert window.security.lock.unlock("the workspace's own")
    finally:
        window.close()
        worker.stop()


@pytest.mark.parametrize("scheme", ["dark"])
def test_the_locked_window_in_dark(qtbot, window, scheme):
    from companion.ui.common import theme

    app = QApplication.instance()
    theme.apply(app, scheme)
    try:
        window.security.lock.secret.choose("evening light")
        window.resize(1366, 768)
        window.security.lock_window()
        qtbot.wait(50)
        window.grab().save(str(SHOTS / f"locked-{scheme}.png"))
        assert window.security.lock.unlock("evening light")
    finally:
        theme.apply(app, "light")


def test_a_window_that_opens_while_locked_waits_for_the_unlock(qtbot, window):
    from companion.model.errors import CompanionError
    from companion.ui.common.worker import Failure

    window.security.lock.secret.choose("evening light")
    assert window.security.lock_window() is None and window.security.lock.locked
    # A failure arriving from the database thread while nobody is there: its message names a client.
    window.show_failure(Failure(CompanionError(f"Client '{NAME}' conflicts with another"), ""))
    qtbot.wait(50)
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
    assert visible == [], [w.windowTitle() for w in visible]
    assert window.security.lock.unlock("evening light")
    qtbot.waitUntil(
        lambda: any(
            NAME in getattr(w, "text", lambda: "")() for w in QApplication.topLevelWidgets() if w.isVisible()
        ),
        timeout=TIMEOUT,
    )
