"""While a database thread runs Python, reference cycles are freed on the window's thread only: freed on
the database thread, a Qt object's destructor can deadlock the two threads (it happened in CI)."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from companion.ui.common.worker import DbWorker
from tests.ui.helpers import TIMEOUT


class _Cycle:
    """Garbage only the cycle collector frees; it notes the thread that freed it."""

    freed_on: ClassVar[list[str]] = []

    def __init__(self):
        self.me = self

    def __del__(self):
        _Cycle.freed_on.append(threading.current_thread().name)


def _make_cycles(_workspace) -> bool:
    for _ in range(5 * gc.get_threshold()[0]):  # well past the youngest generation's threshold
        _Cycle()
    return True


def test_cycles_made_on_the_database_thread_are_freed_on_the_window_thread(qtbot, workspace):
    enabled_before = gc.isenabled()
    gc.collect()
    _Cycle.freed_on.clear()
    worker = DbWorker(workspace)
    try:
        assert not gc.isenabled()
        done: list[bool] = []
        worker.submit(_make_cycles, done.append)
        qtbot.waitUntil(lambda: bool(done) and bool(_Cycle.freed_on), timeout=TIMEOUT)
        assert set(_Cycle.freed_on) == {threading.main_thread().name}
    finally:
        worker.stop()
    assert gc.isenabled() == enabled_before
