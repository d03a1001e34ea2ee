"""The account's balanced scorecard: four perspectives of figures, each with its sources, its trend and a
status from written rules; and the portfolio, every client ranked by each perspective.

INTERFACE FIRST (issue 19): the data shapes below are what the window, the review pack and the command
line read. The functions are being written in this module; nothing outside it depends on how.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# The perspectives, in their order on the scorecard; the keys are the objective kind's `perspective`.
PERSPECTIVES = ("financial", "customer", "internal_process", "learning_and_growth")
PERSPECTIVE_LABELS = {
    "financial": "Financial",
    "customer": "Customer",
    "internal_process": "Internal process",
    "learning_and_growth": "Learning and growth",
}
# A figure's or a perspective's status; "unknown" when nothing is recorded to judge by.
STATUSES = ("good", "watch", "poor", "unknown")
STATUS_LABELS = {"good": "Good", "watch": "Watch", "poor": "Poor", "unknown": "No data"}


@dataclass(frozen=True)
class Point:
    """One reading of a figure's trend."""

    on: str  # ISO date
    value: float


@dataclass(frozen=True)
class Source:
    """A record a figure is read from: opening it shows where the number came from."""

    kind: str
    id: str
    label: str  # what it is, in words ("NPS response of Ingrid Dahl, 2026-10-02")


@dataclass(frozen=True)
class Figure:
    """One number on the scorecard."""

    key: str  # "nps", "csat", "review_their", "review_our", "factor:<factor>", "measure:<id>",
    # "objectives", "sentiment", "dm_coverage"
    label: str
    value: float | None
    shown: str  # the value as a person reads it: "+20", "3.8 of 5", "4 of 6 met"; "—" when None
    status: str  # one of STATUSES, by the figure's rule
    rule: str  # the figure's rule in words ("Good from +30, poor below 0")
    trend: tuple[Point, ...] = ()  # oldest first: what the small chart draws
    low: float = 0.0  # the chart's scale
    high: float = 1.0
    sources: tuple[Source, ...] = ()
    falling: bool = False  # the latest readings fall (the trend rule); shown beside the status
    # NPS and CSAT by person: (contact id, name, value, shown) — empty for other figures.
    by_person: tuple[tuple[str, str, float, str], ...] = ()


@dataclass(frozen=True)
class Perspective:
    key: str  # one of PERSPECTIVES
    label: str
    status: str  # one of STATUSES, by `PERSPECTIVE_RULE` over its figures
    reason: str  # why this status now, in words ("2 of 5 figures poor: NPS, Their review rating")
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Scorecard:
    client_id: str
    client_name: str
    as_of: dt.date
    perspectives: tuple[Perspective, ...]  # in PERSPECTIVES order

    def perspective(self, key: str) -> Perspective:
        return next(p for p in self.perspectives if p.key == key)


@dataclass(frozen=True)
class PortfolioRow:
    client_id: str
    name: str
    owner: str  # the account owner's name, "" when none
    statuses: dict[str, str]  # perspective → status
    scores: dict[str, float | None]  # perspective → 0..100 (None: no data), what the ranking sorts by
    overall: float | None  # the mean of the perspectives' scores that have one


def scorecard(workspace: Workspace, *, client_id: str, today: dt.date | None = None) -> Scorecard:
    """One client's scorecard as of `today`."""
    raise NotImplementedError("being written: issue 19")


def portfolio(
    workspace: Workspace, *, today: dt.date | None = None, by: str | None = None
) -> list[PortfolioRow]:
    """Every client that is not a former one, ranked by perspective `by` (best first; no data last), or
    by the overall score when `by` is None."""
    raise NotImplementedError("being written: issue 19")
