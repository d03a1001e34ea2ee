"""Bulk reads and writes of many records at once: bundle import and export, demo loading, large undos."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
from collections.abc import Iterator, Mapping, Sequence

from companion.core.changes import Change, Edit
from companion.model.errors import BundleError, ValidationError
from companion.model.ids import now
from companion.model.kinds import KINDS, KINDS_BY_NAME, Field, Kind, get_kind
from companion.model.labels import choice_label
from companion.model.reference_order import kinds_targets_first, rows_targets_first
from companion.model.rules import check_no_loops, check_record, check_references, normalise_fields
from companion.model.values import ID_SPELLING, is_uuid, normalise
from companion.store import records as rows
from companion.store import search_index

STAMP_FIELDS = ("created_at", "updated_at")
# Undoing (or redoing) a change set of at least this many edits checks and writes them together
# (`deletes_or_restores`); fewer go one by one, where a refusal names its record first.
UNDO_IN_BULK_FROM = 100


def _shared(kind_name: str) -> bool:
    """A kind that exists on its own, not inside one client: pulled into a client's export when used."""
    return get_kind(kind_name).stands_alone


# A timestamp already as now() writes it (UTC, microseconds, Z; years from 1000, which strftime pads alike).
_STORED_STAMP = re.compile(r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


def _stamp(value: object, where: str, name: str) -> str:
    if type(value) is str and _STORED_STAMP.fullmatch(value):
        try:
            dt.datetime.fromisoformat(value[:-1])  # a real moment (no 31 February): kept as written
            return value
        except ValueError:
            pass  # said below, as for any other bad timestamp
    if not isinstance(value, str):
        raise BundleError(f"{where}: '{name}' must be a timestamp like 2026-01-31T09:00:00.000000Z.")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)  # timestamps without a zone are UTC, as written
        # Stored like now() writes them, so they sort as text.
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    except (ValueError, OverflowError):
        raise BundleError(f"{where}: '{name}' value '{value}' is not a timestamp.") from None


def _value(kind: Kind, f: Field, value: object) -> object:
    """normalise(kind, f, value), answered without the call for the commonest valid values.

    Each shortcut returns exactly what normalise returns for such a value; anything else,
    and every error, goes through normalise itself.
    """
    kind_of = f.type
    if kind_of == "ref":
        if type(value) is str and ID_SPELLING.fullmatch(value):
            return value.lower()
    elif kind_of == "enum":
        if type(value) is str and value in f.choices:
            return value
    elif (
        kind_of == "int"
        and type(value) is int
        and (f.min is None or value >= f.min)
        and (f.max is None or value <= f.max)
    ):
        return value
    return normalise(kind, f, value)


