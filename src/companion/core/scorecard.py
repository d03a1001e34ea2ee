"""The account's balanced scorecard: four perspectives of figures, each with its sources, its trend and a
status from written rules; and the portfolio, every client ranked by each perspective.

The data shapes below are what the window, the review pack and the command line read. Every figure's
rule is one row of `RULES` (or the plan's own rules for objectives and measures), written out in words
beside the figure; a perspective's status follows `PERSPECTIVE_RULE`. The facts are read in a few narrow
SQL queries (store/scorecard_facts.py) for one client or the whole portfolio, and judged by the same code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from companion.core.account_plan import MeasureView, amount
from companion.core.changes import Record
from companion.core.surveys import DETRACTOR_UP_TO, PROMOTER_FROM, csat_of_total, nps_of_counts
from companion.model.errors import NotFoundError, ValidationError

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


@dataclass(frozen=True)
class Rule:
    """A figure's thresholds: good from `good_from`, poor below `poor_below`, watch between; falling when the
    latest trend point is more than `step` below the one before (never, without a step)."""

    good_from: float
    poor_below: float
    step: float | None
    text: str

    def status(self, value: float | None) -> str:
        if value is None:
            return "unknown"
        if value >= self.good_from:
            return "good"
        return "poor" if value < self.poor_below else "watch"

    def falls(self, trend: Sequence[Point]) -> bool:
        return self.step is not None and len(trend) >= 2 and trend[-2].value - trend[-1].value > self.step


# Every threshold of the scorecard, in one place; the texts are what the window and the PDF print.
RULES = {
    "nps": Rule(
        good_from=30, poor_below=0, step=10,
        text="NPS: % promoters (9–10) minus % detractors (0–6) over the answers of the last four quarters."
        " Good from +30, poor below 0; falling when a quarter is more than 10 points below the one before.",
    ),
    "csat": Rule(
        good_from=4.0, poor_below=3.0, step=0.5,
        text="CSAT: the mean of the 1–5 answers of the last four quarters. Good from 4.0, poor below 3.0;"
        " falling when a quarter is more than 0.5 below the one before.",
    ),
    # Ratings are whole numbers: below 3 is 2 or less.
    "rating": Rule(
        good_from=4, poor_below=3, step=0.5,
        text="Review and success-factor ratings (of 5): good from 4, poor at 2 or less; falling when the"
        " latest is more than 0.5 below the one before.",
    ),
    "sentiment": Rule(
        good_from=0.3, poor_below=0.0, step=0.2,
        text="Interaction sentiment: the share of positive minus the share of negative among the last 180"
        " days' interactions with a sentiment. Good from +0.3, poor below 0; falling when a quarter is more"
        " than 0.2 below the one before.",
    ),
    "coverage": Rule(
        good_from=75, poor_below=50, step=None,
        text="Decision makers met: of the people holding a decision-maker or economic-buyer position now,"
        " the share met in an interaction in the last 90 days. Good from 75%, poor below 50%.",
    ),
}  # fmt: skip
SENTIMENT_DAYS = 180
# NPS and CSAT are valued over this many calendar quarters up to today's: what a client said two years ago
# is in the trend, not in today's figure.
SURVEY_QUARTERS = 4
COVERAGE_DAYS = 90
DECIDING_ROLES = ("decision_maker", "economic_buyer")
OBJECTIVES_RULE = (
    "The active plans' objectives of this perspective (dropped ones left out): poor when any is off track,"
    " watch when any is at risk, good otherwise."
)
# A measure short of its target is watched from this share of the way from baseline to target.
MEASURE_WATCH_FROM = 0.5
MEASURE_RULE = (
    "Good when the target is met; watch from half way from the baseline to the target; poor below that."
)
PERSPECTIVE_RULE = (
    "No data when no figure has data; poor when a third or more of the figures with data are poor; watch"
    " when any is poor, watch or falling; good otherwise."
)
# What a status counts for in the portfolio's score of a perspective: the mean over its figures with data.
STATUS_SCORES = {"good": 100.0, "watch": 50.0, "poor": 0.0}
FACTOR_LABELS = {
    "focal_point": "One focal point",
    "early_warning": "Early warning of bad news",
    "value_for_money": "Value for money",
    "innovation": "Innovation",
    "skills_transfer": "Skills transfer",
    "teamwork": "Teamwork",
}
# The success factors each perspective holds.
PERSPECTIVE_FACTORS = {
    "internal_process": ("focal_point", "early_warning", "value_for_money", "teamwork"),
    "learning_and_growth": ("innovation", "skills_transfer"),
}


@dataclass
class _ClientFacts:
    """One client's rows of store/scorecard_facts.py's ScorecardFacts."""

    objectives: list[tuple] = field(default_factory=list)
    measures: list[tuple] = field(default_factory=list)
    answers: list[tuple] = field(default_factory=list)
    survey_quarters: list[tuple] = field(default_factory=list)
    reviews: list[tuple] = field(default_factory=list)
    factor_ratings: list[tuple] = field(default_factory=list)
    interactions: list[tuple] = field(default_factory=list)
    sentiment_quarters: list[tuple] = field(default_factory=list)
    sentiment_recent: list[tuple] = field(default_factory=list)
    deciders: list[str] = field(default_factory=list)
    # Off for the portfolio, which judges but shows no figure: no sources, no value in words.
    detail: bool = True


_PARTS = (
    "objectives", "measures", "answers", "survey_quarters", "reviews", "factor_ratings", "interactions",
    "sentiment_quarters", "sentiment_recent",
)  # fmt: skip


def _grouped(facts, *, detail: bool) -> dict[str, _ClientFacts]:
    """The facts' rows by client (each row leads with its client's id, one the facts hold)."""
    by_client = {row[0]: _ClientFacts(detail=detail) for row in facts.clients}
    for part in _PARTS:
        lists = {client_id: getattr(found, part) for client_id, found in by_client.items()}
        for row in getattr(facts, part):
            lists[row[0]].append(row)
    for client_id, contact_id in facts.deciders:
        by_client[client_id].deciders.append(contact_id)
    return by_client


def _quarter_start(number: int) -> str:
    """The first day of a quarter numbered year × 4 + quarter - 1 (store/scorecard_facts.py): a trend
    point's date."""
    return f"{number // 4}-{number % 4 * 3 + 1:02d}-01"


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _net_sentiment(interactions: int, positive: int, negative: int) -> float:
    """Share of positive minus share of negative, to two decimals (as shown, so as judged)."""
    return round((positive - negative) / interactions, 2)


