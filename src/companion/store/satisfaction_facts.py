"""What the satisfaction warnings, the checklist and the brief read, in SQL: a client's scores, detractors' responses, and each client's latest quarters of NPS and CSAT counted."""

from __future__ import annotations

import sqlalchemy as sa

# An NPS or CSAT answer of a live response to a live question, with its client and date. Every client's
# are read from the answers, each joined to its response by key (CROSS JOIN keeps SQLite to that order);
# one client's from its responses, by the client index.
_SCORED = (
    "SELECT r.id AS response_id, r.client_id, r.contact_id, r.date, q.type, a.score FROM {joined}"
    " JOIN survey_question q ON q.id = a.question_id AND q.deleted_at IS NULL AND q.type IN ('nps', 'csat')"
    " WHERE a.deleted_at IS NULL AND a.score IS NOT NULL AND r.deleted_at IS NULL{scope}"
)
_EVERY_CLIENT = "survey_answer a CROSS JOIN survey_response r ON r.id = a.response_id"
_ONE_CLIENT = "survey_response r JOIN survey_answer a ON a.response_id = r.id"
# "2026-Q4" of an ISO date: sorts as the quarters follow each other.
_QUARTER = "substr(date, 1, 4) || '-Q' || ((CAST(substr(date, 6, 2) AS INTEGER) + 2) / 3)"


def _scored(client_id: str | None) -> str:
    if client_id is None:
        return _SCORED.format(joined=_EVERY_CLIENT, scope="")
    return _SCORED.format(joined=_ONE_CLIENT, scope=" AND r.client_id = :client_id")


def _rows(conn: sa.Connection, sql: str, params: dict) -> list[tuple]:
    """Rows read by the driver itself: a workspace's tens of thousands of answers come back as a few rows."""
    return conn.connection.driver_connection.execute(sql, params).fetchall()  # type: ignore[union-attr]


def client_scores(conn: sa.Connection, *, client_id: str) -> list[tuple]:
    """(response id, client id, contact id, date, type, score) of the client's NPS and CSAT answers, oldest
    first."""
    sql = f"{_scored(client_id)} ORDER BY r.date, r.id, q.type"
    return _rows(conn, sql, {"client_id": client_id})


def detractor_responses(
    conn: sa.Connection, *, since: str, up_to: int, client_id: str | None = None
) -> list[tuple]:
    """(response id, client id, contact id, date, lowest NPS score) of the responses dated from `since`
    whose lowest NPS answer is `up_to` or less, oldest first."""
    sql = (
        f"WITH scored AS ({_scored(client_id)}) SELECT response_id, client_id, contact_id, date, min(score)"
        " FROM scored WHERE type = 'nps' AND date >= :since GROUP BY response_id HAVING min(score) <= :up_to"
        " ORDER BY date, response_id"
    )
    return _rows(conn, sql, {"since": since, "up_to": up_to, "client_id": client_id})


def latest_quarters(
    conn: sa.Connection, *, promoter_from: int, detractor_up_to: int, client_id: str | None = None
) -> list[tuple]:
    """(client id, type, quarter, answers, promoters, detractors, sum of scores, last date) of each client's
    two latest calendar quarters with NPS answers, and with CSAT answers, the older first."""
    sql = (
        f"WITH scored AS ({_scored(client_id)}),"
        f" counted AS (SELECT client_id, type, {_QUARTER} AS quarter, count(*) AS answers,"
        " sum(score >= :promoter) AS promoters, sum(score <= :detractor) AS detractors,"
        " sum(score) AS total, max(date) AS last FROM scored GROUP BY client_id, type, quarter),"
        " ranked AS (SELECT *, row_number() OVER (PARTITION BY client_id, type ORDER BY quarter DESC)"
        " AS place FROM counted)"
        " SELECT client_id, type, quarter, answers, promoters, detractors, total, last FROM ranked"
        " WHERE place <= 2 ORDER BY client_id, type, quarter"
    )
    params = {"promoter": promoter_from, "detractor": detractor_up_to, "client_id": client_id}
    return _rows(conn, sql, params)