def _prepare(
    records: Mapping[str, Sequence[Mapping[str, object]]],
) -> tuple[dict[str, dict[str, dict]], dict[str, Mapping[str, object]]]:
    """Validates every record on its own; returns {kind: {id: full row}} and each record as given, by id."""
    stamp = now()
    prepared: dict[str, dict[str, dict]] = {}
    given: dict[str, Mapping[str, object]] = {}
    seen: dict[str, str] = {}
    good_stamps: dict[str, str] = {}  # timestamps already read once (created and updated are often equal)
    skipped = ("id", *STAMP_FIELDS)
    for kind_name, items in records.items():
        if kind_name not in KINDS_BY_NAME:
            raise BundleError(f"The bundle holds records of an unknown kind '{kind_name}'.")
        kind = KINDS_BY_NAME[kind_name]
        if not isinstance(items, (list, tuple)):
            raise BundleError(f"The bundle's '{kind_name}' entry must be a list of records.")
        fields = {f.name: f for f in kind.fields}
        blank = dict.fromkeys(fields)
        by_id: dict[str, dict] = {}
        for number, item in enumerate(items, start=1):
            if not isinstance(item, Mapping):
                raise BundleError(f"{kind.label} #{number} is not an object with fields.")
            record_id = item.get("id")
            if not is_uuid(record_id):
                raise BundleError(
                    f"{kind.label} #{number}: 'id' must be a record id (a UUID), not {record_id!r}."
                )
            record_id = str(record_id).lower()
            if record_id in seen:
                raise BundleError(
                    f"{kind.label} #{number} (id {record_id}): the id is used twice in the bundle."
                )
            seen[record_id] = kind_name
            # The row is {"id", every field in order, the stamps}; values as normalise_fields gives them.
            row = {"id": record_id, **blank}
            try:
                for name, value in item.items():
                    if name in skipped:
                        continue
                    f = fields.get(name)
                    if f is None:
                        normalise_fields(kind, {name: value})  # raises the unknown-field error
                    row[name] = _value(kind, f, value)
                check_record(kind, row, record_id=record_id)
            except ValidationError as exc:
                raise BundleError(f"{kind.label} #{number} (id {record_id}): {exc}") from None
            for name in STAMP_FIELDS:
                if name not in item:
                    row[name] = stamp
                    continue
                value = item[name]
                normal = good_stamps.get(value) if type(value) is str else None
                if normal is None:
                    normal = _stamp(value, f"{kind.label} #{number} (id {record_id})", name)
                    good_stamps[value] = normal
                row[name] = normal
            by_id[record_id] = row
            given[record_id] = item
        prepared[kind_name] = by_id
    return prepared, given


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """A large import makes millions of objects that all live until it ends, and a sync's batches
    thousands at a time: the cycle collector would walk them, and everything else alive, again and
    again for nothing (a tenth of an import's time). Reference counting still frees everything else
    meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_records(conn, records: Mapping[str, Sequence[Mapping[str, object]]]) -> list[Change]:
    """Validates a whole set of records, then writes what differs in the caller's transaction.

    Records are matched by id: new ones are created with their own timestamps, changed ones
    updated, identical ones left alone, so importing the same records twice changes nothing.
    """
    with cycle_collector_paused():
        return _import(conn, records)


def _import(conn, records: Mapping[str, Sequence[Mapping[str, object]]]) -> list[Change]:
    prepared, given = _prepare(records)
    # Ids are unique across kinds: a bundle may not reuse the id of a record of another kind.
    kind_of = {record_id: kind_name for kind_name, by_id in prepared.items() for record_id in by_id}
    for record_id, held_by in search_index.indexed_kinds(conn, list(kind_of)).items():
        if held_by != kind_of[record_id]:
            raise BundleError(
                f"{get_kind(kind_of[record_id]).label} {record_id}: the workspace has a "
                f"{get_kind(held_by).label.lower()} with this id already; ids are unique across kinds."
            )
    existing = {
        kind_name: rows.fetch(conn, get_kind(kind_name), list(by_id)) for kind_name, by_id in prepared.items()
    }
    # References may point into the bundle or at live records already in the workspace.
    wanted: dict[str, set[str]] = {}
    for kind_name, by_id in prepared.items():
        kind = get_kind(kind_name)
        for f in kind.fields:
            if not f.is_reference:
                continue
            bucket = wanted.setdefault(f.ref_kind, set())
            for row in by_id.values():
                value = row[f.name]
                if value is not None:
                    bucket.update(value if f.is_list else [value])
    live: dict[str, dict[str, dict]] = {}
    for kind_name, ids in wanted.items():
        missing = [i for i in ids if i not in prepared.get(kind_name, {})]
        live[kind_name] = (
            rows.fetch(conn, get_kind(kind_name), missing, include_deleted=False) if missing else {}
        )

    def lookup(kind_name: str, record_id: str):
        return prepared.get(kind_name, {}).get(record_id) or live.get(kind_name, {}).get(record_id)

    for kind_name, by_id in prepared.items():
        kind = get_kind(kind_name)
        references = [f.name for f in kind.reference_fields]
        if not references:
            continue
        for record_id, row in by_id.items():
            # check_references looks only at references that are set.
            if all(row[name] is None for name in references):
                continue
            try:
                check_references(kind, row, lookup)
            except ValidationError as exc:
                raise BundleError(f"{kind.label} {record_id}: {exc}") from None

    # The write path's other rules, over the workspace as the import would leave it.
    _check_ids_of_deleted_records(conn, prepared, existing)
    _check_no_loops(conn, prepared, existing)
    _check_moves(conn, prepared, existing)
    _check_single(conn, prepared, existing)
    _check_ready_meetings(conn, prepared, existing)
    _check_signoffs(conn, prepared, existing)

    stamp = now()
    changes: list[Change] = []
    outbox: list[dict] = []  # written once at the end, in the order of the changes
    sorted_fields: dict[tuple[str, ...], list[str]] = {}  # most new records set the same fields
    # The outbox in the order the sync server takes records: what a record points at goes before it.
    for kind in kinds_targets_first():
        by_id = prepared.get(kind.name)
        if not by_id:
            continue
        field_names = kind.field_names
        old_rows = existing[kind.name]
        inserts, reindex = [], []
        for row in rows_targets_first(kind, by_id.values()):
            record_id = row["id"]
            old = old_rows.get(record_id)
            if old is None:
                inserts.append(row)
                after = {name: row[name] for name in field_names if row[name] is not None}
                names = tuple(after)
                listed = sorted_fields.get(names)
                if listed is None:
                    listed = sorted_fields[names] = sorted(names)
                outbox.append(
                    {
                        "kind": kind.name,
                        "record_id": record_id,
                        "op": "upsert",
                        "fields": listed,
                        "base_seq": 0,
                        "changed_at": stamp,
                    }
                )
                changes.append(Change("create", kind.name, record_id, {}, after))
                continue
            changed = {name: row[name] for name in field_names if old.get(name) != row[name]}
            if changed:
                _left_out(
                    kind, record_id, row, given[record_id], changed
                )  # refused: the whole import rolls back
            restored = old["deleted_at"] is not None
            if restored:
                rows.update(conn, kind, record_id, {"deleted_at": None, "updated_at": stamp})
                outbox.append(_outbox(kind, record_id, "upsert", ["deleted_at"], old["row_seq"], stamp))
                changes.append(Change("restore", kind.name, record_id, {}, {}))
            if changed:
                rows.update(conn, kind, record_id, {**changed, "updated_at": stamp})
                outbox.append(_outbox(kind, record_id, "upsert", changed, old["row_seq"], stamp))
                before = {k: old.get(k) for k in changed}
                changes.append(Change("update", kind.name, record_id, before, changed))
            if restored or changed:
                reindex.append(row)
        rows.insert(conn, kind, inserts)
        # New records first: their index entries need no lookup of stale ones.
        search_index.index(conn, kind, inserts, fresh_ids={row["id"] for row in inserts})
        search_index.index(conn, kind, reindex)
    rows.add_outbox(conn, outbox)
    return changes


# --- the write path's rules, held for an import -------------------------------------------------
# Each check reads the workspace as the import would leave it: a record of the bundle as given, any other
# as the workspace holds it. Each refusal names the record; nothing is written.

# Fields pointing at a record of their own kind (a position's reports-to, a sub-group's parent).
SELF_REFERENCES = tuple(
    (kind, f) for kind in KINDS for f in kind.fields if f.type == "ref" and f.ref_kind == kind.name
)
# Kinds some field must point at within one client (a position's site, a sub-group's parent).
SAME_CLIENT_TARGETS = frozenset(f.ref_kind for kind in KINDS for f in kind.fields if f.same_client)


def _refused(kind: Kind, record_id: str, exc: ValidationError) -> BundleError:
    return BundleError(f"{kind.label} {record_id}: {exc}")


def _written(kind: Kind, by_id: Mapping[str, dict], old_rows: Mapping[str, dict], fields=None) -> list[str]:
    """The ids of the records the import creates, restores or changes (in `fields`, when given)."""
    names = fields if fields is not None else kind.field_names
    found = []
    for record_id, row in by_id.items():
        old = old_rows.get(record_id)
        if old is None or old["deleted_at"] is not None or any(old.get(n) != row[n] for n in names):
            found.append(record_id)
    return found


def _left_out(
    kind: Kind, record_id: str, row: Mapping[str, object], item: Mapping[str, object], changed
) -> None:
    """A record already in the workspace is replaced whole: one that leaves out a field the workspace holds a
    value in would erase it unseen (a field left out reads as empty), so it is refused. Only what the import
    changes is looked at: a field left out that was empty already changes nothing."""
    left_out = [f for f in kind.fields if f.name in changed and row[f.name] is None and f.name not in item]
    if not left_out:
        return
    listed = ", ".join(f"{f.label} ({f.name})" for f in left_out[:6])
    if len(left_out) > 6:
        listed += f" and {len(left_out) - 6} more fields"
    raise BundleError(
        f"{kind.label} {record_id}: the bundle leaves out {listed}, which the workspace holds. "
        "A record already in the workspace is replaced whole: give every field (null to empty one), "
        "as `companion export` writes it."
    )


def _check_ids_of_deleted_records(
    conn, prepared: Mapping[str, Mapping[str, dict]], existing: Mapping[str, Mapping[str, dict]]
) -> None:
    """Ids are unique across kinds, deleted records' included (a live one was looked up already)."""
    new = {
        i: kind_name for kind_name, by_id in prepared.items() for i in by_id if i not in existing[kind_name]
    }
    if not new:
        return
    for kind in KINDS:
        held = rows.count_rows(conn, kind, include_deleted=True)
        if not held or held == rows.count_rows(conn, kind):
            continue  # no deleted records of this kind: nothing to collide with
        found = rows.fetch(conn, kind, [i for i, k in new.items() if k != kind.name])
        for record_id in found:
            raise BundleError(
                f"{get_kind(new[record_id]).label} {record_id}: the workspace has a deleted "
                f"{kind.label.lower()} with this id; ids are unique across kinds."
            )


