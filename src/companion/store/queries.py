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
