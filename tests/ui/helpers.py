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
