"""Records from the sync server written into the workspace: what others changed, with what this laptop
has not pushed yet kept on top, and no outbox entries (they are not this laptop's edits)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from companion.model.errors import CompanionError, ValidationError
from companion.model.kinds import KINDS_BY_NAME, Kind
from companion.model.reference_order import kinds_targets_first, rows_targets_first
from companion.model.rules import check_record
from companion.model.values import normalise, quick_checks
from companion.store import records as rows
from companion.store import search_index

# A pull that would delete more than this share of the laptop's live records stops and asks.
DELETE_SHARE_LIMIT = 0.25
# The workspace's bookkeeping key for the rows set aside (JSON: id → {kind, seq, problem}).
SET_ASIDE = "sync_set_aside"


class TooManyDeletes(CompanionError):
    """A pull would delete a large share of the workspace: nothing was written; it needs a person's yes."""


@dataclass
class Applied:
    written: int = 0
    inserted: int = 0  # of the written, records new to this laptop
    deleted: int = 0
    kept_local: int = 0  # records whose unpushed local edits stayed on top
    # What this page wrote, as (kind, id, values): the domain reactions note what they must follow.
    records: list[tuple[str, str, Mapping[str, object]]] = field(default_factory=list)
    # Rows this laptop could not store (a value its rules refuse), by id: {kind, seq, problem}. They are
    # left out, the rest of the page is written, and sync goes on; a later good version replaces them.
    set_aside: dict[str, dict] = field(default_factory=dict)
    accepted: set[str] = field(default_factory=set)  # ids of the page's rows this laptop now holds


def _is_mapping(value: object) -> bool:
    # A page's rows and fields are dicts: asked first, since an ABC's isinstance costs several times more.
    return type(value) is dict or isinstance(value, Mapping)


def _readable(row: object) -> bool:
    # type() rather than isinstance: a page holds thousands of rows, each checked here, and JSON gives
    # exactly these types (isinstance with `str | None` builds the union anew on every call).
    if not _is_mapping(row):
        return False
    get = row.get
    deleted = get("deleted_at")
    return (
        type(get("kind")) is str
        and type(get("id")) is str
        and type(get("seq")) is int
        and _is_mapping(get("fields"))
        and type(get("created_at")) is str
        and type(get("updated_at")) is str
        and (deleted is None or type(deleted) is str)
    )


def _problem(kind: Kind, values: Mapping[str, object], *, whole: bool, record_id: str) -> str | None:
    """Why this laptop cannot store the values (its own rules, as for an edit here), or None."""
    checks = quick_checks(kind)
    try:
        for f in kind.required_fields:
            if f.name in values and values[f.name] is None:
                return f"{kind.label} · {f.label} ({f.name}): is required"
        for name, value in values.items():
            if value is None:
                continue  # most of a record's fields are empty: nothing to look at
            f, quick = checks[name]
            if not quick(value) and normalise(kind, f, value) != value:
                return f"{kind.label} · {f.label} ({name}): not written as Companion writes it"
        if whole:
            check_record(kind, values, record_id=record_id)
    except ValidationError as exc:
        return str(exc)
    return None


def apply_rows(
    conn, pulled: Sequence[Mapping[str, object]], *, team_id: str | None, live_before: int, deleted_so_far: int,
    allow_deletes: bool,
) -> Applied:  # fmt: skip
    result = Applied()
    by_kind: dict[str, list[Mapping[str, object]]] = {}
    for row in pulled:
        if not _readable(row):
            record_id = str(row.get("id")) if isinstance(row, Mapping) else "?"
            result.set_aside[record_id] = {
                "kind": "?",
                "seq": None,
                "problem": "not a record this version reads",
            }
        elif str(row["kind"]) in KINDS_BY_NAME:  # a kind from a newer version waits for an upgrade
            by_kind.setdefault(str(row["kind"]), []).append(row)
    for kind_name, items in by_kind.items():
        kind = KINDS_BY_NAME[kind_name]
        ids = [str(r["id"]) for r in items]
        local = rows.fetch(conn, kind, ids)
        pending = rows.pending_fields(conn, ids)
        fresh: list[dict] = []  # records new to this laptop: written together, indexed together
        unchanged: list[tuple] = []  # (seq, team, id) of records whose values are the same here
        names = kind.field_names
        for row in items:
            record_id = str(row["id"])
            mine = pending.get(record_id)
            fields = row["fields"] if _is_mapping(row["fields"]) else {}
            get = fields.get
            values = {n: get(n) for n in names} if not mine else {n: get(n) for n in names if n not in mine}
            if mine:
                result.kept_local += 1
            current = local.get(record_id)
            deleted = row.get("deleted_at")
            if current is None and deleted:
                continue
            if deleted and current is not None and current["deleted_at"] and not mine:
                # Deleted here and there: only its number is news (the server may keep a record made
                # and deleted offline without its values).
                unchanged.append((row["seq"], team_id, record_id))
                result.accepted.add(record_id)
                continue
            problem = _problem(kind, values, whole=current is None and not mine, record_id=record_id)
            if problem is not None:
                result.set_aside[record_id] = {"kind": kind_name, "seq": row["seq"], "problem": problem}
                continue
            result.accepted.add(record_id)
            if current is None:
                fresh.append(
                    {
                        "id": record_id, "team_id": team_id, "created_at": row["created_at"],
                        "updated_at": row["updated_at"], "row_seq": row["seq"], **values,
                    }
                )  # fmt: skip
                result.written += 1
                result.inserted += 1
                result.records.append((kind_name, record_id, values))
                continue
            same = all(current.get(name) == value for name, value in values.items())
            if same and bool(deleted) == bool(current["deleted_at"]):
                # Usually this laptop's own edit coming back: only its sequence number is news.
                unchanged.append((row["seq"], team_id, record_id))
                continue
            update = {**values, "row_seq": row["seq"], "updated_at": row["updated_at"], "team_id": team_id}
            if deleted and current["deleted_at"] is None and not mine:
                update["deleted_at"] = deleted
                result.deleted += 1
            elif not deleted and current["deleted_at"] is not None and "*" not in (mine or ()):
                update["deleted_at"] = None  # restored elsewhere
            rows.update(conn, kind, record_id, update)
            merged = {**current, **update}
            if merged.get("deleted_at"):
                search_index.unindex(conn, [record_id])
            else:
                search_index.index(conn, kind, [merged])
            result.written += 1
            result.records.append((kind_name, record_id, values))
        if unchanged:
            rows.set_row_seqs(conn, kind, unchanged)
        if fresh:
            rows.insert(conn, kind, fresh)
            search_index.index(conn, kind, fresh, fresh_ids={r["id"] for r in fresh})
    total = deleted_so_far + result.deleted
    if not allow_deletes and result.deleted and total > DELETE_SHARE_LIMIT * max(live_before, 1):
        # Raised inside the page's transaction: nothing of the page is written.
        raise TooManyDeletes(
            f"This sync would delete {total} of {live_before} records here. "
            "Nothing was changed. If that is expected, sync again allowing deletes."
        )
    return result


