"""Where a record lives in the window: which client page, which section, which person or meeting to open.

Read from the kinds table (`Kind.section`, `locators`, `focus`), so a new kind needs no code here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.model.kinds import get_kind

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.changes import Record
    from companion.core.service import Workspace


@dataclass(frozen=True)
class Location:
    client_id: str | None
    section: str
    kind: str
    record_id: str
    contact_id: str | None = None  # the person to show on the People section
    meeting_id: str | None = None  # the meeting page that shows it


def _follow(workspace: Workspace, record: Record, path: str) -> tuple[str, str] | None:
    """The (kind, id) a reference path leads to from the record ("id" is the record itself; a list of
    references leads to its first member), or None where the path is empty."""
    here = record
    steps = path.split(".")
    for number, step in enumerate(steps):
        if step == "id":
            target_kind, target_id = here.kind, here.id
        else:
            value = here[step]
            if isinstance(value, list):
                value = value[0] if value else None
            if not value:
                return None
            target_kind, target_id = get_kind(here.kind).field(step).ref_kind, str(value)
        if number == len(steps) - 1:
            return target_kind, target_id
        here = workspace.get(kind=target_kind, id=target_id, include_deleted=True)
    return None


def locate(workspace: Workspace, *, kind: str, record_id: str) -> Location:
    """The client page (if any) that shows this record, and the person or meeting it opens on."""
    k = get_kind(kind)
    record = workspace.get(kind=kind, id=record_id)
    found: dict[str, str] = {}
    for path in k.locators:
        target = _follow(workspace, record, path)
        if target is not None:
            found[target[0]] = target[1]  # a client, or a person whose role places it
            break
    if k.focus:
        target = _follow(workspace, record, k.focus)
        if target is not None:
            found.setdefault(*target)
    client_id, contact_id = found.get("client"), found.get("contact")
    if client_id is None and contact_id is not None:
        # A person belongs where they work now, else where they worked.
        positions = workspace.list(kind="position", where={"contact_id": contact_id})
        positions.sort(key=lambda p: p["ended"] is not None)
        client_id = str(positions[0]["client_id"]) if positions else None
    return Location(client_id, k.section, kind, record_id, contact_id, found.get("meeting"))
