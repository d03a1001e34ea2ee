"""Pull: one page of a team's records and conflicts after a cursor, never past what has committed."""

from __future__ import annotations

import orjson
import sqlalchemy as sa

from companion.server.common import check_team
from companion.server.schema import conflict, record, team_counter
from companion.sync import wire

# What one page may carry: records' values up to this many bytes of JSON, and this many conflicts.
PAGE_BYTES = 4 * 1024 * 1024
CONFLICTS_PER_PAGE = 500


def pull(engine: sa.Engine, *, account_id: str, request: wire.PullRequest) -> dict:
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
        }  # fmt: skip