def set_aside_of(stored: str | None) -> dict[str, dict]:
    """The rows set aside, from the workspace's bookkeeping."""
    return json.loads(stored) if stored else {}


def set_aside_after(stored: str | None, applied: Applied) -> str | None:
    """The rows set aside once a page is written: its new ones added, those it wrote after all gone."""
    aside = set_aside_of(stored)
    if not aside and not applied.set_aside:
        return stored
    for record_id in applied.accepted:
        aside.pop(record_id, None)
    aside.update(applied.set_aside)
    return json.dumps(aside) if aside else None


def differing_from_server(conn, pulled: Sequence[Mapping[str, object]]) -> tuple[set[str], set[str]]:
    """Of a page of the server's rows: the ids it holds, and those whose version here differs (a value,
    or deleted here and not there, or the other way round)."""
    held: set[str] = set()
    differing: set[str] = set()
    by_kind: dict[str, list[Mapping[str, object]]] = {}
    for row in pulled:
        if _readable(row):
            held.add(str(row["id"]))
            if str(row["kind"]) in KINDS_BY_NAME:
                by_kind.setdefault(str(row["kind"]), []).append(row)
    for kind_name, items in by_kind.items():
        kind = KINDS_BY_NAME[kind_name]
        local = rows.fetch(conn, kind, [str(r["id"]) for r in items])
        for row in items:
            mine = local.get(str(row["id"]))
            if mine is None:
                continue
            theirs = row["fields"]
            if bool(mine["deleted_at"]) != bool(row["deleted_at"]) or any(
                mine.get(name) != theirs.get(name) for name in kind.field_names
            ):
                differing.add(str(row["id"]))
    return held, differing


def queue_what_the_server_lost(conn, *, held: set[str], differing: set[str]) -> int:
    """After the server was restored from a backup: every record here that it lacks, or holds in another
    version, goes into the outbox again whole (what it points at first); the count.

    Its numbers from before the restore mean nothing now, so everything waiting is sent as grown from
    nothing (base 0): the server keeps a field this laptop wrote last, and where another laptop wrote it
    too, keeps both values for a person (the later one wins meanwhile). Nothing is lost either way.
    """
    entries: list[dict] = []
    for kind in kinds_targets_first():
        resent: list[str] = []
        for row in rows_targets_first(kind, rows.select_rows(conn, kind, include_deleted=True)):
            record_id = str(row["id"])
            if record_id in held and record_id not in differing:
                continue
            resent.append(record_id)
            if row["deleted_at"]:
                entries.append(_resent(kind, record_id, "delete", (), str(row["updated_at"])))
            else:
                # Every field, the empty ones too (cleared here), and back from a delete there.
                names = (
                    [*kind.field_names, "deleted_at"]
                    if record_id in held
                    else [n for n in kind.field_names if row[n] is not None]
                )
                entries.append(_resent(kind, record_id, "upsert", names, str(row["updated_at"])))
        # Its waiting edits are in the whole record now; and it has no number from this server yet.
        rows.delete_outbox_of(conn, resent)
        rows.forget_row_seqs(conn, kind, resent)
    rows.zero_base_seqs(conn)
    rows.add_outbox(conn, entries)
    return len(entries)


def _resent(kind: Kind, record_id: str, op: str, names, stamp: str) -> dict:
    return {
        "kind": kind.name, "record_id": record_id, "op": op, "fields": sorted(names), "base_seq": 0,
        "changed_at": stamp,
    }  # fmt: skip