def _check_no_loops(
    conn, prepared: Mapping[str, Mapping[str, dict]], existing: Mapping[str, Mapping[str, dict]]
) -> None:
    """A chain through a kind's own references (reports to, part of) that an imported record sets must end,
    not come back round (rules.check_no_loops, which names the record). Each record's chain is walked once
    over all the records checked, so a large org chart costs one pass."""
    for kind, f in SELF_REFERENCES:
        by_id = prepared.get(kind.name)
        if not by_id:
            continue
        checked = {
            i for i in _written(kind, by_id, existing[kind.name], (f.name,)) if by_id[i][f.name] is not None
        }
        if not checked:
            continue
        parents = {record_id: row[f.name] for record_id, row in by_id.items()}

        def parent_of(record_id: str, kind: Kind = kind, f: Field = f, parents: dict = parents) -> str | None:
            if record_id not in parents:  # outside the bundle: as the workspace holds it
                row = rows.fetch(conn, kind, [record_id], include_deleted=False).get(record_id)
                parents[record_id] = row[f.name] if row else None
            return parents[record_id]

        def lookup(_kind: str, record_id: str, f: Field = f, parent_of=parent_of) -> dict:
            return {f.name: parent_of(str(record_id))}

        ends: set[str] = set()  # records whose chain is known to end, or to loop without an imported record
        for start in by_id:
            if start not in checked or start in ends:
                continue
            path: dict[str, None] = {}
            current: str | None = start
            while current is not None and current not in ends and current not in path:
                path[current] = None
                current = parent_of(current)
            if current is not None and current in path:
                ring = list(path)[list(path).index(current) :]
                culprit = start if start in ring else next((i for i in ring if i in checked), None)
                if culprit is not None:  # a loop already in the workspace is not this import's doing
                    try:
                        check_no_loops(kind, by_id[culprit], culprit, lookup)
                    except ValidationError as exc:
                        raise _refused(kind, culprit, exc) from None
            ends.update(path)


