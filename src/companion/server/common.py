"""What push, pull and resolve share: their refusals, the team check, the team counter, the clock, field history."""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa

from companion.server import admin
from companion.server.schema import history, team_counter, team_mark


class Forbidden(Exception):
    """Not this account's team (or no such team: the difference is never told)."""


class Forgotten(Exception):
    """The device knows of pushes or team history the server does not hold: restored from a backup.

    `last_seq` is the device's last push the server still holds; the device re-sends what came after."""

    def __init__(self, message: str, last_seq: int):
        super().__init__(message)
        self.last_seq = last_seq


class BadMutation(Exception):
    """A mutation (or a resolution) the laptops' rules refuse: an unknown kind or field, a bad value."""


now = admin.now  # the server's one clock, as text that sorts as it reads


def check_team(conn: sa.Connection, account_id: str, team_id: str) -> None:
    if team_id not in admin.teams_of(conn, account_id):
        raise Forbidden


def lock_counter(conn: sa.Connection, team_id: str) -> int:
    """The team's sequence counter, locked until the transaction ends.

    One writer at a time numbers the team's rows, so sequence numbers commit in order and a reader
    paging by sequence never skips a row.
    """
    return conn.execute(
        sa.select(team_counter.c.seq).where(team_counter.c.team_id == team_id).with_for_update()
    ).scalar_one()


def set_counter(conn: sa.Connection, team_id: str, seq: int) -> None:
    conn.execute(sa.update(team_counter).where(team_counter.c.team_id == team_id).values(seq=seq))


def leave_mark(conn: sa.Connection, team_id: str, seq: int) -> str:
    """A new random mark for the team's history up to `seq`, as a header carries it ("<seq>:<mark>")."""
    mark = secrets.token_hex(8)
    conn.execute(sa.insert(team_mark).values(team_id=team_id, seq=seq, mark=mark))
    return f"{seq}:{mark}"


def mark_covering(conn: sa.Connection, team_id: str, seq: int) -> str | None:
    """The mark of the push that wrote `seq` (the first at or after it), as a header carries it: a
    reader who has read up to `seq` has seen part of that push, and a server that lost the push lost
    the mark. Before marks were kept, the last one before it (None before any)."""
    covering = sa.select(team_mark.c.seq, team_mark.c.mark).where(team_mark.c.team_id == team_id)
    row = conn.execute(covering.where(team_mark.c.seq >= seq).order_by(team_mark.c.seq).limit(1)).first()
    if row is None:
        row = conn.execute(
            covering.where(team_mark.c.seq <= seq).order_by(team_mark.c.seq.desc()).limit(1)
        ).first()
    return f"{row.seq}:{row.mark}" if row is not None else None


def holds_mark(conn: sa.Connection, team_id: str, mark: str) -> bool:
    """Whether the team's history holds this mark: a server restored from before it does not."""
    seq, _, value = mark.partition(":")
    if not seq.isdigit() or not value:
        return False
    found = conn.execute(
        sa.select(team_mark.c.mark).where(team_mark.c.team_id == team_id, team_mark.c.seq == int(seq))
    ).scalar()
    return found == value


def keep_history(
    conn, team_id: str, record_id: str, field: str, value: Any, seq: int, device_id: str
) -> None:
    if value is not None:
        conn.execute(
            sa.insert(history).values(
                team_id=team_id, record_id=record_id, field=field, value=value, seq=seq, device_id=device_id
            )
        )
