"""Satisfaction as the early warnings, the meeting checklist and the brief read it: scores by quarter and by person, and detractors.

Scores are the NPS and CSAT answers of survey responses (core/surveys.py holds the arithmetic); a
quarter is a calendar quarter of the response's date ("2026-Q4").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.surveys import (
    DETRACTOR_UP_TO,
    PROMOTER_FROM,
    csat,
    csat_of_total,
    is_detractor,
    nps,
    nps_of_counts,
)

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

SCORED_TYPES = ("nps", "csat")
# A detractor's score, and a quarter's satisfaction, count for this long: older ones are history.
RECENT_DAYS = 180


@dataclass(frozen=True)
class Score:
    """One scored answer, with the response it belongs to."""

    response_id: str
    client_id: str
    contact_id: str | None
    on: str  # the response's date, ISO
    type: str  # "nps" or "csat"
    score: int

    @property
    def detractor(self) -> bool:
        return self.type == "nps" and is_detractor(self.score)

    def words(self) -> str:
        """ "4 of 10 (NPS, 2026-11-02)"."""
        return f"{self.score} of {10 if self.type == 'nps' else 5} ({self.type.upper()}, {self.on})"


@dataclass(frozen=True)
class Quarter:
    """A measure's value over the scores of one calendar quarter."""

    label: str  # "2026-Q4"
    value: float
    count: int
    last_day: dt.date  # the quarter's last day

    def shown(self, measure: str) -> str:
        """ "+20" (NPS) or "3.8 of 5" (CSAT)."""
        return nps_words(self.value) if measure == "nps" else f"{self.value:.1f} of 5"


def nps_words(value: float) -> str:
    """ "+20", "-12.5", "0": an NPS as it is said."""
    text = f"{value:+.1f}".removesuffix(".0")
    return "0" if text in ("+0", "-0") else text


def quarter_of(on: str) -> tuple[int, int]:
    day = dt.date.fromisoformat(on[:10])
    return day.year, (day.month - 1) // 3 + 1


def _last_day(year: int, number: int) -> dt.date:
    if number == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * number + 1, 1) - dt.timedelta(days=1)


def quarterly(scores: Iterable[Score], measure: str) -> list[Quarter]:
    """The measure ("nps" or "csat") per calendar quarter with scores, oldest first."""
    grouped: dict[tuple[int, int], list[int]] = {}
    for score in scores:
        if score.type == measure:
            grouped.setdefault(quarter_of(score.on), []).append(score.score)
    rate = nps if measure == "nps" else csat
    found = []
    for (year, number), values in sorted(grouped.items()):
        value = rate(values)
        if value is not None:
            found.append(Quarter(f"{year}-Q{number}", float(value), len(values), _last_day(year, number)))
    return found


def latest_by_person(scores: Iterable[Score]) -> dict[str, Score]:
    """Each person's latest score (by date; NPS before CSAT on one day), by contact id."""
    latest: dict[str, Score] = {}
    for score in scores:
        if score.contact_id is None:
            continue
        known = latest.get(score.contact_id)
        if known is None or (score.on, score.type == "nps") > (known.on, known.type == "nps"):
            latest[score.contact_id] = score
    return latest


def scores(workspace: Workspace, *, client_id: str) -> list[Score]:
    """The client's NPS and CSAT answers of live responses to live questions, oldest first, in one SQL read."""
    from companion.store.satisfaction_facts import client_scores

    with workspace.db.reading() as conn:
        rows = client_scores(conn, client_id=client_id)
    return [
        Score(str(r), str(c), str(p) if p else None, str(d)[:10], str(t), int(score))
        for r, c, p, d, t, score in rows
    ]


# --- the whole workspace, counted in SQL (the early warnings) ---------------------------------------


def _quarter(label: str, answers: int, promoters: int, detractors: int, total: int, measure: str) -> Quarter:
    """A quarter from its counts, by the arithmetic of core/surveys.py's nps and csat."""
    year, number = int(label[:4]), int(label[-1])
    value = (
        nps_of_counts(answers, promoters, detractors) if measure == "nps" else csat_of_total(answers, total)
    )
    return Quarter(label, float(value), answers, _last_day(year, number))


def latest_quarters(
    workspace: Workspace, *, client_id: str | None = None
) -> dict[tuple[str, str], tuple[list[Quarter], str]]:
    """(client id, "nps" or "csat") → (its two latest quarters with scores, older first; the last day
    scored), for every client or one, counted in SQL."""
    from companion.store.satisfaction_facts import latest_quarters as read

    with workspace.db.reading() as conn:
        rows = read(conn, promoter_from=PROMOTER_FROM, detractor_up_to=DETRACTOR_UP_TO, client_id=client_id)
    found: dict[tuple[str, str], tuple[list[Quarter], str]] = {}
    for owner, measure, label, answers, promoters, detractors, total, last in rows:
        quarters, latest = found.get((owner, measure), ([], ""))
        quarters.append(_quarter(label, answers, promoters or 0, detractors or 0, total or 0, measure))
        found[(owner, measure)] = (quarters, max(latest, str(last)[:10]))
    return found


def detractors(workspace: Workspace, *, since: dt.date, client_id: str | None = None) -> list[Score]:
    """The responses dated from `since` whose lowest NPS answer is a detractor's, as that answer, oldest
    first: every client's or one's, read in one SQL query."""
    from companion.store.satisfaction_facts import detractor_responses

    with workspace.db.reading() as conn:
        rows = detractor_responses(conn, since=since.isoformat(), up_to=DETRACTOR_UP_TO, client_id=client_id)
    return [
        Score(str(r), str(c), str(p) if p else None, str(d)[:10], "nps", int(score))
        for r, c, p, d, score in rows
    ]
