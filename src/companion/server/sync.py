"""The server's side of sync: push (per-field merge, conflicts, tombstones, idempotent replays) and pull.

Ordering comes from one counter per team, locked for the whole push transaction, so sequence numbers
commit in order and a reader paging by sequence never skips a row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson
import sqlalchemy as sa

from companion.model.kinds import KINDS_BY_NAME
from companion.server import admin
from companion.server.schema import conflict, device, history, mutation, record, team_counter
from companion.sync import wire
from companion.sync.merge import merge3


class Forbidden(Exception):
    """Not this account's team (or no such team: the difference is never told)."""


class Gap(Exception):
    """A push skipped sequence numbers: earlier pushes of the device are missing."""


class BadMutation(Exception):
    """A mutation names an unknown kind or field."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_NEW_ROW = tuple(c.name for c in record.columns)
_JSON_COLUMNS = frozenset(c.name for c in record.columns if isinstance(c.type, sa.JSON))


class _Batch:
    """What one push has read and what it will write in bulk: records, their new rows, the stored results."""

    def __init__(self, conn: sa.Connection, team_id: str, ids: list[str]):
        self.conn = conn
        self.team_id = team_id
        self.stamp = _now()  # one time for the whole push: it commits as one
        # Every mutation applied exactly as sent (no conflict, no merge, no skip): the device then holds
        # what the server holds for these records and need not read them back.
        self.clean = True
        self.held = {
            r.id: r for r in conn.execute(sa.select(record).where(record.c.id.in_(ids)).with_for_update())
        }
        self.new_rows: list[dict] = []
        self.new_ids: set[str] = set()
        self.touched: set[str] = set()
        self.results: list[dict] = []
        self._client_names: dict[str, str] | None = None

    def record(self, record_id: str):
        """The record as it stands now (re-read when this push already wrote it)."""
        if record_id in self.new_ids:
            self.flush()
        if record_id in self.touched:
            self.held[record_id] = self.conn.execute(
                sa.select(record).where(record.c.id == record_id)
            ).first()
            self.touched.discard(record_id)
        return self.held.get(record_id)

    def client_names(self) -> dict[str, str]:
        if self._client_names is None:
            rows = self.conn.execute(
                sa.select(record.c.id, record.c.fields).where(
                    record.c.team_id == self.team_id, record.c.kind == "client", record.c.deleted_at.is_(None)
                )
            )
            self._client_names = {str(r.fields.get("name", "")).casefold().strip(): r.id for r in rows}
        return self._client_names

    def flush(self) -> None:
        if self.new_rows:
            # One driver-level executemany, the JSON encoded here: SQLAlchemy's per-row parameter
            # processing cost more than the insert (PostgreSQL casts the text to json itself).
            mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
            columns = ", ".join(_NEW_ROW)
            self.conn.exec_driver_sql(
                f"INSERT INTO record ({columns}) VALUES ({', '.join([mark] * len(_NEW_ROW))})",
                [
                    tuple(orjson.dumps(row[c]).decode() if c in _JSON_COLUMNS else row[c] for c in _NEW_ROW)
                    for row in self.new_rows
                ],
            )
            self.touched |= self.new_ids
            self.new_rows, self.new_ids = [], set()


def _check_team(conn: sa.Connection, account_id: str, team_id: str) -> None:
    if team_id not in admin.teams_of(conn, account_id):
        raise Forbidden


def push(engine: sa.Engine, *, account_id: str, request: wire.PushRequest) -> dict:
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        _check_team(conn, account_id, request.team_id)
        held = conn.execute(sa.select(device).where(device.c.id == request.device_id)).first()
        if held is None:
            conn.execute(sa.insert(device).values(id=request.device_id, account_id=account_id, last_seq=0))
            last = 0
        elif held.account_id != account_id:
            raise Forbidden
        else:
            last = int(held.last_seq)
        counter = conn.execute(
            sa.select(team_counter.c.seq).where(team_counter.c.team_id == request.team_id).with_for_update()
        ).scalar_one()
        cursor_before = counter
        results: list[dict] = []
        batch = _Batch(conn, request.team_id, [m.id for m in request.mutations if m.seq > last])
        earlier = _StoredResults(conn, request.device_id)
        for m in request.mutations:
            if m.seq <= last:
                stored = earlier.get(m.seq)
                results.append({**_result(m.seq), **(stored or {}), "replayed": True})
                batch.clean = False
                continue
            if m.seq != last + 1:
                raise Gap(
                    f"push {m.seq} does not follow {last}: pushes {last + 1} to {m.seq - 1} of this device are missing"
                )
            counter += 1
            result = _apply(batch, request.device_id, m, counter)
            batch.results.append(result)
            results.append(result)
            last = m.seq
        batch.flush()
        if batch.results:
            # One row per push, under its first mutation's number: a replay finds its result there.
            conn.execute(
                sa.insert(mutation).values(
                    device_id=request.device_id,
                    seq=batch.results[0]["seq"],
                    result={"results": batch.results},
                )
            )
        conn.execute(sa.update(device).where(device.c.id == request.device_id).values(last_seq=last))
        conn.execute(
            sa.update(team_counter).where(team_counter.c.team_id == request.team_id).values(seq=counter)
        )
        # As a plain dict shaped like wire.PushResponse: validating 500 results again costs more than the
        # push's own writes, and they are built here from checked values.
        return {
            "results": results, "last_seq": last, "clean": batch.clean,
            "cursor_before": cursor_before, "cursor_after": counter,
        }  # fmt: skip


class _StoredResults:
    """What the server answered for a device's earlier mutations, read one stored push at a time (a
    replayed batch of 2,000 asks 2,000 times)."""

    def __init__(self, conn: sa.Connection, device_id: str):
        self.conn, self.device_id = conn, device_id
        self.known: dict[int, dict] = {}

    def get(self, seq: int) -> dict | None:
        if seq not in self.known:
            row = self.conn.execute(
                sa.select(mutation.c.seq, mutation.c.result)
                .where(mutation.c.device_id == self.device_id, mutation.c.seq <= seq)
                .order_by(mutation.c.seq.desc())
                .limit(1)
            ).first()
            if row is not None:
                stored = row.result
                # A row of one result was written before pushes were stored whole.
                for result in stored.get("results", [stored]):
                    self.known[int(result["seq"])] = result
        return self.known.get(seq)


def _result(seq: int, record_seq: int | None = None, applied=(), conflicts=()) -> dict:
    """One mutation's outcome, shaped like wire.MutationResult."""
    return {
        "seq": seq, "record_seq": record_seq, "applied": sorted(applied), "conflicts": list(conflicts),
        "replayed": False,
    }  # fmt: skip


