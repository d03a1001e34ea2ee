"""Resolve: the value a person chose is written as a new edit, and the conflict is closed for everyone."""

from __future__ import annotations

import sqlalchemy as sa

from companion.model.errors import ValidationError
from companion.model.kinds import KINDS_BY_NAME
from companion.model.values import stored_form
from companion.server.common import (
    BadMutation,
    Forbidden,
    check_team,
    keep_history,
    leave_mark,
    lock_counter,
    now,
    set_counter,
)
from companion.server.schema import conflict, device, record
from companion.sync import wire


def _own_device(conn: sa.Connection, account_id: str, device_id: str) -> None:
    """The device named by the request is this account's (a new one becomes it); Forbidden otherwise."""
    held = conn.execute(sa.select(device.c.account_id).where(device.c.id == device_id)).first()
    if held is None:
        conn.execute(sa.insert(device).values(id=device_id, account_id=account_id, last_seq=0))
    elif held.account_id != account_id:
        raise Forbidden


def _chosen_value(found, value):
    """The chosen value as the laptops store it, by their rules; BadMutation naming the field otherwise."""
    kind = KINDS_BY_NAME.get(found.kind)
    described = kind.field(found.field) if kind is not None else None
    if described is None:
        return value
    try:
        return stored_form(kind, described, value)
    except ValidationError as exc:
        raise BadMutation(f"conflict {found.id}, {kind.label.lower()} {found.record_id}: {exc}") from None


def resolve(engine: sa.Engine, *, account_id: str, request: wire.Resolution, device_id: str) -> None:
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        check_team(conn, account_id, request.team_id)
        _own_device(conn, account_id, device_id)
        found = conn.execute(
            sa.select(conflict).where(
                conflict.c.id == request.conflict_id, conflict.c.team_id == request.team_id
            )
        ).first()
        if found is None:
            raise Forbidden
        seq = lock_counter(conn, request.team_id) + 1
        held = conn.execute(
            sa.select(record)
            .where(record.c.team_id == request.team_id, record.c.id == found.record_id)
            .with_for_update()
        ).first()
        # Only a concurrent edit of one field has a chosen value to write; any other conflict is only closed.
        if held is not None and found.field not in ("*",) and found.reason == "concurrent_edit":
            value = _chosen_value(found, request.value)
            fields, seqs, hlcs = dict(held.fields), dict(held.field_seqs), dict(held.field_hlcs)
            keep_history(
                conn,
                request.team_id,
                held.id,
                found.field,
                fields.get(found.field),
                int(seqs.get(found.field, 0)),
                device_id,
            )
            fields[found.field], seqs[found.field] = value, seq
            hlcs[found.field] = f"{now()}|{device_id}"
            conn.execute(
                sa.update(record)
                .where(record.c.team_id == request.team_id, record.c.id == held.id)
                .values(fields=fields, field_seqs=seqs, field_hlcs=hlcs, updated_at=now(), seq=seq)
            )
        conn.execute(sa.update(conflict).where(conflict.c.id == found.id).values(resolved_at=now(), seq=seq))
        set_counter(conn, request.team_id, seq)
        leave_mark(conn, request.team_id, seq)
