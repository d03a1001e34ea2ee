"""Read-only queries that span kinds (last contact per person...), answered by SQL in one pass."""

from __future__ import annotations

import sqlalchemy as sa

from companion.store.schema import KIND_TABLES


def last_contact_dates(conn: sa.Connection, contact_ids: list[str] | None = None) -> dict[str, str]:
    """The date of each person's latest live interaction, by contact id."""
    interaction = KIND_TABLES["interaction"]
    member = sa.func.json_each(interaction.c.contact_ids).table_valued("value").alias("member")
    query = (
        sa.select(member.c.value, sa.func.max(interaction.c.date))
        .select_from(interaction.join(member, sa.true()))
        .where(interaction.c.deleted_at.is_(None))
        .group_by(member.c.value)
    )
    if contact_ids is not None:
        query = query.where(member.c.value.in_(contact_ids))
    return {row[0]: row[1] for row in conn.execute(query)}


def interaction_ids_involving(
    conn: sa.Connection, contact_ids: list[str], *, client_id: str | None = None
) -> list[str]:
    """Live interactions any of these people took part in (at one client if given), newest first."""
    interaction = KIND_TABLES["interaction"]
    member = sa.func.json_each(interaction.c.contact_ids).table_valued("value").alias("member")
    query = (
        sa.select(interaction.c.id)
        .select_from(interaction.join(member, sa.true()))
        .where(interaction.c.deleted_at.is_(None), member.c.value.in_(contact_ids))
        .group_by(interaction.c.id)
        .order_by(sa.func.max(interaction.c.date).desc(), interaction.c.id)
    )
    if client_id is not None:
        query = query.where(interaction.c.client_id == client_id)
    return [row[0] for row in conn.execute(query)]


def current_position_holders(conn: sa.Connection) -> dict[str, list[str]]:
    """Client ids where each person holds a live, unended position, by contact id."""
    position = KIND_TABLES["position"]
    query = sa.select(position.c.contact_id, position.c.client_id).where(
        position.c.deleted_at.is_(None), position.c.ended.is_(None)
    )
    holders: dict[str, list[str]] = {}
    for contact_id, client_id in conn.execute(query):
        holders.setdefault(contact_id, []).append(client_id)
    return holders


_OVERDUE = """
WITH holders AS (
    SELECT contact_id, min(client_id) AS client_id FROM position
    WHERE deleted_at IS NULL AND ended IS NULL GROUP BY contact_id
), last AS (
    SELECT member.value AS contact_id, max(i.date) AS seen
    FROM interaction AS i, json_each(i.contact_ids) AS member
    WHERE i.deleted_at IS NULL GROUP BY member.value
), due AS (
    SELECT c.id, c.name, c.visit_frequency_days AS every, last.seen, holders.client_id,
           coalesce(date(last.seen, '+' || c.visit_frequency_days || ' days'), :today) AS due
    FROM contact AS c
    JOIN holders ON holders.contact_id = c.id
    LEFT JOIN last ON last.contact_id = c.id
    WHERE c.deleted_at IS NULL AND c.visit_frequency_days IS NOT NULL
)
"""


def overdue_contacts(conn: sa.Connection, *, today: str, limit: int) -> tuple[list[tuple], int]:
    """People due for contact by their own rhythm, most overdue first (at most `limit`), and how many in all.

    Rows are (id, name, every, last seen or None, client id, due date). Done in SQL so that
    100,000 people never become 100,000 Python objects.
    """
    params = {"today": today, "limit": limit}
    rows = conn.execute(
        sa.text(
            _OVERDUE + "SELECT id, name, every, seen, client_id, due FROM due WHERE due <= :today"
            " ORDER BY due, name LIMIT :limit"
        ),
        params,
    ).all()
    total = conn.execute(
        sa.text(_OVERDUE + "SELECT count(*) FROM due WHERE due <= :today"), params
    ).scalar_one()
    return [tuple(row) for row in rows], total
