"""Python's cycle collector runs on the window's thread only, while a database thread runs Python.

Left automatic, the collector runs in whichever thread happens to allocate. When it frees a Qt object
(a widget of a closed view caught in a reference cycle) on the database thread, the object's destructor
takes Qt's connection lock and then waits for the interpreter lock, while the window's thread holds the
interpreter lock and waits for that same Qt lock: both stop for good. So while any worker lives, automatic
collection is off and a timer on the window's thread collects by the collector's own thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

# Often enough that a generation never grows far past its threshold; each look costs microseconds.
_INTERVAL_MS = 250


class _Collector(QObject):
    def __init__(self, parent: QObject | None):
        super().__init__(parent)
        self.holders = 0
        self.was_enabled = True
        self.timer = QTimer(self)
        self.timer.setInterval(_INTERVAL_MS)
        self.timer.timeout.connect(self._on_timer_timeout)

    def _on_timer_timeout(self) -> None:
        collect_due_generation()


_collector: _Collector | None = None


def collect_due_generation() -> int | None:
    """Collects the oldest generation whose count is past its threshold, as the automatic collector
    would have; returns it (None when none is due)."""
    thresholds, counts = gc.get_threshold(), gc.get_count()
    due = None
    for generation in range(3):
        if thresholds[generation] and counts[generation] > thresholds[generation]:
            due = generation
        else:
            break
    if due is not None:
        gc.collect(due)
    return due


def hold() -> None:
    """A database thread starts: collection moves to this (the window's) thread."""
    global _collector
    if _collector is None:
        _collector = _Collector(QCoreApplication.instance())
    if _collector.holders == 0:
        _collector.was_enabled = gc.isenabled()
        gc.disable()
        _collector.timer.start()
    _collector.holders += 1


def release() -> None:
    """A database thread ended: with none left, the collector is automatic again."""
    if _collector is None or _collector.holders == 0:
        return
    _collector.holders -= 1
    if _collector.holders == 0:
        _collector.timer.stop()
        if _collector.was_enabled:
            gc.enable()
