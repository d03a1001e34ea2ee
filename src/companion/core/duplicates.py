"""Two records of one client (made on two laptops) merged into one: all of the duplicate moves over."""

from __future__ import annotations

from companion.core.changes import ChangeSet, Edit
from companion.core.service import Workspace
from companion.model.errors import ValidationError
from companion.model.kinds import get_kind, referencing_fields


def _empty(value: object) -> bool:
    return value is None or value == "" or value == []


def _filled_in(kind_name: str, kept: dict, duplicate: dict) -> dict:
    """What the kept record takes from the duplicate: fields it lacks, list items it lacks, and long
    texts the duplicate adds to (appended, so neither laptop's writing is lost)."""
    values: dict[str, object] = {}
    for field in get_kind(kind_name).fields:
        mine, theirs = kept.get(field.name), duplicate.get(field.name)
        if _empty(theirs) or mine == theirs:
            continue
        if _empty(mine):
            values[field.name] = theirs
        elif field.type in ("strings", "refs"):
            values[field.name] = [*mine, *(item for item in theirs if item not in mine)]
        elif field.type == "longtext" and str(theirs).strip() not in str(mine):
            values[field.name] = f"{str(mine).rstrip()}\n\n{str(theirs).strip()}\n"
    return values


def merge_clients(ws: Workspace, *, keep_id: str, duplicate_id: str) -> ChangeSet:
    """Moves everything of client `duplicate_id` (people's roles, sites, rules, notes, meetings…) to
    `keep_id`, fills the kept client's gaps from it and deletes it; one undoable change."""
    if keep_id == duplicate_id:
        raise ValidationError("A client cannot be merged into itself.", kind="client")
    kept = ws.get(kind="client", id=keep_id)
    duplicate = ws.get(kind="client", id=duplicate_id)
    # Every reference to the duplicate now points at the kept client, in one change: the write path
    # checks same-client links (a role's sub-group, a boss) once all of it is in, so records moving
    # together may point at each other.
    edits: list[Edit] = []
    for kind, field in referencing_fields("client"):
        if field.type == "ref":
            for record in ws.list(kind=kind.name, where={field.name: duplicate_id}):
                edits.append(Edit("update", kind.name, record.id, {field.name: keep_id}))
            continue
        for record in ws.list(kind=kind.name):
            members = record.values.get(field.name) or []
            if duplicate_id in members:
                merged = dict.fromkeys(keep_id if m == duplicate_id else m for m in members)
                edits.append(Edit("update", kind.name, record.id, {field.name: list(merged)}))
    gaps = _filled_in("client", kept.values, duplicate.values)
    if gaps:
        edits.append(Edit("update", "client", keep_id, gaps))
    edits.append(Edit("delete", "client", duplicate_id))
    name = kept.values.get("name") or "client"
    return ws.apply(edits=edits, label=f"Merge duplicate of {name}")


def merge_if_both_live(ws: Workspace, *, keep_id: str, duplicate_id: str) -> ChangeSet:
    """merge_clients, unless one of the two is gone (merged or deleted on another laptop already):
    then nothing changes."""
    found = ws.get_many(kind="client", ids=[keep_id, duplicate_id]).values()
    if sum(1 for record in found if not record.deleted_at) < 2:
        return ChangeSet((), "")
    return merge_clients(ws, keep_id=keep_id, duplicate_id=duplicate_id)
