"""Checks the open workspace with SQLite's quick_check now and then, on a thread of its own (a connection of
its own: the database thread's work goes on meanwhile). Damage found is said in words, with the way back,
and nothing more is written to the file (store/integrity.py marks it)."""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from companion.model.errors import CompanionError, DamagedWorkspace

log = logging.getLogger(__name__)

FIRST_CHECK_MS = 5 * 60 * 1000  # once start-up's work is done
CHECK_EVERY_MS = 60 * 60 * 1000


def _check(workspace: Any) -> DamagedWorkspace | None:
    """One quick_check of the workspace's file (on the watch's thread)."""
    from companion.app import workspace_files

    try:
        workspace_files.check_open(workspace)
    except DamagedWorkspace as exc:
        return exc
    except (CompanionError, OSError) as exc:  # locked or gone for now: the next check tries again
        log.info("The workspace check did not run: %s", exc)
    return None


class IntegrityWatch(QObject):
    """Runs the check after start-up and then every CHECK_EVERY_MS; shows the damaged-workspace dialog."""

    sig_checked = Signal(object)
    """A check is done (emitted from its thread, received on the window's): None or the damage found."""
    sig_damage_found = Signal(object)
    """A check found the workspace damaged: the DamagedWorkspace (its message names the file)."""

    def __init__(self, window, *, first_ms: int = FIRST_CHECK_MS, every_ms: int = CHECK_EVERY_MS):
        super().__init__(window)
        self.window = window
        self.first_ms = first_ms
        self.timer = QTimer(self)
        self.timer.setInterval(every_ms)
        self._running = False
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.timer.timeout.connect(self.check_now)
        self.window.sig_ready.connect(self._on_window_ready)
        self.sig_checked.connect(self._on_checked)
        self.sig_damage_found.connect(self._on_damage_found)
        self.window.worker.sig_failed.connect(self._on_worker_failed)

    def _on_window_ready(self) -> None:
        QTimer.singleShot(self.first_ms, self.check_now)
        self.timer.start()

    def check_now(self) -> None:
        """Starts a check unless one is running (or no workspace is open yet)."""
        workspace = self.window.worker.workspace
        if self._running or workspace is None:
            return
        self._running = True
        # A daemon thread: a check still reading when the window closes never holds up quitting.
        threading.Thread(target=self._run, args=(workspace,), name="companion-check", daemon=True).start()

    def _run(self, workspace: Any) -> None:
        found = _check(workspace)
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self.sig_checked.emit(found)

    def _on_checked(self, found: DamagedWorkspace | None) -> None:
        self._running = False
        if found is not None:
            self.timer.stop()
            self.sig_damage_found.emit(found)

    def _on_worker_failed(self, failure) -> None:
        """A job that met damaged pages (a search, a list): the same dialog as the check's."""
        if isinstance(failure.error, DamagedWorkspace) and self.timer.isActive():
            self.timer.stop()
            self.sig_damage_found.emit(failure.error)

    def _on_damage_found(self, error: DamagedWorkspace) -> None:
        """The dialog: a backup restored or what can be read recovered is opened by starting again."""
        from companion.ui.shell.damaged_workspace import resolve

        put_right = resolve(error, parent=self.window, before_change=self._let_go)
        if put_right:
            QMessageBox.information(
                self.window,
                "Companion",
                self.tr("Companion closes now: start it again to open the workspace."),
            )
        QApplication.quit()

    def _let_go(self) -> None:
        """The window's connections to the damaged file closed before it is kept aside."""
        worker = self.window.worker
        worker.cancel_all()
        worker.stop()
        if worker.workspace is not None:
            worker.workspace.close()