def _check_moves(
    conn, prepared: Mapping[str, Mapping[str, dict]], existing: Mapping[str, Mapping[str, dict]]
) -> None:
    """A record given another client may not leave behind records of its old client that must be of its
    client pointing at it (the bundle's own records were checked by check_references)."""
    for kind_name, by_id in prepared.items():
        kind = get_kind(kind_name)
        if kind_name not in SAME_CLIENT_TARGETS or kind.field("client_id") is None:
            continue
        for record_id, old in existing[kind_name].items():
            new_client = by_id[record_id]["client_id"]
            if old.get("client_id") == new_client:
                continue
            stranded: dict[str, int] = {}
            for (other_name, field_name), ids in rows.live_referrers(conn, kind_name, record_id).items():
                other = get_kind(other_name)
                if not other.field(field_name).same_client:
                    continue
                outside = [i for i in ids if i not in prepared.get(other_name, {})]
                for row in rows.fetch(conn, other, outside).values():
                    if row.get("client_id") != new_client:
                        stranded[other_name] = stranded.get(other_name, 0) + 1
            if stranded:
                listed = ", ".join(
                    f"{n} {get_kind(k).label.lower() if n == 1 else get_kind(k).plural.lower()}"
                    for k, n in stranded.items()
                )
                raise BundleError(
                    f"{kind.label} {record_id}: {kind.label} · Client (client_id): {listed} of its present "
                    "client still point at it; change or clear those first, or bring them in the bundle."
                )


