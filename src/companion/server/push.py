"""Push: one transaction that numbers a device's new mutations, answers replays from stored results, refuses gaps."""

from __future__ import annotations

import sqlalchemy as sa

from companion.model.kinds import KINDS_BY_NAME
from companion.server.apply import apply, check_signoffs, check_targets, merge_ahead, result
from companion.server.batch import Batch
from companion.server.common import Forbidden, Forgotten, check_team, leave_mark, lock_counter, set_counter
from companion.server.pull import Known
from companion.server.schema import device, mutation
from companion.sync import wire


def push(
    engine: sa.Engine, *, account_id: str, request: wire.PushRequest, known: Known | None = None
) -> tuple[dict, str | None]:
    """The push applied, and the mark of the team's history it leaves (None when it numbered nothing).
    `known` (what the device says it knows of the team's history) is checked first."""
    merged = _merge_ahead(engine, account_id, request)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        check_team(conn, account_id, request.team_id)
        last = _last_seq(conn, account_id, request.device_id)
        # Held for the whole push: its rows get consecutive numbers that commit together, in order.
        counter = lock_counter(conn, request.team_id)
        if known is not None and known.mark:
            # Only the mark: the device's pushes are checked as they are numbered (a gap is Forgotten).
            Known(known.device_id, None, known.mark).check(conn, account_id, request.team_id, counter)
        cursor_before = counter
        results: list[dict] = []
        batch = Batch(conn, request.team_id, [m.id for m in request.mutations if m.seq > last])
        batch.expect_targets(m for m in request.mutations if m.seq > last)
        batch.merged = merged
        earlier = _StoredResults(conn, request.device_id)
        applied: list[wire.Mutation] = []
        for m in request.mutations:
            if m.seq <= last:
                stored = earlier.get(m.seq)
                results.append({**result(m.seq), **(stored or {}), "replayed": True})
                batch.clean = False
                continue
            if m.seq != last + 1:
                # The device numbers its pushes without gaps and forgets none it was not told were taken:
                # this server lost them (restored from a backup), and the device sends them again.
                raise Forgotten(
                    f"push {m.seq} does not follow {last}: this server does not hold pushes {last + 1} to "
                    f"{m.seq - 1} of this device (was it restored from a backup?)",
                    last,
                )
            counter += 1
            outcome = apply(batch, request.device_id, m, counter)
            applied.append(m)
            batch.results.append(outcome)
            results.append(outcome)
            last = m.seq
        check_targets(batch)
        check_signoffs(batch, applied)
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
        set_counter(conn, request.team_id, counter)
        mark = leave_mark(conn, request.team_id, counter) if counter > cursor_before else None
        # As a plain dict shaped like wire.PushResponse: validating 500 results again costs more than the
        # push's own writes, and they are built here from checked values.
        return {
            "results": results, "last_seq": last, "clean": batch.clean,
            "cursor_before": cursor_before, "cursor_after": counter,
        }, mark  # fmt: skip


def _merge_ahead(engine: sa.Engine, account_id: str, request: wire.PushRequest) -> dict[tuple, str]:
    """Long texts edited on both sides, merged from what the server holds now, before the push takes
    the write lock: a slow merge keeps no other push waiting (SQLite has one writer for all teams)."""
    wanted = [m for m in request.mutations if m.op == "upsert" and m.base_seq > 0 and _has_long_text(m)]
    if not wanted:
        return {}
    with engine.connect() as conn:
        check_team(conn, account_id, request.team_id)
        batch = Batch(conn, request.team_id, [m.id for m in wanted], lock=False)
        return merge_ahead(batch, request.device_id, wanted)


def _has_long_text(m: wire.Mutation) -> bool:
    kind = KINDS_BY_NAME.get(m.kind)
    return kind is not None and any(
        (f := kind.field(name)) is not None and f.type == "longtext" for name in m.fields
    )


def _last_seq(conn: sa.Connection, account_id: str, device_id: str) -> int:
    """The last mutation the server took from the device (0 for a device new here); Forbidden if not
    the account's device."""
    held = conn.execute(sa.select(device).where(device.c.id == device_id)).first()
    if held is None:
        conn.execute(sa.insert(device).values(id=device_id, account_id=account_id, last_seq=0))
        return 0
    if held.account_id != account_id:
        raise Forbidden
    return int(held.last_seq)


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
                for answer in stored.get("results", [stored]):
                    self.known[int(answer["seq"])] = answer
        return self.known.get(seq)
