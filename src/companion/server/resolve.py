"""Resolve: the value a person chose is written as a new edit, and the conflict is closed for everyone."""

from __future__ import annotations

import sqlalchemy as sa

from companion.server.common import Forbidden, check_team, keep_history, lock_counter, now, set_counter
from companion.server.schema import conflict, record
from companion.sync import wire


def resolve(engine: sa.Engine, *, account_id: str, request: wire.Resolution, device_id: str) -> None:
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        check_team(conn, account_id, request.team_id)
        found = conn.execute(
            sa.select(conflict).where(
                conflict.c.id == request.conflict_id, conflict.c.team_id == request.team_id
            )
        ).first()
        if found is None:
            raise Forbidden
        seq = lock_counter(conn, request.team_id) + 1
        held = conn.execute(sa.select(record).where(record.c.id == found.record_id).with_for_update()).first()
        # Only a concurrent edit of one field has a chosen value to write; any other conflict is only closed.
        if held is not None and found.field not in ("*",) and found.reason == "concurrent_edit":
            fields, seqs, hlcs = dict(held.fields), dict(held.field_seqs), dict(held.field_hlcs)
            keep_history(
                conn, held.id, found.field, fields.get(found.field), int(seqs.get(found.field, 0)), device_id
            )
            fields[found.field], seqs[found.field] = request.value, seq
            hlcs[found.field] = f"{now()}|{device_id}"
            conn.execute(
                sa.update(record)
                .where(record.c.id == held.id)
                .values(fields=fields, field_seqs=seqs, field_hlcs=hlcs, updated_at=now(), seq=seq)
            )
        conn.execute(sa.update(conflict).where(conflict.c.id == found.id).values(resolved_at=now(), seq=seq))
        set_counter(conn, request.team_id, seq)
