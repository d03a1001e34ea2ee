"""Waiting on the real window: its worker going idle, an edit reaching the views."""

from __future__ import annotations

TIMEOUT = 5000


def wait_idle(qtbot, win):
    qtbot.waitUntil(lambda: not win.worker.is_busy(), timeout=TIMEOUT)


def run_edit(qtbot, win, job):
    """Runs a change through the window's edit controller and waits until views have it."""
    with qtbot.waitSignal(win.edits.sig_changed, timeout=TIMEOUT) as blocker:
        win.edits.run(job)
    wait_idle(qtbot, win)
    return blocker.args[0]