def _check_single(
    conn, prepared: Mapping[str, Mapping[str, dict]], existing: Mapping[str, Mapping[str, dict]]
) -> None:
    """Of kinds allowing one record per owner in a state (one active account plan per client), a record the
    import puts into that state (or gives another owner) may have no live twin."""
    for kind_name, by_id in prepared.items():
        kind = get_kind(kind_name)
        if kind.single_when is None:
            continue
        field, value, per = kind.single_when
        checked = [
            i for i in _written(kind, by_id, existing[kind_name], (field, per)) if by_id[i][field] == value
        ]
        if not checked:
            continue
        owners = sorted({str(by_id[i][per]) for i in checked})
        holders: dict[object, list[Mapping[str, object]]] = {}
        for row in by_id.values():
            if row[field] == value:
                holders.setdefault(row[per], []).append(row)
        for start in range(0, len(owners), 500):
            for row in rows.select_rows(conn, kind, where={per: owners[start : start + 500], field: value}):
                if row["id"] not in by_id:
                    holders.setdefault(row[per], []).append(row)
        for record_id in checked:
            row = by_id[record_id]
            twins = [other for other in holders.get(row[per], ()) if other["id"] != record_id]
            if twins:
                state = choice_label(value).lower()
                label = kind.field(field).label
                raise BundleError(
                    f"{kind.label} {record_id}: {kind.label} · {label} ({field}): “{twins[0][kind.title_field]}” "
                    f"is the {state} {kind.label.lower()} already; one may be {state} at a time. "
                    f"Set one of them to another {label.lower()} first."
                )


def _check_ready_meetings(
    conn, prepared: Mapping[str, Mapping[str, dict]], existing: Mapping[str, Mapping[str, dict]]
) -> None:
    """A meeting is ready only with every must-item of its checklist ticked: an import that leaves a meeting
    it writes (or one whose checklist it writes) ready with a must-item open is refused."""
    meetings = prepared.get("meeting", {})
    items = prepared.get("meeting_checklist_item", {})
    touched = set(_written(get_kind("meeting"), meetings, existing.get("meeting", {}))) if meetings else set()
    if items:
        item_kind = get_kind("meeting_checklist_item")
        touched.update(items[i]["meeting_id"] for i in _written(item_kind, items, existing[item_kind.name]))
    if not touched:
        return
    outside = [i for i in touched if i not in meetings]
    ready = {i for i in touched if i in meetings and meetings[i]["status"] == "ready"}
    ready.update(
        i
        for i, row in rows.fetch(conn, get_kind("meeting"), outside, include_deleted=False).items()
        if row["status"] == "ready"
    )
    if not ready:
        return
    checklist: dict[str, list[Mapping[str, object]]] = {}
    for row in items.values():
        checklist.setdefault(row["meeting_id"], []).append(row)
    wanted = sorted(ready)
    for start in range(0, len(wanted), 500):
        item_kind = get_kind("meeting_checklist_item")
        for row in rows.select_rows(conn, item_kind, where={"meeting_id": wanted[start : start + 500]}):
            if row["id"] not in items:
                checklist.setdefault(row["meeting_id"], []).append(row)
    for meeting_id in wanted:
        open_musts = [
            str(i["text"])
            for i in checklist.get(meeting_id, ())
            if i["must"] and not i["done"] and not i["removed"]
        ]
        if open_musts:
            raise BundleError(
                f"Meeting {meeting_id}: Meeting · Status (status): it cannot be ready while {len(open_musts)} "
                f"must-item{'s are' if len(open_musts) != 1 else ' is'} not ticked ({open_musts[0]}); "
                "set it to planned or tick the item in the bundle."
            )