class _Verdict(NamedTuple):
    """What the portfolio keeps of a figure: enough for PERSPECTIVE_RULE and the score."""

    label: str
    status: str
    falling: bool


def _figure(detail: bool, **fields) -> Figure | _Verdict:
    """The figure, or only its verdict when no one will read the figure (the portfolio)."""
    if detail:
        return Figure(**fields)
    return _Verdict(fields["label"], fields["status"], fields["falling"])


def _judged(
    detail: bool,
    key: str,
    label: str,
    rule: Rule,
    value: float | None,
    shown: str,
    *,
    trend: tuple[Point, ...] = (),
    low: float,
    high: float,
    sources: tuple[Source, ...] = (),
    by_person: tuple[tuple[str, str, float, str], ...] = (),
) -> Figure | _Verdict:
    if not detail:
        return _Verdict(label, rule.status(value), value is not None and rule.falls(trend))
    return Figure(
        key=key, label=label, value=value, shown=shown if value is not None else "—",
        status=rule.status(value), rule=rule.text, trend=trend, low=low, high=high, sources=sources,
        falling=value is not None and rule.falls(trend), by_person=by_person,
    )  # fmt: skip


def _objectives_figure(objectives: list[tuple], detail: bool) -> Figure | _Verdict:
    counted = [o for o in objectives if o[4] != "dropped"]
    sources = tuple(Source("objective", str(o[1]), f"Objective {o[2]}") for o in counted) if detail else ()
    if not counted:
        return _figure(
            detail, key="objectives", label="Objectives", value=None, shown="—", status="unknown",
            rule=OBJECTIVES_RULE, falling=False,
        )  # fmt: skip
    statuses = [o[4] for o in counted]
    ahead = sum(1 for s in statuses if s in ("on_track", "achieved"))
    status = "poor" if "off_track" in statuses else "watch" if "at_risk" in statuses else "good"
    return _figure(
        detail, key="objectives", label="Objectives", value=float(ahead),
        shown=f"{ahead} of {len(counted)} on track or achieved", status=status, rule=OBJECTIVES_RULE,
        high=float(len(counted)), sources=sources, falling=False,
    )  # fmt: skip