_WRITABLE = {k.name: frozenset((*k.field_names, "deleted_at")) for k in KINDS_BY_NAME.values()}


def _check_fields(m: wire.Mutation) -> None:
    writable = _WRITABLE.get(m.kind)
    if writable is None:
        raise BadMutation(f"mutation {m.seq}: there is no record kind '{m.kind}'")
    unknown = m.fields.keys() - writable
    if unknown:
        kind = KINDS_BY_NAME[m.kind]
        raise BadMutation(f"mutation {m.seq}: {kind.label} has no field {', '.join(sorted(unknown))}")


def _value_at(
    conn: sa.Connection, record_id: str, field: str, seq: int, current: Any, current_seq: int
) -> Any:
    """What the field held at `seq`: the latest value written at or before it."""
    if current_seq <= seq:
        return current
    row = conn.execute(
        sa.select(history.c.value)
        .where(history.c.record_id == record_id, history.c.field == field, history.c.seq <= seq)
        .order_by(history.c.seq.desc())
        .limit(1)
    ).first()
    return row.value if row is not None else None


def _add_conflict(
    conn, team_id, m: wire.Mutation, field, reason, seq, *, base=None, kept=None, other=None, device_id=None
):
    conflict_id = str(uuid.uuid4())
    conn.execute(
        sa.insert(conflict).values(
            id=conflict_id, team_id=team_id, record_id=m.id, kind=m.kind, field=field, reason=reason,
            base=base, kept=kept, other=other, other_device=device_id, seq=seq,
        )
    )  # fmt: skip
    return conflict_id


