"""A review's pack for the meeting with the client, as Markdown (with its charts named), for the screen and the PDF.

It holds the review (kind, period, when and in which meeting it was held, both ratings, what went well and
badly), the actions agreed in it, the client's open risks, the next review's date, the success-factor ratings of its period and the
account's scorecard (core/scorecard.py: each perspective's status and why, each figure's value, status,
rule and trend chart).

Two versions. The internal one holds everything and says so at the top. The one for the client is the
internal one passed through `for_the_client`, the one place that decides what the client may read: no
internal assessment of the review, no reason of the internal-process perspective (it names people we have
not met), no figure's sources or people's own scores (a survey's answers are not shown person by person),
and of the open risks only those marked to share with the client (`risk.shareable`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from companion.core.changes import Record
from companion.core.markdown import escape, flat
from companion.core.scorecard import (
    FACTOR_LABELS,
    PERSPECTIVE_RULE,
    STATUS_LABELS,
    Figure,
    Perspective,
    Scorecard,
)
from companion.model.errors import ValidationError
from companion.model.kinds import SUCCESS_FACTORS

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

REVIEW_KIND_LABELS = {
    "quarterly": "Quarterly business review",
    "annual": "Annual review",
    "executive": "Executive review",
}
# The review's own fields the client never reads.
INTERNAL_REVIEW_FIELDS = frozenset({"internal_notes"})
# The perspective whose reason the client never reads: it names their people we have not met.
INTERNAL_REASON_PERSPECTIVES = frozenset({"internal_process"})
INTERNAL_MARKER = "INTERNAL — not for the client"


@dataclass(frozen=True)
class Chart:
    """A figure's trend, drawn by the renderer as the image resource `name` the Markdown shows."""

    name: str  # a bare resource name ("chart-3.png"): render/links.py allows those
    points: tuple[tuple[str, float], ...]
    low: float
    high: float
    status: str


@dataclass(frozen=True)
class ReviewDocument:
    client_name: str
    title: str  # "Review pack: Halvorsen Offshore — Q3 review": the PDF's title
    markdown: str
    for_client: bool
    has_review: bool
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class ReviewPack:
    """What a review's pack is made of, read once."""

    client: Record
    review: Record | None
    meeting: Record | None = None
    actions: tuple[Record, ...] = ()
    factors: tuple[Record, ...] = ()  # the success-factor ratings of the review's period
    risks: tuple[Record, ...] = ()  # the client's open risks, the highest score first
    scorecard: Scorecard | None = None
    next_due: dt.date | None = None  # the next review's date: set at the review, else by the cadence
    names: dict[str, str] = field(default_factory=dict)  # colleagues and contacts by id

    def name(self, record_id: object) -> str:
        return self.names.get(str(record_id or ""), "")


# --- what the client may read: the one place ------------------------------------------------


def for_the_client(pack: ReviewPack) -> ReviewPack:
    """The pack as the client's people may read it: the review's internal assessment, the internal-process
    perspective's reason, each figure's sources, people's own scores and the risks not marked to share are
    taken out here, and only here. Both ratings, what went well and badly, the agreed actions and the
    success factors' evidence stay."""
    review = pack.review
    if review is not None:
        review = replace(
            review, values={k: v for k, v in review.values.items() if k not in INTERNAL_REVIEW_FIELDS}
        )
    scorecard = pack.scorecard
    if scorecard is not None:
        scorecard = replace(scorecard, perspectives=tuple(_shared(p) for p in scorecard.perspectives))
    risks = tuple(r for r in pack.risks if r["shareable"])
    return replace(pack, review=review, scorecard=scorecard, risks=risks)


def _shared(perspective: Perspective) -> Perspective:
    reason = "" if perspective.key in INTERNAL_REASON_PERSPECTIVES else perspective.reason
    figures = tuple(replace(f, sources=(), by_person=()) for f in perspective.figures)
    return replace(perspective, reason=reason, figures=figures)


# --- reading --------------------------------------------------------------------------------