def _measure_figure(measure: tuple, readings: list[tuple], detail: bool) -> Figure | _Verdict:
    _client, _perspective, _objective, measure_id, name, unit, currency, direction, baseline, target = measure
    # The plan's own rules (core/account_plan.py MeasureView) judge from the latest reading.
    view = MeasureView(
        Record(
            "measure", measure_id, {"baseline": baseline, "target": target, "direction": direction}, "", ""
        ),
        tuple(Record("measure_reading", r[1], {"date": r[2], "value": r[3]}, "", "") for r in readings[-1:]),
    )
    current, met, progress = view.current, view.met, view.progress
    if met is None:
        status = "unknown"
    elif met:
        status = "good"
    else:
        status = "watch" if progress is not None and progress >= MEASURE_WATCH_FROM else "poor"
    value = current if met is not None else None
    if not detail:
        return _Verdict(str(name), status, False)
    shown = "—"
    if current is not None:
        shown = amount(current, unit=unit, currency=currency)
        if target is not None:
            shown += f" (target {amount(target, unit=unit, currency=currency)})"
    trend = tuple(Point(str(r[2]), float(r[3])) for r in readings)
    scale = [p.value for p in trend] + [float(v) for v in (baseline, target) if v is not None]
    low, high = (min(scale), max(scale)) if scale else (0.0, 1.0)
    return Figure(
        f"measure:{measure_id}", str(name), value, shown, status, MEASURE_RULE, trend=trend, low=low,
        high=high if high > low else low + 1,
        sources=(Source("measure", str(measure_id), f"Measure {name}"),),
    )  # fmt: skip


def _scores_by_person(answers: list[tuple], names: dict[str, str]) -> tuple[tuple[str, str, float, str], ...]:
    """Each person's latest score, by name."""
    latest: dict[str, float] = {}
    for _client, _response, _date, contact_id, _type, score in answers:  # oldest first: the last one stays
        if contact_id:
            latest[str(contact_id)] = float(score)
    people = ((c, names.get(c, ""), v, str_score(v)) for c, v in latest.items())
    return tuple(sorted(people, key=lambda p: (p[1].lower(), p[0])))


def _response_sources(answers: list[tuple], what: str, names: dict[str, str]) -> tuple[Source, ...]:
    seen: dict[str, Source] = {}
    for _client, response_id, on, contact_id, _type, _score in answers:
        who = names.get(str(contact_id or ""), "")
        seen[response_id] = Source("survey_response", str(response_id), f"{what} response of {who}, {on}"
                                   if who else f"{what} response, {on}")  # fmt: skip
    return tuple(seen.values())


