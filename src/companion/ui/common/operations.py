"""The jobs every feature shares on the database thread: a record read, made, changed or deleted; undo."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.core.changes import ChangeSet, Record


def get_record(ws, *, kind: str, record_id: str) -> Record:
    """Reads one record of a kind (a dialog that edits it, a meeting to log)."""
    return ws.get(kind=kind, id=record_id)


def create_record(ws, *, kind: str, values: dict) -> ChangeSet:
    """Writes a new record of a kind."""
    return ws.create(kind=kind, values=values)


def update_record(ws, *, kind: str, record_id: str, values: dict) -> ChangeSet:
    """Writes the given fields of one record."""
    return ws.update(kind=kind, id=record_id, values=values)


def delete_record(ws, *, kind: str, record_id: str, cascade: bool = False) -> ChangeSet:
    """Deletes one record (and, with `cascade`, what depends on it)."""
    return ws.delete(kind=kind, id=record_id, cascade=cascade)


def undo(ws, *, changes: ChangeSet) -> ChangeSet:
    """Writes the reverse of a change set (undo, or redo of an undo); returns that reverse."""
    return ws.undo(changes=changes)


def dependents(ws, *, kind: str, record_id: str) -> dict[str, int]:
    """Reads what else a delete of this record would change or delete, by kind."""
    return ws.dependents(kind=kind, id=record_id)
