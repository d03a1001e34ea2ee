"""What push, pull and resolve share: their refusals, the team check, the team counter, the clock, field history."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from companion.server import admin
from companion.server.schema import history, team_counter


class Forbidden(Exception):
    """Not this account's team (or no such team: the difference is never told)."""


class Gap(Exception):
    """A push skipped sequence numbers: earlier pushes of the device are missing."""


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


def keep_history(
    conn, team_id: str, record_id: str, field: str, value: Any, seq: int, device_id: str
) -> None:
    if value is not None:
        conn.execute(
            sa.insert(history).values(
                team_id=team_id, record_id=record_id, field=field, value=value, seq=seq, device_id=device_id
            )
        )