def load_review_pack(
    workspace: Workspace, *, client_id: str, review_id: str | None = None, today: dt.date
) -> ReviewPack:
    """A client's review (the one asked for, else the latest) with what its pack shows."""
    from companion.core import reviews
    from companion.core.account_plan import is_open_risk, risk_score
    from companion.core.scorecard import scorecard

    client = workspace.get(kind="client", id=client_id)
    held = reviews.client_reviews(workspace, client_id=client_id)
    if review_id is not None:
        review = next((r for r in held if r.id == review_id), None)
        if review is None:
            known = "; ".join(f"{r['title']} ({r['held_on']}, {r.id})" for r in held) or "none"
            raise ValidationError(
                f"{client['name']} has no review with the id {review_id}. Its reviews: {known}."
            )
    else:
        review = held[0] if held else None
    if review is None:
        return ReviewPack(client, None)
    meeting = workspace.get(kind="meeting", id=str(review["meeting_id"])) if review["meeting_id"] else None
    actions = tuple(reviews.agreed_actions(workspace, review_id=review.id))
    factors = tuple(
        sorted(
            (
                r
                for r in workspace.list(kind="success_factor_rating", where={"client_id": client_id})
                if _in_period(r, review)
            ),
            key=lambda r: (_factor_order(r["factor"]), str(r["period_from"]), r.id),
        )
    )
    risks = tuple(
        sorted(
            (r for r in workspace.list(kind="risk", where={"client_id": client_id}) if is_open_risk(r)),
            key=lambda r: (-risk_score(r), str(r["title"])),
        )
    )
    people = {str(a["owner_id"]) for a in actions if a["owner_id"]}
    contacts = {str(a["contact_id"]) for a in actions if a["contact_id"]}
    names = {i: str(r["name"]) for i, r in workspace.get_many(kind="colleague", ids=sorted(people)).items()}
    names.update(
        {i: str(r["name"]) for i, r in workspace.get_many(kind="contact", ids=sorted(contacts)).items()}
    )
    every = client["review_every_days"]
    next_due = reviews.next_review_due(
        held_on=str(review["held_on"]), next_review=review["next_review"], every_days=every, today=today
    )
    return ReviewPack(
        client,
        review,
        meeting,
        actions,
        factors,
        risks,
        scorecard(workspace, client_id=client_id, today=today),
        next_due,
        names,
    )


def _factor_order(factor: object) -> int:
    return SUCCESS_FACTORS.index(factor) if factor in SUCCESS_FACTORS else len(SUCCESS_FACTORS)


def _in_period(rating: Record, review: Record) -> bool:
    """Whether a success-factor rating's period meets the review's (the review's period, else the day it
    was held)."""
    start = str(review["period_from"] or review["period_to"] or review["held_on"])
    end = str(review["period_to"] or review["held_on"])
    rated_from = str(rating["period_from"])
    rated_to = str(rating["period_to"] or rating["period_from"])
    return rated_from <= end and rated_to >= start


# --- the document ---------------------------------------------------------------------------


def build_review_document(
    workspace: Workspace,
    *,
    client_id: str,
    review_id: str | None = None,
    for_client: bool = False,
    today: dt.date | None = None,
) -> ReviewDocument:
    """The pack of the client's review (the one asked for, else the latest) as Markdown."""
    today = today or dt.date.today()
    pack = load_review_pack(workspace, client_id=client_id, review_id=review_id, today=today)
    return review_document(pack, for_client=for_client)


def review_document(pack: ReviewPack, *, for_client: bool) -> ReviewDocument:
    client = str(pack.client["name"])
    if pack.review is None:
        return ReviewDocument(
            client,
            f"Review pack: {client}",
            f"# Review pack: {escape(client)}\n\n{escape(client)} has had no review yet.\n",
            for_client,
            has_review=False,
        )
    if for_client:
        pack = for_the_client(pack)
    review = pack.review
    assert review is not None
    out = [f"# Review pack: {escape(client)} — {escape(str(review['title']))}", ""]
    out += _header(pack, review, for_client)
    out += _texts(review)
    out += _actions(pack)
    out += _risks(pack, for_client)
    out += _factors(pack)
    charts: list[Chart] = []
    out += _scorecard(pack.scorecard, charts)
    return ReviewDocument(
        client,
        f"Review pack: {client} — {review['title']}",
        "\n".join(out).rstrip() + "\n",
        for_client,
        has_review=True,
        charts=tuple(charts),
    )


def _rating(value: object) -> str:
    return f"{value} of 5" if value is not None else "not rated"


def _period(start: object, end: object) -> str:
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else ""


def _header(pack: ReviewPack, review: Record, for_client: bool) -> list[str]:
    facts = [
        ("Client", str(pack.client["name"])),
        ("Kind", REVIEW_KIND_LABELS.get(str(review["kind"]), str(review["kind"]))),
    ]
    period = _period(review["period_from"], review["period_to"])
    if period:
        facts.append(("Period", period))
    facts.append(("Held on", str(review["held_on"])))
    if pack.meeting is not None:
        starts = str(pack.meeting["starts_at"] or "")[:10]
        facts.append(
            ("Meeting", f"{pack.meeting['title']} ({starts})" if starts else str(pack.meeting["title"]))
        )
    facts.append(("Our rating", _rating(review["our_rating"])))
    facts.append(("Their rating", _rating(review["their_rating"])))
    if pack.next_due is not None:
        facts.append(("Next review", pack.next_due.isoformat()))
    lines = [f"**{label}:** {escape(value)}  " for label, value in facts]
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    if for_client:
        name = str(pack.client["name"])
        # A name ending in its own full stop ("Varejo S.A.") ends the sentence.
        lines += [f"*Prepared for {escape(name)}{'' if name.endswith('.') else '.'}*", ""]
    else:
        lines += [
            f"**{INTERNAL_MARKER}:** it holds our internal assessment and who stands behind each figure. "
            "Share the version for the client instead.",
            "",
        ]
    return lines


