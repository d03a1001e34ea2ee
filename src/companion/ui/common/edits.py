"""Every change the window makes: sent to the database thread, recorded for undo and redo, announced."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from companion.core.changes import ChangeSet
from companion.ui.common.worker import DbWorker, Failure


def _operations():
    """The shared jobs, imported when an edit is first made: start-up loads as few modules as it can."""
    from companion.ui.common import operations

    return operations


class Outcome(Protocol):
    """What an operation returns when it reports more than its changes (a calendar import's skipped
    events): the change set is its `changes`."""

    changes: ChangeSet


class EditController(QObject):
    """Applies edits through the services and keeps the undo and redo stacks of their change sets."""

    sig_changed = Signal(object)
    """Records changed (a ChangeSet): views refresh what it names."""
    sig_failed = Signal(object)
    """An edit was refused or failed (a Failure); nothing of it was written."""
    sig_undo_state_changed = Signal(str, str)
    """The labels of what undo and redo would do now ('' when nothing)."""
    sig_done = Signal(str, str)
    """What a person did and its label, to say so: ("saved" | "undone" | "redone", label)."""

    def __init__(self, worker: DbWorker, parent: QObject | None = None):
        super().__init__(parent)
        self.worker = worker
        self._undo: list[ChangeSet] = []
        self._redo: list[ChangeSet] = []

    def run(
        self,
        job: Callable[[object], ChangeSet | Outcome],
        *,
        on_done: Callable[[ChangeSet | Outcome], None] | None = None,
        on_error: Callable[[Failure], None] | None = None,
    ) -> None:
        """Runs a job that returns a ChangeSet, or an outcome that carries one as `changes` (an operation
        that also reports, such as a calendar import); a non-empty change set becomes undoable.
        `on_done` gets what the job returned."""

        def done(result: ChangeSet | Outcome) -> None:
            changes = result if isinstance(result, ChangeSet) else result.changes
            if changes:
                self._undo.append(changes)
                self._redo.clear()
                self._announce(changes, "saved")
            if on_done is not None:
                on_done(result)

        self.worker.submit(job, done, on_error or self.sig_failed.emit)

    def announce_derived(self, changes: ChangeSet) -> None:
        """Announces what the services kept in step by themselves (a checklist recomposed after an
        edit): views refresh, but it is not an undo step of its own; undoing the edit that caused it
        recomposes again."""
        if changes:
            self.sig_changed.emit(dataclasses.replace(changes, derived=True, reactions=None))
        if changes.reactions:
            self.sig_changed.emit(changes.reactions)

    def create(self, kind: str, values: dict, **callbacks) -> None:
        self.run(partial(_operations().create_record, kind=kind, values=values), **callbacks)

    def update(self, kind: str, record_id: str, values: dict, **callbacks) -> None:
        self.run(
            partial(_operations().update_record, kind=kind, record_id=record_id, values=values), **callbacks
        )

    def delete(self, kind: str, record_id: str, *, cascade: bool = False, **callbacks) -> None:
        self.run(
            partial(_operations().delete_record, kind=kind, record_id=record_id, cascade=cascade), **callbacks
        )

    def undo(self) -> None:
        if self._undo:
            self._step(self._undo, self._redo, "undone")

    def redo(self) -> None:
        if self._redo:
            self._step(self._redo, self._undo, "redone")

    def _step(self, source: list[ChangeSet], target: list[ChangeSet], deed: str) -> None:
        changes = source.pop()

        def done(reverse: ChangeSet) -> None:
            target.append(reverse)
            self._announce(reverse, deed)

        def failed(failure: Failure) -> None:
            source.append(changes)  # still there to retry once the obstacle is gone
            self._emit_state()
            self.sig_failed.emit(failure)

        self._emit_state()
        self.worker.submit(partial(_operations().undo, changes=changes), done, failed)

    def _announce(self, changes: ChangeSet, deed: str) -> None:
        self._emit_state()
        self.sig_changed.emit(dataclasses.replace(changes, reactions=None))
        if changes.reactions:
            # What the write path kept in step after it (checklists recomposed): refreshed, not undone.
            self.sig_changed.emit(changes.reactions)
        self.sig_done.emit(deed, changes.label)

    def _emit_state(self) -> None:
        self.sig_undo_state_changed.emit(
            self._undo[-1].label if self._undo else "", self._redo[-1].label if self._redo else ""
        )

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)
