"""The shell's jobs on the database thread: what follows start-up, and where a record is shown."""

from __future__ import annotations

from companion.core.changes import ChangeSet
from companion.core.navigation import Location
from companion.core.navigation import locate as _locate


def add_missing_templates(ws) -> ChangeSet:
    """What start-up leaves for after the first paint: the built-in checklist templates a workspace
    never had (a change of nobody's)."""
    from companion.core.templates import ensure_built_in_templates

    return ensure_built_in_templates(ws)


def locate(ws, *, kind: str, record_id: str) -> Location:
    """The client page, section, person or meeting that shows a record."""
    return _locate(ws, kind=kind, record_id=record_id)


def load_demo(ws) -> ChangeSet:
    """The demo workspace (the welcome offers it), its meetings' checklists composed."""
    from companion.core.demo import load_demo as load

    return load(ws)
