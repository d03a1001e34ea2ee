"""What the balanced scorecard reads, for one client or every client that is not a former one, in a few narrow SQL queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa


@dataclass(frozen=True)
class ScorecardFacts:
    """The rows of the scorecard's figures, each list in the order its figures read it (oldest first).

    `clients`: (id, name, owner's name or None);
    `objectives`: (client_id, id, title, perspective, status) of the clients' active plans;
    `measures`: (client_id, perspective, objective_id, id, name, unit, currency, direction, baseline, target);
    `readings`: (measure_id, id, date, value), by date: every reading, or each measure's latest only;
    `answers`: (client_id, response_id, date, contact_id, question type, score) of nps and csat questions
    (when details were asked for);
    `survey_quarters`: (client_id, question type, quarter, answers, promoters, detractors, sum of
    scores) of nps and csat answers, by calendar quarter (year × 4 + quarter - 1);
    `reviews`: (client_id, id, title, held_on, our_rating, their_rating);
    `factor_ratings`: (client_id, id, factor, period_from, period_to, rating);
    `interactions`: (client_id, id, date, sentiment) of the recent interactions with a sentiment (when
    details were asked for);
    `sentiment_quarters`: (client_id, quarter, interactions, positive, negative) of those with a sentiment
    (quarters numbered as above);
    `sentiment_recent`: (client_id, interactions, positive, negative) of those since `recent_since`;
    `deciders`: (client_id, contact_id) of the people holding a deciding role now;
    `deciders_met`: the deciders in an interaction since the coverage window began;
    `names`: contact id → name of the people answering and deciding (when details were asked for)."""

    clients: list[tuple]
    objectives: list[tuple]
    measures: list[tuple]
    readings: list[tuple]
    answers: list[tuple]
    survey_quarters: list[tuple]
    reviews: list[tuple]
    factor_ratings: list[tuple]
    interactions: list[tuple]
    sentiment_quarters: list[tuple]
    sentiment_recent: list[tuple]
    deciders: list[tuple]
    deciders_met: set[str]
    names: dict[str, str]


def _rows(conn: sa.Connection, sql: str, params: dict) -> list[tuple]:
    """Rows read by the driver itself: a 1,000-client portfolio reads tens of thousands of them."""
    return conn.connection.driver_connection.execute(sql, params).fetchall()  # type: ignore[union-attr]


def _quarter(column: str) -> str:
    """SQL for the calendar quarter of an ISO date column as one number, year × 4 + quarter - 1 (a number
    groups faster than text: a portfolio groups tens of thousands of answers by it)."""
    return f"substr({column}, 1, 4) * 4 + (substr({column}, 6, 2) - 1) / 3"


def scorecard_facts(
    conn: sa.Connection,
    *,
    today: str,
    met_since: str,
    recent_since: str,
    deciding_roles: Sequence[str],
    promoter_from: int,
    detractor_up_to: int,
    client_id: str | None = None,
    details: bool = True,
) -> ScorecardFacts:
    """The facts of one client (any status), or of every live client that is not a former one. Nothing
    dated after `today` is read; `met_since` starts the window in which a decider counts as met, and
    `recent_since` (exclusive) the interactions whose sentiment counts now.

    Without `details` (the portfolio, which judges but shows no figure), only what the statuses need:
    each measure's latest reading, no answer or interaction rows, no names."""
    params: dict[str, object] = {
        "today": today, "since": met_since, "recent": recent_since, "client_id": client_id,
        "promoter": promoter_from, "detractor": detractor_up_to,
    }  # fmt: skip
    roles = ", ".join(f":r{n}" for n in range(len(deciding_roles))) or "NULL"
    params.update({f"r{n}": role for n, role in enumerate(deciding_roles)})
    if client_id is not None:
        scope = "SELECT id FROM client WHERE id = :client_id AND deleted_at IS NULL"
    else:
        scope = "SELECT id FROM client WHERE deleted_at IS NULL AND coalesce(status, '') != 'former'"
    scoped = f"WITH scope AS ({scope})"

    clients = _rows(
        conn,
        f"{scoped} SELECT c.id, c.name, g.name FROM client c LEFT JOIN colleague g"
        " ON g.id = c.owner_id AND g.deleted_at IS NULL WHERE c.id IN (SELECT id FROM scope)",
        params,
    )
    objective_cte = (
        f"{scoped}, goal AS (SELECT p.client_id, o.id, o.title, o.perspective, o.status FROM account_plan p"
        " JOIN objective o ON o.plan_id = p.id AND o.deleted_at IS NULL AND o.perspective IS NOT NULL"
        " WHERE p.deleted_at IS NULL AND p.status = 'active' AND p.client_id IN (SELECT id FROM scope))"
    )
    objectives = _rows(conn, f"{objective_cte} SELECT * FROM goal ORDER BY client_id, title, id", params)
    measure_cte = (
        f"{objective_cte}, gauge AS (SELECT g.client_id, g.perspective, m.objective_id, m.id, m.name, m.unit,"
        " m.currency, m.direction, m.baseline, m.target FROM goal g JOIN measure m"
        " ON m.objective_id = g.id AND m.deleted_at IS NULL)"
    )
    if details:
        measures = _rows(conn, f"{measure_cte} SELECT * FROM gauge ORDER BY client_id, name, id", params)
        readings = _rows(
            conn,
            f"{measure_cte} SELECT measure_id, id, date, value FROM measure_reading WHERE deleted_at IS NULL"
            " AND date <= :today AND measure_id IN (SELECT id FROM gauge) ORDER BY date, created_at",
            params,
        )
    else:  # each measure beside its latest reading, in one read
        latest = _rows(
            conn,
            f"{measure_cte} SELECT g.*, r.id, r.date, r.value FROM gauge g LEFT JOIN measure_reading r"
            " ON r.id = (SELECT id FROM measure_reading WHERE measure_id = g.id AND deleted_at IS NULL"
            " AND date <= :today ORDER BY date DESC, created_at DESC LIMIT 1)"
            " ORDER BY g.client_id, g.name, g.id",
            params,
        )
        measures = [row[:10] for row in latest]
        readings = [(row[3], *row[10:]) for row in latest if row[10] is not None]
    answer_cte = (
        f"{scoped}, answer AS (SELECT r.client_id, r.id, r.date, r.contact_id, q.type, a.score, r.created_at"
        " FROM survey_response r JOIN survey_answer a ON a.response_id = r.id JOIN survey_question q"
        " ON q.id = a.question_id AND q.deleted_at IS NULL AND q.type IN ('nps', 'csat')"
        " WHERE a.deleted_at IS NULL AND a.score IS NOT NULL"
        " AND r.deleted_at IS NULL AND r.date <= :today AND r.client_id IN (SELECT id FROM scope))"
    )
    answers: list[tuple] = []
    if details:
        answers = _rows(
            conn,
            f"{answer_cte} SELECT client_id, id, date, contact_id, type, score FROM answer"
            " ORDER BY date, created_at, id",
            params,
        )
    # Counted in SQL: a portfolio's tens of thousands of answers come back as a few rows per client.
    survey_quarters = _rows(
        conn,
        f"{answer_cte}, dated AS (SELECT client_id, type, {_quarter('date')} AS quarter, score FROM answer)"
        " SELECT client_id, type, quarter, count(*), sum(score >= :promoter), sum(score <= :detractor),"
        " sum(score) FROM dated"
        " GROUP BY client_id, type, quarter ORDER BY client_id, type, quarter",
        params,
    )
    reviews = _rows(
        conn,
        f"{scoped} SELECT client_id, id, title, held_on, our_rating, their_rating FROM review"
        " WHERE deleted_at IS NULL AND held_on <= :today AND client_id IN (SELECT id FROM scope)"
        " AND (our_rating IS NOT NULL OR their_rating IS NOT NULL) ORDER BY held_on, created_at",
        params,
    )
    factor_ratings = _rows(
        conn,
        f"{scoped} SELECT client_id, id, factor, period_from, period_to, rating FROM success_factor_rating"
        " WHERE deleted_at IS NULL AND period_from <= :today AND client_id IN (SELECT id FROM scope)"
        " ORDER BY period_from, coalesce(period_to, period_from), created_at",
        params,
    )
    feeling_cte = (
        f"{scoped}, felt AS (SELECT client_id, id, date, sentiment, created_at FROM interaction"
        " WHERE deleted_at IS NULL AND sentiment IS NOT NULL AND date <= :today"
        " AND client_id IN (SELECT id FROM scope))"
    )
    interactions: list[tuple] = []
    if details:
        interactions = _rows(
            conn,
            f"{feeling_cte} SELECT client_id, id, date, sentiment FROM felt WHERE date > :recent"
            " ORDER BY date, created_at",
            params,
        )
    # Each quarter's counts, and the part of them since `recent_since`: one read for the trend and the value.
    positive, negative, recent = "sentiment = 'positive'", "sentiment = 'negative'", "date > :recent"
    counted = _rows(
        conn,
        f"{feeling_cte}, dated AS"
        f" (SELECT client_id, {_quarter('date')} AS quarter, sentiment, date FROM felt)"
        f" SELECT client_id, quarter, count(*), sum({positive}), sum({negative}), sum({recent}),"
        f" sum({recent} AND {positive}), sum({recent} AND {negative}) FROM dated GROUP BY client_id, quarter"
        " ORDER BY client_id, quarter",
        params,
    )
    sentiment_quarters = [row[:5] for row in counted]
    recent_counts: dict[str, list[int]] = {}
    for client, _quarter_number, _n, _positive, _negative, *since in counted:
        if since[0]:
            totals = recent_counts.setdefault(client, [0, 0, 0])
            for n, value in enumerate(since):
                totals[n] += value
    sentiment_recent = [(client, *totals) for client, totals in recent_counts.items()]
    decider_cte = (
        f"{scoped}, decider AS (SELECT DISTINCT p.client_id, p.contact_id FROM position p JOIN contact c"
        " ON c.id = p.contact_id AND c.deleted_at IS NULL WHERE p.deleted_at IS NULL"
        " AND (p.ended IS NULL OR p.ended > :today) AND (p.started IS NULL OR p.started <= :today)"
        f" AND p.buying_role IN ({roles}) AND p.client_id IN (SELECT id FROM scope))"
    )
    met_cte = (
        "met AS (SELECT DISTINCT m.value AS contact_id FROM interaction i, json_each(i.contact_ids) m"
        " WHERE i.deleted_at IS NULL AND i.date >= :since AND i.date <= :today"
        " AND m.value IN (SELECT contact_id FROM decider))"
    )
    decided = _rows(
        conn,
        f"{decider_cte}, {met_cte} SELECT client_id, contact_id, contact_id IN (SELECT contact_id FROM met)"
        " FROM decider ORDER BY client_id, contact_id",
        params,
    )
    deciders = [row[:2] for row in decided]
    deciders_met = {str(contact) for _client, contact, met in decided if met}
    people: dict[str, str] = {}
    if details:
        people = dict(
            _rows(
                conn,
                f"{decider_cte} SELECT id, name FROM contact WHERE id IN (SELECT contact_id FROM decider"
                " UNION SELECT contact_id FROM survey_response WHERE deleted_at IS NULL"
                " AND client_id IN (SELECT id FROM scope))",
                params,
            )
        )
    return ScorecardFacts(
        clients, objectives, measures, readings, answers, survey_quarters, reviews, factor_ratings,
        interactions, sentiment_quarters, sentiment_recent, deciders, deciders_met, people,
    )  # fmt: skip