def _survey_figures(facts: _ClientFacts, names: dict[str, str], since: int) -> list[Figure | _Verdict]:
    """NPS and CSAT: their value over the answers of the quarters numbered from `since`, their trend by
    quarter (the client's rows of
    ScorecardFacts.survey_quarters), by person and their sources from the answers (none when not read)."""
    detail = facts.detail
    quarters: dict[str, list[tuple]] = {"nps": [], "csat": []}
    for row in facts.survey_quarters:
        quarters[row[1]].append(row)
    figures = []
    for key, label, low, high in (("nps", "NPS", -100, 100), ("csat", "CSAT", 1, 5)):
        mine = quarters[key]

        def figure_of(count: int, promoters: int, detractors: int, total: int, key: str = key) -> float:
            # core/surveys.py's arithmetic over counts: a survey's results and the scorecard give one number.
            return (
                nps_of_counts(count, promoters, detractors) if key == "nps" else csat_of_total(count, total)
            )

        recent = [q for q in mine if q[2] >= since]
        value = (
            figure_of(*(sum(column) for column in list(zip(*recent, strict=True))[3:7])) if recent else None
        )
        trend = tuple(
            Point(_quarter_start(q[2]), figure_of(*q[3:7])) for q in (mine if detail else mine[-2:])
        )
        if not detail:
            figures.append(_judged(False, key, label, RULES[key], value, "", trend=trend, low=low, high=high))
            continue
        # Every digit the value keeps is shown: "+29.6" is not mistaken for the +30 that is good.
        shown = f"{value or 0:+g}" if key == "nps" else f"{value or 0:g} of 5"
        asked = [a for a in facts.answers if a[4] == key]
        figures.append(
            _judged(
                True, key, label, RULES[key], value, shown, trend=trend, low=low, high=high,
                sources=_response_sources(asked, label, names), by_person=_scores_by_person(asked, names),
            )
        )  # fmt: skip
    return figures


def str_score(value: float) -> str:
    """A person's own answer as they gave it: "9", "4"."""
    return f"{value:.0f}"


def _rating_figure(
    detail: bool, key: str, label: str, rated: list[tuple[str, str, str | None, str, int]]
) -> Figure | _Verdict:
    """A 1–5 rating's figure from (kind, id, label, date, rating) rows, oldest first."""
    trend = tuple(Point(on, float(rating)) for _kind, _id, _label, on, rating in rated)
    value = trend[-1].value if trend else None
    return _judged(
        detail, key, label, RULES["rating"], value, f"{value or 0:.0f} of 5", trend=trend, low=1, high=5,
        sources=tuple(Source(kind, str(i), str(text)) for kind, i, text, _on, _r in rated) if detail else (),
    )  # fmt: skip


def _review_figure(facts: _ClientFacts, key: str, label: str, column: int) -> Figure | _Verdict:
    reviews = [r for r in facts.reviews if r[column] is not None]
    rated = [
        ("review", r[1], f"Review {r[2]}, {r[3]}" if facts.detail else None, str(r[3]), int(r[column]))
        for r in (reviews if facts.detail else reviews[-2:])  # the trend rule reads the latest two
    ]
    return _rating_figure(facts.detail, key, label, rated)


def _factor_figure(facts: _ClientFacts, factor: str, ratings: list[tuple]) -> Figure | _Verdict:
    """One success factor's figure from its ratings, oldest first."""
    label, detail = FACTOR_LABELS[factor], facts.detail
    rated = [
        ("success_factor_rating", r[1],
         (f"{label} rated {r[5]}, {r[3]}" + (f" to {r[4]}" if r[4] else "")) if detail else None,
         str(r[3]), int(r[5]))
        for r in (ratings if detail else ratings[-2:])  # the trend rule reads the latest two
    ]  # fmt: skip
    return _rating_figure(detail, f"factor:{factor}", label, rated)


def _sentiment_figure(facts: _ClientFacts) -> Figure | _Verdict:
    recent = facts.sentiment_recent[0][1:] if facts.sentiment_recent else None
    value = _net_sentiment(*recent) if recent else None
    quarters = facts.sentiment_quarters if facts.detail else facts.sentiment_quarters[-2:]
    return _judged(
        facts.detail, "sentiment", "Interaction sentiment", RULES["sentiment"], value, f"{value or 0:+.2f}",
        trend=tuple(Point(_quarter_start(q[1]), _net_sentiment(*q[2:5])) for q in quarters), low=-1, high=1,
        sources=tuple(
            Source("interaction", str(i[1]), f"Interaction {i[2]}, {i[3]}") for i in facts.interactions
        ),
    )  # fmt: skip