def _apply(batch: _Batch, device_id: str, m: wire.Mutation, seq: int) -> dict:
    _check_fields(m)
    conn, team_id = batch.conn, batch.team_id
    kind = KINDS_BY_NAME[m.kind]
    stamp = batch.stamp
    held = batch.record(m.id)
    if held is not None and held.team_id != team_id:
        raise Forbidden
    fields_in = {f: v for f, v in m.fields.items() if f != "deleted_at"}
    if held is None:
        if m.op == "delete":
            return _result(m.seq)  # made and deleted offline: nothing to tell anyone
        conflicts = []
        title = kind.title_field
        if kind.name == "client" and fields_in.get(title):
            # The same client made on two laptops: both kept, flagged for a person to merge.
            name = str(fields_in[title]).casefold().strip()
            twin = batch.client_names().get(name)
            if twin is not None:
                conflicts.append(
                    _add_conflict(
                        conn, team_id, m, title, "possible_duplicate", seq,
                        kept=fields_in[title], other=twin, device_id=device_id,
                    )
                )  # fmt: skip
            batch.client_names()[name] = m.id
        batch.new_rows.append(
            {
                "id": m.id, "team_id": team_id, "kind": m.kind, "fields": fields_in,
                "field_seqs": {f: seq for f in fields_in}, "field_hlcs": {f: f"{m.hlc}|{device_id}" for f in fields_in},
                "created_at": m.created_at or stamp, "updated_at": stamp, "deleted_at": None, "deleted_seq": None,
                "seq": seq,
            }
        )  # fmt: skip
        batch.new_ids.add(m.id)
        batch.clean = batch.clean and not conflicts
        return _result(m.seq, seq, fields_in, conflicts)

    fields, seqs, hlcs = dict(held.fields), dict(held.field_seqs), dict(held.field_hlcs)
    deleted_at, deleted_seq = held.deleted_at, held.deleted_seq
    applied: list[str] = []
    conflicts: list[str] = []
    if m.op == "delete":
        if deleted_at is None:
            # What others wrote since the device last read the record; its own earlier edits it knows.
            own = f"|{device_id}"
            unseen = sorted(
                f for f, s in seqs.items() if s > m.base_seq and not str(hlcs.get(f, "")).endswith(own)
            )
            if unseen:
                # Someone edited what this device deleted without seeing it: keep the record, ask a person.
                conflicts.append(
                    _add_conflict(
                        conn, team_id, m, "*", "delete_after_edit", seq, other=unseen, device_id=device_id
                    )
                )
            else:
                deleted_at, deleted_seq = stamp, seq
                applied.append("deleted_at")
    else:
        if deleted_at is not None and (deleted_seq or 0) > m.base_seq:
            # An edit that never saw the delete brings the record back, flagged.
            deleted_at, deleted_seq = None, None
            applied.append("deleted_at")
            conflicts.append(
                _add_conflict(conn, team_id, m, "*", "edit_after_delete", seq, device_id=device_id)
            )
        elif deleted_at is not None and "deleted_at" in m.fields and m.fields["deleted_at"] is None:
            deleted_at, deleted_seq = None, None  # restored on the device
            applied.append("deleted_at")
        incoming_hlc = f"{m.hlc}|{device_id}"
        own = f"|{device_id}"
        for name, value in fields_in.items():
            current = fields.get(name)
            field_seq = int(seqs.get(name, 0))
            if current == value:
                continue
            if field_seq <= m.base_seq or str(hlcs.get(name, "")).endswith(own):
                # Unchanged since the device saw it, or last written by this very device (an edit made
                # while its previous push was on the way): the new value simply follows.
                _keep_history(conn, m.id, name, current, field_seq, device_id)
                fields[name], seqs[name], hlcs[name] = value, seq, incoming_hlc
                applied.append(name)
                continue
            if str(hlcs.get(name, "")).endswith(f"{own}|merged"):
                # This device's last write was merged with others' here; its new edit grew from what
                # it wrote, so that is the base the others' part is kept against.
                base = _sent_value(conn, m.id, name, field_seq)
            else:
                base = _value_at(conn, m.id, name, m.base_seq, current, field_seq)
            field = kind.field(name)
            merged = merge3(base, value, current) if field is not None and field.type == "longtext" else None
            if merged is not None:
                _keep_history(conn, m.id, name, current, field_seq, device_id)
                if merged != value:
                    _keep_history(conn, m.id, name, value, seq, device_id)  # as this device wrote it
                    batch.clean = False
                # Marked merged: the value holds others' writing too, so this device's next edit is
                # not "its own value, simply followed" (it never saw the merge).
                tag = incoming_hlc if merged == value else f"{incoming_hlc}|merged"
                fields[name], seqs[name], hlcs[name] = merged, seq, tag
                applied.append(name)
            elif incoming_hlc > str(hlcs.get(name, "")):
                _keep_history(conn, m.id, name, current, field_seq, device_id)
                fields[name], seqs[name], hlcs[name] = value, seq, incoming_hlc
                applied.append(name)
                conflicts.append(
                    _add_conflict(
                        conn,
                        team_id,
                        m,
                        name,
                        "concurrent_edit",
                        seq,
                        base=base,
                        kept=value,
                        other=current,
                        device_id=device_id,
                    )
                )
            else:
                _keep_history(conn, m.id, name, value, seq, device_id)  # the loser, kept
                conflicts.append(
                    _add_conflict(
                        conn,
                        team_id,
                        m,
                        name,
                        "concurrent_edit",
                        seq,
                        base=base,
                        kept=current,
                        other=value,
                        device_id=device_id,
                    )
                )
    if not applied and not conflicts:
        return _result(m.seq, int(held.seq))
    conn.execute(
        sa.update(record)
        .where(record.c.id == m.id)
        .values(
            fields=fields, field_seqs=seqs, field_hlcs=hlcs, deleted_at=deleted_at, deleted_seq=deleted_seq,
            updated_at=stamp, seq=seq,
        )
    )  # fmt: skip
    batch.touched.add(m.id)
    batch.clean = batch.clean and not conflicts
    return _result(m.seq, seq, applied, conflicts)


