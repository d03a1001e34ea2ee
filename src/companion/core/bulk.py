"""Bulk reads and writes of many records at once: bundle import and export, demo loading, large undos."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator, Mapping, Sequence

from companion.core.changes import Change, Edit
from companion.model.errors import BundleError, ValidationError
from companion.model.ids import now
from companion.model.kinds import KINDS, KINDS_BY_NAME, Field, Kind, get_kind
from companion.model.reference_order import kinds_targets_first, rows_targets_first
from companion.model.rules import check_record, check_references, normalise_fields
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


def _stamp(value: object, where: str, name: str) -> str:
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


def _prepare(records: Mapping[str, Sequence[Mapping[str, object]]]) -> dict[str, dict[str, dict]]:
    """Validates every record on its own; returns {kind: {id: full row}}."""
    stamp = now()
    prepared: dict[str, dict[str, dict]] = {}
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
        prepared[kind_name] = by_id
    return prepared


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """A large import makes millions of objects that all live until it ends: the cycle collector
    would walk them again and again for nothing (a tenth of the import's time). Reference
    counting still frees everything else meanwhile."""
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
    prepared = _prepare(records)
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
