"""Waiting on the real window (its worker going idle, an edit reaching the views), and where screenshots go."""

from __future__ import annotations

from pathlib import Path

TIMEOUT = 5000
# Screenshots the tests save, to look at (not committed).
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def wait_idle(qtbot, win):
    qtbot.waitUntil(lambda: not win.worker.is_busy(), timeout=TIMEOUT)


def run_edit(qtbot, win, job):
    """Runs a change through the window's edit controller and waits until views have it."""
    with qtbot.waitSignal(win.edits.sig_changed, timeout=TIMEOUT) as blocker:
        win.edits.run(job)
    wait_idle(qtbot, win)
    return blocker.args[0]


def laptop_window(qtbot, workspace, tmp_path, scheme: str):
    """The real window in a colour scheme at 1366×768, shown and ready, for screenshots (SHOTS made)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from companion.ui.common import theme
    from companion.ui.common.worker import DbWorker
    from companion.ui.shell.main_window import MainWindow

    theme.apply(QApplication.instance(), scheme)
    worker = DbWorker(workspace)
    window = MainWindow(worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.sig_ready, timeout=TIMEOUT):
        window.show()
    SHOTS.mkdir(exist_ok=True)
    return window


def visible(qtbot, parent, cls):
    """The dialog of a class that is open over `parent` (waited for); a form in it ready to type into."""
    qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(cls)), timeout=TIMEOUT)
    dialog = next(d for d in parent.findChildren(cls) if d.isVisible())
    form = getattr(dialog, "form", None)
    if form is not None:
        qtbot.waitUntil(form.isEnabled, timeout=TIMEOUT)
    return dialog


def click(qtbot, button, clicked: set) -> None:
    """Clicks a button as a person does (it must be in sight and enabled), and notes it was clicked."""
    from PySide6.QtCore import Qt

    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    clicked.add(button)


def answer_save(monkeypatch, path, chosen: str = "") -> list[tuple]:
    """Answers every save dialog with `path`; returns what each was asked (its arguments)."""
    from PySide6.QtWidgets import QFileDialog

    asked: list[tuple] = []

    def answer(*args, **kwargs):
        asked.append(args)
        return str(path), chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return asked