def _coverage_figure(facts: _ClientFacts, met: set[str], names: dict[str, str]) -> Figure | _Verdict:
    deciders = facts.deciders
    value = None
    shown = "—"
    if deciders:
        seen = sum(1 for d in deciders if d in met)
        value = round(seen * 100 / len(deciders), 1)  # as shown, so as judged
        shown = f"{seen} of {len(deciders)} met ({value:g}%)"
    not_met = tuple(
        Source("contact", d, f"{names.get(d, d)}, not met in {COVERAGE_DAYS} days")
        for d in deciders
        if d not in met and facts.detail
    )
    return _judged(
        facts.detail, "dm_coverage", "Decision makers met", RULES["coverage"], value, shown, low=0, high=100,
        sources=not_met,
    )  # fmt: skip


def _judge(figures: Sequence[Figure | _Verdict], *, reason: bool = True) -> tuple[str, str]:
    """A perspective's status and (unless not asked for) its reason, by PERSPECTIVE_RULE."""
    with_data = [f for f in figures if f.status != "unknown"]
    if not with_data:
        return "unknown", "No figure has data yet."
    poor = [f.label for f in with_data if f.status == "poor"]
    watch = [f.label for f in with_data if f.status == "watch"]
    falling = [f.label for f in with_data if f.falling]
    counted = len(with_data)
    if not (poor or watch or falling):
        every = "The one figure with data is" if counted == 1 else f"All {counted} figures with data are"
        return "good", f"{every} good." if reason else ""
    status = "poor" if len(poor) * 3 >= counted else "watch"
    if not reason:
        return status, ""
    parts = [f"{len(poor)} of {counted} figures with data poor: {', '.join(poor)}"] if poor else []
    if watch:
        parts.append(f"watch: {', '.join(watch)}")
    if falling:
        parts.append(f"falling: {', '.join(falling)}")
    said = "; ".join(parts)
    return status, said[:1].upper() + said[1:] + "."


def _score(figures: Sequence[Figure | _Verdict]) -> float | None:
    """The mean of STATUS_SCORES over the figures with data; None without any."""
    scores = [STATUS_SCORES[f.status] for f in figures if f.status in STATUS_SCORES]
    return _mean(scores) if scores else None


def _quarter_number(day: dt.date) -> int:
    """A day's calendar quarter numbered as store/scorecard_facts.py numbers them: year × 4 + quarter - 1."""
    return day.year * 4 + (day.month - 1) // 3


def _figures(
    facts: _ClientFacts,
    readings: dict[str, list[tuple]],
    met: set[str],
    names: dict[str, str],
    today: dt.date,
) -> dict[str, list]:
    """Each perspective's figures (only their verdicts, without the facts' detail), by perspective."""
    detail = facts.detail
    figures: dict[str, list] = {}
    for key in PERSPECTIVES:
        figures[key] = [_objectives_figure([o for o in facts.objectives if o[3] == key], detail)]
        figures[key] += [
            _measure_figure(m, readings.get(m[3], []), detail) for m in facts.measures if m[1] == key
        ]
    figures["customer"] += [
        *_survey_figures(facts, names, since=_quarter_number(today) - SURVEY_QUARTERS + 1),
        _review_figure(facts, "review_their", "Their review rating", 5),
        _sentiment_figure(facts),
    ]
    figures["internal_process"].append(_review_figure(facts, "review_our", "Our review rating", 4))
    by_factor: dict[str, list[tuple]] = defaultdict(list)
    for rating in facts.factor_ratings:
        by_factor[rating[2]].append(rating)
    for key, factors in PERSPECTIVE_FACTORS.items():
        figures[key] += [_factor_figure(facts, factor, by_factor[factor]) for factor in factors]
    figures["learning_and_growth"].append(_coverage_figure(facts, met, names))
    return figures


