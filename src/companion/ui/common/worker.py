"""The database thread: every workspace call runs here, so the window never waits on the disk."""

from __future__ import annotations

import gc
import itertools
import linecache
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from companion.ui.common import main_thread_gc


@dataclass
class Failure:
    """An error raised on the database thread, carried back to the window."""

    error: BaseException
    details: str


class _Runner(QObject):
    """Lives on the database thread; runs one job at a time, in the order they were sent."""

    sig_finished = Signal(int, object)
    """A job finished: (ticket, result or Failure)."""

    def __init__(self, workspace: Any, opener: Callable[[], Any] | None):
        super().__init__()
        self.workspace = workspace
        self.opener = opener
        self.cancelled: set[int] = set()

    @Slot(int, object)
    def run(self, ticket: int, job: Callable[[Any], Any]) -> None:
        if ticket in self.cancelled:
            self.cancelled.discard(ticket)
            self.sig_finished.emit(ticket, None)  # skipped: nobody waits for it any more
            return
        try:
            if self.workspace is None and self.opener is not None:
                # Opened here, on first use, so its imports never hold up the window.
                self.workspace = self.opener()
                # PySide6 reads the source of every module imported after it, looking for its own
                # name (PYSIDE-2029), and linecache keeps those lines: ~13 MiB once SQLAlchemy is in.
                linecache.clearcache()
                # What start-up made lives as long as the app: moving it out of the collector's
                # reach keeps full collections (pauses of ~10 ms) out of search-as-you-type.
                gc.freeze()
            if hasattr(self.workspace, "clear_interrupt"):
                self.workspace.clear_interrupt()
            result = job(self.workspace)
        except Exception as exc:  # handed to the window, which shows it to the person
            result = Failure(exc, traceback.format_exc())
        self.sig_finished.emit(ticket, result)


class DbWorker(QObject):
    """Sends jobs (functions of the workspace) to the database thread and routes their results back."""

    sig_submit = Signal(int, object)
    sig_busy_changed = Signal(bool)
    """True while any job is waiting or running."""
    sig_failed = Signal(object)
    """A job without its own error handler failed: a Failure."""

    def __init__(
        self, workspace: Any = None, parent: QObject | None = None, *, opener: Callable[[], Any] | None = None
    ):
        super().__init__(parent)
        self._tickets = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable | None, Callable | None]] = {}
        self._dropped: set[int] = set()
        self._thread = QThread()
        self._thread.setObjectName("companion-db")
        self._runner = _Runner(workspace, opener)
        self._runner.moveToThread(self._thread)
        self.sig_submit.connect(self._runner.run)
        self._runner.sig_finished.connect(self._on_runner_finished)
        main_thread_gc.hold()  # the collector must not free Qt objects on the database thread
        self._holding_gc = True
        self._thread.start()

    @property
    def workspace(self) -> Any:
        """For the window's own thread only when the worker is idle (tests, shutdown)."""
        return self._runner.workspace

    def submit(
        self,
        job: Callable[[Any], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Failure], None] | None = None,
    ) -> int:
        """Runs `job(workspace)` on the database thread; `on_done(result)` runs back on this thread."""
        ticket = next(self._tickets)
        was_idle = not self._callbacks
        self._callbacks[ticket] = (on_done, on_error)
        if was_idle:
            self.sig_busy_changed.emit(True)
        self.sig_submit.emit(ticket, job)
        return ticket

    def cancel(self, ticket: int) -> None:
        """Forgets a job's result; a job not yet started is skipped (stale searches, closed views)."""
        if ticket in self._callbacks:
            self._callbacks[ticket] = (None, None)
            self._dropped.add(ticket)
            self._runner.cancelled.add(ticket)

    def cancel_all(self) -> None:
        """Drops every waiting job and asks the running one to stop (long imports stop between steps;
        what they wrote is rolled back, so nothing is left half-done)."""
        for ticket in list(self._callbacks):
            self.cancel(ticket)
        workspace = self._runner.workspace
        if workspace is not None and hasattr(workspace, "interrupt"):
            workspace.interrupt()

    def is_busy(self) -> bool:
        return bool(self._callbacks)

    @Slot(int, object)
    def _on_runner_finished(self, ticket: int, result: Any) -> None:
        on_done, on_error = self._callbacks.pop(ticket, (None, None))
        if not self._callbacks:
            self.sig_busy_changed.emit(False)
        if ticket in self._dropped:
            self._dropped.discard(ticket)
            return
        if isinstance(result, Failure):
            if on_error is not None:
                on_error(result)
            else:
                self.sig_failed.emit(result)
            return
        if on_done is not None:
            on_done(result)

    def stop(self) -> None:
        """Finishes queued jobs, then ends the thread."""
        self._thread.quit()
        self._thread.wait()
        if self._holding_gc:
            self._holding_gc = False
            main_thread_gc.release()