def _check_signoffs(
    conn, prepared: Mapping[str, Mapping[str, dict]], existing: Mapping[str, Mapping[str, dict]]
) -> None:
    """A sign-off the import writes must name a pack version that exists (in the bundle or the workspace):
    one with a made-up content hash would show its colleague as cleared (induction.check_signoff)."""
    signoffs = prepared.get("pack_signoff")
    if not signoffs:
        return
    checked = _written(get_kind("pack_signoff"), signoffs, existing["pack_signoff"])
    if not checked:
        return
    from companion.core.induction import check_signoff, version_key  # the induction rules load the packs'

    version_kind = get_kind("pack_version")
    bundled = prepared.get(version_kind.name, {})
    known = {version_key(row) for row in bundled.values()}
    columns = ("id", "client_id", "candid", "number", "content_hash")
    for values in rows.select_columns(conn, version_kind, columns, ordered=False):
        if values[0] not in bundled:
            known.add(version_key(dict(zip(columns, values, strict=True))))
    for record_id in checked:
        try:
            check_signoff(signoffs[record_id], known)
        except ValidationError as exc:
            raise _refused(get_kind("pack_signoff"), record_id, exc) from None


def deletes_or_restores(conn, edits: Sequence[Edit], stamp: str) -> list[Change] | None:
    """Applies many plain deletes (an import undone) or many restores (that undo redone) in the caller's
    transaction, checked and written together, with the outcome of service._Batch's delete and restore
    applied one by one in this order: the same rows, search entries, outbox entries and changes.

    Returns None, having written nothing, for anything else and for anything the one-by-one path treats
    otherwise: a record missing or not in the state the edit needs, a delete a live record still points
    at when its turn comes (today it waits for a later delete, or is refused), a restore pointing at a
    record not live. The caller then applies the edits one by one, with today's outcome or refusal."""
    with cycle_collector_paused():
        return _deletes_or_restores(conn, edits, stamp)


def _deletes_or_restores(conn, edits: Sequence[Edit], stamp: str) -> list[Change] | None:
    ops = {edit.op for edit in edits}
    if ops not in ({"delete"}, {"restore"}) or any(edit.values for edit in edits):
        return None  # a cascade, an update or a mix: one by one
    deleting = ops == {"delete"}
    ids = [str(edit.id) for edit in edits]
    if len(set(ids)) != len(ids):
        return None
    kinds = {record_id: get_kind(edit.kind) for record_id, edit in zip(ids, edits, strict=True)}
    by_kind: dict[str, list[str]] = {}
    for record_id, kind in kinds.items():
        by_kind.setdefault(kind.name, []).append(record_id)
    current: dict[str, dict] = {}
    for kind_name, kind_ids in by_kind.items():
        found = rows.fetch(conn, get_kind(kind_name), kind_ids)
        for record_id in kind_ids:
            row = found.get(record_id)
            if row is None or bool(row["deleted_at"]) == deleting:
                return None  # not found (live, or deleted): the one-by-one path says so
            current[record_id] = row
    if deleting:
        if not _deletable_in_order(conn, ids, by_kind):
            return None
    elif not _restorable_in_order(conn, ids, kinds, current):
        return None

    outbox = []
    for record_id in ids:
        kind, row = kinds[record_id], current[record_id]
        fields = () if deleting else ("deleted_at",)
        outbox.append(
            _outbox(kind, record_id, "delete" if deleting else "upsert", fields, row["row_seq"], stamp)
        )
    for kind_name, kind_ids in by_kind.items():
        kind = get_kind(kind_name)
        rows.set_deleted(conn, kind, kind_ids, deleted_at=stamp if deleting else None, updated_at=stamp)
        if not deleting:
            search_index.index(conn, kind, [{"id": i, **_field_values(kind, current[i])} for i in kind_ids])
    if deleting:
        search_index.unindex(conn, ids)
    rows.add_outbox(conn, outbox)
    op = "delete" if deleting else "restore"
    return [Change(op, kinds[record_id].name, record_id, {}, {}) for record_id in ids]


def _deletable_in_order(conn, ids: Sequence[str], by_kind: Mapping[str, Sequence[str]]) -> bool:
    """Whether, deleting these records in order, none is still pointed at by a live record (a single
    reference: a list keeps a deleted member) when its turn comes."""
    blockers: dict[str, set[str]] = {}
    for kind_name, kind_ids in by_kind.items():
        blockers.update(rows.live_single_referrers(conn, kind_name, kind_ids))
    deleted: set[str] = set()
    for record_id in ids:
        if not blockers.get(record_id, set()) <= deleted:
            return False
        deleted.add(record_id)
    return True