def _read_facts(workspace: Workspace, *, today: dt.date, client_id: str | None, details: bool):
    from companion.store.scorecard_facts import scorecard_facts

    with workspace.db.reading() as conn:
        return scorecard_facts(
            conn,
            today=today.isoformat(),
            met_since=(today - dt.timedelta(days=COVERAGE_DAYS)).isoformat(),
            recent_since=(today - dt.timedelta(days=SENTIMENT_DAYS)).isoformat(),
            deciding_roles=DECIDING_ROLES,
            promoter_from=PROMOTER_FROM,
            detractor_up_to=DETRACTOR_UP_TO,
            client_id=client_id,
            details=details,
        )


def _readings_by_measure(readings: list[tuple]) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = defaultdict(list)
    for reading in readings:
        found[str(reading[0])].append(reading)
    return found


def scorecard(workspace: Workspace, *, client_id: str, today: dt.date | None = None) -> Scorecard:
    """One client's scorecard as of `today`: nothing dated after it counts."""
    today = today or dt.date.today()
    facts = _read_facts(workspace, today=today, client_id=client_id, details=True)
    if not facts.clients:
        raise NotFoundError(f"There is no client with the id {client_id}.")
    _id, name, _owner = facts.clients[0]
    mine = _grouped(facts, detail=True)[client_id]
    figures = _figures(mine, _readings_by_measure(facts.readings), facts.deciders_met, facts.names, today)
    perspectives = []
    for key in PERSPECTIVES:
        status, reason = _judge(figures[key])
        perspectives.append(Perspective(key, PERSPECTIVE_LABELS[key], status, reason, tuple(figures[key])))
    return Scorecard(client_id, str(name), today, tuple(perspectives))


def perspective_score(perspective: Perspective) -> float | None:
    """The perspective's score in the portfolio: the mean of STATUS_SCORES over its figures with data."""
    return _score(perspective.figures)


def portfolio(
    workspace: Workspace, *, today: dt.date | None = None, by: str | None = None
) -> list[PortfolioRow]:
    """Every client that is not a former one, ranked by perspective `by` (best first; no data last), or
    by the overall score when `by` is None.

    The whole workspace is read in the same few queries (store/scorecard_facts.py) and judged client by
    client by the scorecard's own rules, keeping only each figure's verdict: no scorecard is built."""
    if by is not None and by not in PERSPECTIVES:
        raise ValidationError(f"Rank by one of: {', '.join(PERSPECTIVES)} (not '{by}').", field="by")
    today = today or dt.date.today()
    facts = _read_facts(workspace, today=today, client_id=None, details=False)
    readings = _readings_by_measure(facts.readings)
    grouped = _grouped(facts, detail=False)
    rows = []
    for client_id, name, owner in facts.clients:
        figures = _figures(grouped[client_id], readings, facts.deciders_met, {}, today)
        scores = {key: _score(figures[key]) for key in PERSPECTIVES}
        known = [score for score in scores.values() if score is not None]
        statuses = {key: _judge(figures[key], reason=False)[0] for key in PERSPECTIVES}
        overall = _mean(known) if known else None
        rows.append(PortfolioRow(str(client_id), str(name), str(owner or ""), statuses, scores, overall))

    def rank(row: PortfolioRow) -> tuple:
        score = row.overall if by is None else row.scores[by]
        return (score is None, -(score or 0.0), row.name.lower(), row.client_id)

    return sorted(rows, key=rank)


def portfolio_csv(rows: Sequence[PortfolioRow]) -> str:
    """The ranked portfolio as CSV: rank, client, owner, each perspective's status (in words) and score
    (0–100, empty without data), and the overall score."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["rank", "client", "owner"]
    for key in PERSPECTIVES:
        header += [f"{key} status", f"{key} score"]
    writer.writerow([*header, "overall"])
    for rank, row in enumerate(rows, 1):
        line: list[object] = [rank, row.name, row.owner]
        for key in PERSPECTIVES:
            line += [STATUS_LABELS[row.statuses[key]], score_text(row.scores[key])]
        writer.writerow([*line, score_text(row.overall)])
    return out.getvalue()


def score_text(score: float | None) -> str:
    """A 0–100 score as printed: "67", "" without data."""
    return "" if score is None else f"{score:.0f}"
