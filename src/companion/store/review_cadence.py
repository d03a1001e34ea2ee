"""When each client's next review is due, worked out in one SQL read: home reads it on every change."""

from __future__ import annotations

import sqlalchemy as sa


def reviews_due_rows(
    conn: sa.Connection, *, today: str, until: str | None = None, client_id: str | None = None
) -> list[tuple]:
    """(client id, name, owner id, review_every_days, latest review id, its held_on, due) of the clients
    that are not former ones whose next review is due by `until` (every one with a due date when None):
    the latest review's next_review, else its held_on plus the cadence; with no review, today when there is
    a cadence. The latest review is the latest held (of two on a day, the one with the later next date)."""
    params: dict[str, object] = {"today": today, "until": until, "client_id": client_id}
    one_review = " AND client_id = :client_id" if client_id is not None else ""
    one_client = " AND c.id = :client_id" if client_id is not None else ""
    # The latest review in one ordered key per client: held_on (10 characters), next_review (10, or "0000-00-00",
    # which sorts before every date), then the id; one grouped scan is quicker than a window's sort.
    sql = f"""
        WITH latest AS (
            SELECT client_id, MAX(held_on || COALESCE(next_review, '0000-00-00') || id) AS k
            FROM review WHERE deleted_at IS NULL{one_review} GROUP BY client_id
        ), due AS (
            SELECT c.id, c.name, c.owner_id, c.review_every_days, substr(l.k, 21) AS review_id,
                substr(l.k, 1, 10) AS held_on,
                CASE
                    WHEN l.k IS NULL THEN CASE WHEN c.review_every_days IS NULL THEN NULL ELSE :today END
                    WHEN substr(l.k, 11, 10) != '0000-00-00' THEN substr(l.k, 11, 10)
                    WHEN c.review_every_days IS NULL THEN NULL
                    ELSE date(substr(l.k, 1, 10), '+' || c.review_every_days || ' days')
                END AS due
            FROM client c LEFT JOIN latest l ON l.client_id = c.id
            WHERE c.deleted_at IS NULL AND c.status IS NOT 'former'{one_client}
        )
        SELECT * FROM due WHERE due IS NOT NULL AND (:until IS NULL OR due <= :until)
    """
    return conn.connection.driver_connection.execute(sql, params).fetchall()  # type: ignore[union-attr]