def _sent_value(conn: sa.Connection, record_id: str, field: str, seq: int) -> Any:
    """What a device sent for a field that the server merged at `seq` (kept in history as written)."""
    row = conn.execute(
        sa.select(history.c.value)
        .where(history.c.record_id == record_id, history.c.field == field, history.c.seq == seq)
        .order_by(history.c.id.desc())
        .limit(1)
    ).first()
    return row.value if row is not None else None


def _keep_history(conn, record_id: str, field: str, value: Any, seq: int, device_id: str) -> None:
    if value is not None:
        conn.execute(
            sa.insert(history).values(
                record_id=record_id, field=field, value=value, seq=seq, device_id=device_id
            )
        )


def pull(engine: sa.Engine, *, account_id: str, request: wire.PullRequest) -> dict:
    with engine.connect() as conn:
        _check_team(conn, account_id, request.team_id)
        # The counter first: every row numbered up to it is committed (a push numbers its rows and moves
        # the counter in one transaction). Reading rows first could let a push commit in between and its
        # rows fall behind the cursor for good (PostgreSQL takes a new snapshot per statement).
        top = int(
            conn.execute(
                sa.select(team_counter.c.seq).where(team_counter.c.team_id == request.team_id)
            ).scalar_one()
        )
        rows = list(
            conn.execute(
                sa.select(record)
                .where(
                    record.c.team_id == request.team_id, record.c.seq > request.cursor, record.c.seq <= top
                )
                .order_by(record.c.seq)
                .limit(request.limit)
            )
        )
        more = len(rows) == request.limit
        end = int(rows[-1].seq) if more else max(top, request.cursor)
        found = conn.execute(
            sa.select(conflict)
            .where(
                conflict.c.team_id == request.team_id, conflict.c.seq > request.cursor, conflict.c.seq <= end
            )
            .order_by(conflict.c.seq)
        )
        # Plain dicts shaped like wire.PullResponse, straight from checked rows: building models of a
        # 5,000-row page only to serialise them again costs more than reading it.
        return {
            "rows": [
                {
                    "kind": r.kind, "id": r.id, "seq": int(r.seq), "fields": r.fields, "created_at": r.created_at,
                    "updated_at": r.updated_at, "deleted_at": r.deleted_at,
                }
                for r in rows
            ],
            "conflicts": [
                {
                    "id": c.id, "seq": int(c.seq), "kind": c.kind, "record_id": c.record_id, "field": c.field,
                    "reason": c.reason, "base": c.base, "kept": c.kept, "other": c.other,
                    "other_device": c.other_device, "resolved": c.resolved_at is not None,
                }
                for c in found
            ],
            "cursor": end,
            "more": more,
        }  # fmt: skip


def resolve(engine: sa.Engine, *, account_id: str, request: wire.Resolution, device_id: str) -> None:
    """A person chose the value: it is written as a new edit, and the conflict is closed for everyone."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        _check_team(conn, account_id, request.team_id)
        found = conn.execute(
            sa.select(conflict).where(
                conflict.c.id == request.conflict_id, conflict.c.team_id == request.team_id
            )
        ).first()
        if found is None:
            raise Forbidden
        counter = conn.execute(
            sa.select(team_counter.c.seq).where(team_counter.c.team_id == request.team_id).with_for_update()
        ).scalar_one()
        seq = counter + 1
        held = conn.execute(sa.select(record).where(record.c.id == found.record_id).with_for_update()).first()
        if held is not None and found.field not in ("*",) and found.reason == "concurrent_edit":
            fields, seqs, hlcs = dict(held.fields), dict(held.field_seqs), dict(held.field_hlcs)
            _keep_history(
                conn, held.id, found.field, fields.get(found.field), int(seqs.get(found.field, 0)), device_id
            )
            fields[found.field], seqs[found.field] = request.value, seq
            hlcs[found.field] = f"{_now()}|{device_id}"
            conn.execute(
                sa.update(record)
                .where(record.c.id == held.id)
                .values(fields=fields, field_seqs=seqs, field_hlcs=hlcs, updated_at=_now(), seq=seq)
            )
        conn.execute(sa.update(conflict).where(conflict.c.id == found.id).values(resolved_at=_now(), seq=seq))
        conn.execute(sa.update(team_counter).where(team_counter.c.team_id == request.team_id).values(seq=seq))
