"""The shell's jobs on the database thread: what follows start-up, and where a record is shown."""

from __future__ import annotations

from companion.core.changes import ChangeSet
from companion.core.navigation import Location
from companion.core.navigation import locate as _locate
from companion.model.errors import CompanionError

# What every workspace gets by itself (the built-in checklist templates): not "data" of the person's.
BUILT_IN_KINDS = frozenset({"checklist_template", "checklist_template_item"})


def add_missing_templates(ws) -> ChangeSet:
    """What start-up leaves for after the first paint: the built-in checklist templates a workspace
    never had (a change of nobody's)."""
    from companion.core.templates import ensure_built_in_templates

    return ensure_built_in_templates(ws)


def locate(ws, *, kind: str, record_id: str) -> Location:
    """The client page, section, person or meeting that shows a record."""
    return _locate(ws, kind=kind, record_id=record_id)


def holds_records(ws) -> bool:
    """Whether the workspace holds records of anyone's (clients, people, notes…): the welcome offers
    the demo only into one that holds none."""
    from companion.model.kinds import KINDS

    return any(ws.count(kind=kind.name) for kind in KINDS if kind.name not in BUILT_IN_KINDS)


class NotEmpty(CompanionError):
    """The demo goes only into an empty workspace: it would mix example clients into real ones."""


def load_demo(ws) -> ChangeSet:
    """The demo workspace (the welcome offers it), its meetings' checklists composed; refused (and
    nothing written) when the workspace already holds records."""
    from companion.core.demo import load_demo as load

    if holds_records(ws):
        raise NotEmpty(
            "This workspace already holds records, so the demo was not loaded: its example clients "
            "would mix with yours."
        )
    return load(ws)