def _restorable_in_order(
    conn, ids: Sequence[str], kinds: Mapping[str, Kind], current: Mapping[str, dict]
) -> bool:
    """Whether, restoring these (deleted) records in order, each one's single references point at live
    records of the same client where they must (check_references, as a restore checks them)."""
    wanted: dict[str, set[str]] = {}
    for record_id in ids:
        kind, row = kinds[record_id], current[record_id]
        for f in kind.fields:
            if f.type == "ref" and row.get(f.name) is not None:
                wanted.setdefault(f.ref_kind, set()).add(row[f.name])
    live = {
        kind_name: rows.fetch(conn, get_kind(kind_name), sorted(targets), include_deleted=False)
        for kind_name, targets in wanted.items()
    }
    restored: set[str] = set()

    def lookup(kind_name: str, record_id: str) -> dict | None:
        found = live.get(kind_name, {}).get(record_id)
        if found is None and record_id in restored and kinds[record_id].name == kind_name:
            found = current[record_id]
        return found

    for record_id in ids:
        kind = kinds[record_id]
        single_refs = {f.name for f in kind.fields if f.type == "ref"}
        try:
            check_references(kind, _field_values(kind, current[record_id]), lookup, fields=single_refs)
        except ValidationError:
            return False
        restored.add(record_id)
    return True


def _field_values(kind: Kind, row: Mapping[str, object]) -> dict[str, object]:
    return {f.name: row.get(f.name) for f in kind.fields}


def _outbox(kind: Kind, record_id: str, op: str, fields, base_seq: int, stamp: str) -> dict:
    return {
        "kind": kind.name,
        "record_id": record_id,
        "op": op,
        "fields": sorted(fields),
        "base_seq": base_seq,
        "changed_at": stamp,
    }


def _references(kind: Kind, row: Mapping[str, object]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    singles, lists = [], []
    for f in kind.fields:
        value = row.get(f.name)
        if value is None or not f.is_reference:
            continue
        if f.is_list:
            lists.extend((f.ref_kind, v) for v in value)
        else:
            singles.append((f.ref_kind, value))
    return singles, lists


def client_closure(all_rows: Mapping[str, Mapping[str, dict]], client_id: str) -> dict[str, set[str]]:
    """The ids, by kind, of everything that belongs with one client, so it imports on its own.

    A record belongs when it points at something of the client's (its client, a meeting, an
    interaction...); the shared records it uses (people, colleagues, templates) come along.
    A record reached only through a shared record (a note on a person, a tie between two
    people) comes only if everything it points at is already in.
    """
    included: dict[str, set[str]] = {k.name: set() for k in KINDS}
    included["client"].add(client_id)
    # The client's own references (its account owner) come along like any shared record's.
    singles, lists = _references(get_kind("client"), all_rows["client"][client_id])
    for k, t in singles + lists:
        if _shared(k) and t in all_rows.get(k, {}):
            included[k].add(t)

    def has(kind_name: str, record_id: str) -> bool:
        return record_id in included[kind_name]

    grew = True
    while grew:
        grew = False
        for kind in KINDS:
            if kind.name == "client" or _shared(kind.name):
                continue
            for record_id, row in all_rows.get(kind.name, {}).items():
                if record_id in included[kind.name]:
                    continue
                singles, lists = _references(kind, row)
                # The client itself stands alone too, yet what points at it is the client's own.
                anchored = any(has(k, t) and (k == "client" or not _shared(k)) for k, t in singles + lists)
                touches = any(has(k, t) for k, t in singles + lists)
                if not touches:
                    continue
                if anchored:
                    ok = all(has(k, t) or _shared(k) for k, t in singles)
                else:
                    ok = all(has(k, t) for k, t in singles)
                if not ok:
                    continue
                included[kind.name].add(record_id)
                grew = True
                for k, t in singles + lists:
                    if _shared(k) and t in all_rows.get(k, {}) and not has(k, t):
                        included[k].add(t)
                        # A pulled record's own references (a person's owner) come too.
                        pulled_singles, pulled_lists = _references(get_kind(k), all_rows[k][t])
                        for pk, pt in pulled_singles + pulled_lists:
                            if _shared(pk) and pt in all_rows.get(pk, {}):
                                included[pk].add(pt)
    return included
