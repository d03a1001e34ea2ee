"""Pull: one page of a team's records and conflicts after a cursor, never past what has committed."""

from __future__ import annotations

from dataclasses import dataclass

import orjson
import sqlalchemy as sa

from companion.server.common import Forgotten, check_team, holds_mark, mark_covering
from companion.server.schema import conflict, device, record, team_counter
from companion.sync import wire

# What one page may carry: records' values up to this many bytes of JSON, and this many conflicts.
PAGE_BYTES = 4 * 1024 * 1024
CONFLICTS_PER_PAGE = 500


def pull(
    engine: sa.Engine, *, account_id: str, request: wire.PullRequest, known: Known | None = None
) -> tuple[dict, str | None]:
    """A page after the request's cursor, and the mark of the team's history where it ends."""
    with engine.connect() as conn:
        check_team(conn, account_id, request.team_id)
        # The counter first: every row numbered up to it is committed (a push numbers its rows and moves
        # the counter in one transaction). Reading rows first could let a push commit in between and its
        # rows fall behind the cursor for good (PostgreSQL takes a new snapshot per statement).
        top = int(
            conn.execute(
                sa.select(team_counter.c.seq).where(team_counter.c.team_id == request.team_id)
            ).scalar_one()
        )
        if known is not None:
            known.check(conn, account_id, request.team_id, top, cursor=request.cursor)
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
        # A page stays within PAGE_BYTES however long the texts in it (at least one row goes).
        budget = PAGE_BYTES
        for kept, r in enumerate(rows):
            budget -= len(orjson.dumps(r.fields))
            if budget < 0 and kept:
                rows, more = rows[:kept], True
                break
        end = int(rows[-1].seq) if more else max(top, request.cursor)
        found = list(
            conn.execute(
                sa.select(conflict)
                .where(
                    conflict.c.team_id == request.team_id,
                    conflict.c.seq > request.cursor,
                    conflict.c.seq <= end,
                )
                .order_by(conflict.c.seq)
                .limit(CONFLICTS_PER_PAGE + 1)
            )
        )
        if len(found) > CONFLICTS_PER_PAGE:
            # Too many conflicts for one page: it ends at the last one sent, and so do its rows.
            found = found[:CONFLICTS_PER_PAGE]
            end, more = int(found[-1].seq), True
            rows = [r for r in rows if r.seq <= end]
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
        }, mark_covering(conn, request.team_id, end)  # fmt: skip


@dataclass(frozen=True)
class Known:
    """What the pulling device says it knows of this server: its last acknowledged push and the mark of
    the team's history where it has read to. A server restored from a backup knows less."""

    device_id: str
    push_seq: int | None
    mark: str | None

    def check(
        self, conn: sa.Connection, account_id: str, team_id: str, top: int, *, cursor: int | None = None
    ) -> None:
        """Forgotten when the server holds less than the device knows of: its pushes, its mark, its cursor."""
        # The device's last push is read only when it is compared (a push says only its mark) or told.
        if self.push_seq is not None:
            last_seq = self._last_push(conn, account_id)
            if self.push_seq > last_seq:
                raise Forgotten(
                    f"this device's push {self.push_seq} was taken, yet this server holds pushes only up "
                    f"to {last_seq} (was it restored from a backup?)",
                    last_seq,
                )
        if (cursor is not None and cursor > top) or (self.mark and not holds_mark(conn, team_id, self.mark)):
            raise Forgotten(
                "this device has read the team's history further than this server holds "
                "(was it restored from a backup?)",
                self._last_push(conn, account_id),
            )

    def _last_push(self, conn: sa.Connection, account_id: str) -> int:
        """The device's last push this server holds (0 for none)."""
        held = conn.execute(
            sa.select(device.c.last_seq).where(
                device.c.id == self.device_id, device.c.account_id == account_id
            )
        ).scalar()
        return int(held or 0)