def _texts(review: Record) -> list[str]:
    out = []
    for name, heading in (
        ("went_well", "What went well"),
        ("went_badly", "What went badly"),
        ("internal_notes", "Internal assessment (not for the client)"),
    ):
        text = str(review[name] or "").strip()
        if name == "internal_notes" and not text:
            continue  # an empty internal section says nothing
        out += [f"## {heading}", "", text or "Nothing recorded.", ""]
    return out


def _actions(pack: ReviewPack) -> list[str]:
    out = ["## Agreed actions", ""]
    if not pack.actions:
        return [*out, "None recorded.", ""]
    out += ["| Action | Owner | With | Due | Done |", "|---|---|---|---|---|"]
    for action in pack.actions:
        cells = [
            escape(str(action["text"])),
            escape(pack.name(action["owner_id"])),
            escape(pack.name(action["contact_id"])),
            str(action["due"] or ""),
            "done" if action["done"] else "open",
        ]
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def _risks(pack: ReviewPack, for_client: bool) -> list[str]:
    """The open risks: the client's version holds only those shared with them (for_the_client)."""
    out = ["## Open risks we work on together" if for_client else "## Open risks", ""]
    if not pack.risks:
        return [*out, "None.", ""]
    columns = ["Risk", "Likelihood × impact", "Mitigation"] + (
        [] if for_client else ["Shared with the client"]
    )
    out += ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for risk in pack.risks:
        likelihood, impact = risk["likelihood"], risk["impact"]
        cells = [
            escape(str(risk["title"])),
            f"{likelihood} × {impact}" if likelihood and impact else "not scored",
            flat(str(risk["mitigation"] or "")).replace("|", "\\|"),
        ]
        if not for_client:
            cells.append("yes" if risk["shareable"] else "no")
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def _factors(pack: ReviewPack) -> list[str]:
    out = ["## Success factors of the period", ""]
    if not pack.factors:
        return [*out, "None rated for the period.", ""]
    out += ["| Success factor | Period | Rating | Evidence |", "|---|---|---|---|"]
    for rating in pack.factors:
        factor = str(rating["factor"])
        cells = [
            FACTOR_LABELS.get(factor, factor),
            _period(rating["period_from"], rating["period_to"]),
            _rating(rating["rating"]),
            flat(str(rating["evidence"] or "")).replace("|", "\\|"),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def _scorecard(scorecard: Scorecard | None, charts: list[Chart]) -> list[str]:
    out = ["## Scorecard", ""]
    if scorecard is None:
        return [*out, "No scorecard.", ""]
    out += [
        f"As of {scorecard.as_of.isoformat()}. Each status follows a written rule: a figure's, listed at the"
        f" end; a perspective's, this one: {PERSPECTIVE_RULE}",
        "",
    ]
    for perspective in scorecard.perspectives:
        out += [
            f"### {escape(perspective.label)}: {STATUS_LABELS.get(perspective.status, perspective.status)}",
            "",
        ]
        if perspective.reason:
            out += [escape(perspective.reason), ""]
        if not perspective.figures:
            out += ["No figures recorded.", ""]
            continue
        out += ["| Figure | Value | Status | Trend |", "|---|---|---|---|"]
        people: list[str] = []
        for figure in perspective.figures:
            out.append(_figure_row(figure, charts))
            if figure.by_person:
                shown = ", ".join(f"{escape(name)} {value}" for _id, name, _v, value in figure.by_person)
                people.append(f"- {escape(figure.label)} by person: {shown}")
        out.append("")
        if people:
            out += [*people, ""]
        sources = [f for f in perspective.figures if f.sources]
        for figure in sources:
            named = "; ".join(escape(s.label) for s in figure.sources[:5])
            more = f" and {len(figure.sources) - 5} more" if len(figure.sources) > 5 else ""
            out.append(f"- {escape(figure.label)} from: {named}{more}")
        if sources:
            out.append("")
    return out + _rules(tuple(f for p in scorecard.perspectives for f in p.figures))


def _figure_row(figure: Figure, charts: list[Chart]) -> str:
    status = STATUS_LABELS.get(figure.status, figure.status)
    if figure.falling:
        status += ", falling"
    trend = ""
    if figure.trend:
        name = f"chart-{len(charts) + 1}.png"
        charts.append(
            Chart(
                name,
                tuple((p.on, float(p.value)) for p in figure.trend),
                figure.low,
                figure.high,
                figure.status,
            )
        )
        trend = f"![{escape(figure.label)} trend]({name})"
    cells = [escape(figure.label), escape(figure.shown), status, trend]
    return "| " + " | ".join(cells) + " |"


def _rules(figures: tuple[Figure, ...]) -> list[str]:
    """Each rule once, with the figures it judges: several ratings share one, every perspective has
    objectives."""
    by_rule: dict[str, list[str]] = {}
    for figure in figures:
        labels = by_rule.setdefault(figure.rule, []) if figure.rule else []
        if figure.rule and figure.label not in labels:
            labels.append(figure.label)
    if not by_rule:
        return []
    lines = [f"- *{escape(', '.join(labels))}:* {escape(rule)}" for rule, labels in by_rule.items()]
    return ["### The figures' rules", "", *lines, ""]
