"""A record typed twice (the same client on two laptops) merged into one: all of the duplicate moves over."""

from __future__ import annotations

from collections.abc import Collection

from companion.core.changes import ChangeSet, Edit
from companion.core.service import Workspace
from companion.model.errors import ValidationError
from companion.model.kinds import Kind, get_kind, referencing_fields


def _empty(value: object) -> bool:
    return value is None or value == "" or value == []


def filled_in(kind_name: str, kept: dict, duplicate: dict) -> dict:
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


def merge_duplicate(ws: Workspace, *, kind: str, keep_id: str, duplicate_id: str) -> ChangeSet:
    """Moves everything that points at `duplicate_id` (a client's people's roles, sites, rules, notes,
    meetings…) to `keep_id`, fills the kept record's gaps from it and deletes it; one undoable change."""
    if keep_id == duplicate_id:
        label = get_kind(kind).label.lower()
        raise ValidationError(f"A {label} cannot be merged into itself.", kind=kind)
    kept = ws.get(kind=kind, id=keep_id)
    duplicate = ws.get(kind=kind, id=duplicate_id)
    edits = repoint_edits(ws, kind=kind, keep_id=keep_id, duplicate_id=duplicate_id)
    gaps = filled_in(kind, kept.values, duplicate.values)
    if gaps:
        edits.append(Edit("update", kind, keep_id, gaps))
    edits.append(Edit("delete", kind, duplicate_id))
    k = get_kind(kind)
    name = kept.values.get(k.title_field) or k.label.lower()
    return ws.apply(edits=edits, label=f"Merge duplicate of {name}")


def repoint_edits(
    ws: Workspace, *, kind: str, keep_id: str, duplicate_id: str, leave: Collection[str] = ()
) -> list[Edit]:
    """The edits that make every live reference to `duplicate_id` point at `keep_id` instead (lists keep
    each member once), records in `leave` aside (they go in the same change). A record that would point
    at itself where the kind forbids it (the kept role reporting to the duplicate) is cleared instead."""
    # Every reference to the duplicate now points at the kept record, in one change: the write path
    # checks same-client links (a role's sub-group, a boss) once all of it is in, so records moving
    # together may point at each other.
    edits: list[Edit] = []
    for other, field in referencing_fields(kind):
        if field.type == "ref":
            single = _single_state(ws, other, field.name, keep_id)
            for record in ws.list(kind=other.name, where={field.name: duplicate_id}):
                if record.id in leave:
                    continue
                itself = record.id == keep_id and field.name in other.not_self
                values: dict[str, object] = {field.name: None if itself else keep_id}
                if single is not None and record[single[0]] == single[1]:
                    if single[2]:  # the kept record has one in that state already: this one steps back
                        values[single[0]] = single[3]
                    single = (*single[:2], True, single[3])
                edits.append(Edit("update", other.name, record.id, values))
            continue
        for record in ws.list(kind=other.name):
            members = record.values.get(field.name) or []
            if duplicate_id in members and record.id not in leave:
                merged = dict.fromkeys(keep_id if m == duplicate_id else m for m in members)
                edits.append(Edit("update", other.name, record.id, {field.name: list(merged)}))
    return edits


def _single_state(ws: Workspace, other: Kind, field_name: str, keep_id: str):
    """For a kind allowing one record per owner in a state (one active plan per client) and owned
    through this field: (state field, state, whether the kept record has one so, the state a moved one
    steps back to: the field's first other choice); None for other kinds."""
    if other.single_when is None or other.single_when[2] != field_name:
        return None
    state_field, state, _per = other.single_when
    held = bool(ws.list(kind=other.name, where={field_name: keep_id, state_field: state}))
    fallback = next(c for c in other.field(state_field).choices if c != state)
    return state_field, state, held, fallback


def merge_clients(ws: Workspace, *, keep_id: str, duplicate_id: str) -> ChangeSet:
    """merge_duplicate of two clients."""
    return merge_duplicate(ws, kind="client", keep_id=keep_id, duplicate_id=duplicate_id)


def merge_if_both_live(ws: Workspace, *, kind: str, keep_id: str, duplicate_id: str) -> ChangeSet:
    """merge_duplicate, unless one of the two is gone (merged or deleted on another laptop already, or
    never here): then nothing changes."""
    found = ws.get_many(kind=kind, ids=[keep_id, duplicate_id]).values()
    if sum(1 for record in found if not record.deleted_at) < 2:
        return ChangeSet((), "")
    return merge_duplicate(ws, kind=kind, keep_id=keep_id, duplicate_id=duplicate_id)
