"""The meeting brief: what to read in the car park, gathered in one place for the screen, PDF and calendar."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core import checklist
from companion.core.account_plan import (
    DONE_OBJECTIVE_STATUSES,
    MeasureView,
    amount,
    is_high,
    notice_is_near,
    risk_score,
)
from companion.core.changes import Record
from companion.core.meetings import checklist_items, gather
from companion.core.people import describe_tie, ties_of
from companion.model.kinds import get_kind
from companion.model.labels import choice_label
from companion.model.values import local_time

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# Open items beyond this many are counted, not listed: the brief stays within two pages. A brief with
# deals gives their room to them (and to satisfaction): it lists the first open musts and counts the
# other musts and open items.
OPEN_ITEMS_LISTED = 12
OPEN_ITEMS_LISTED_WITH_DEALS = 0
OPEN_MUSTS_LISTED_WITH_DEALS = 2
# So are the plan's open objectives (each with its first measure), high risks, contracts and ties.
OBJECTIVES_LISTED = 2
RISKS_LISTED = 2
CONTRACTS_LISTED = 2
TIES_LISTED = 3
# The client's open deals (those its attendees are the economic buyer or champion of first, then the
# furthest along), and the deals won or lost within `CLOSED_WITHIN_DAYS` of today, latest first.
DEALS_LISTED = 3
CLOSED_LISTED = 3
CLOSED_WITHIN_DAYS = 365
# The client's mission, vision and values and the plan's strategy are cut to about a printed line,
# an objective's title to most of one.
GIST_CHARS = 90
TITLE_CHARS = 50
MEASURE_NAME_CHARS = 30
# A deal's title and next step, to share a line with its standing and gaps.
DEAL_TITLE_CHARS = 40
STEP_CHARS = 45
# The latest review's open agreed actions listed. A brief with deals counts
# the agreed actions instead (they are on the checklist): the satisfaction part stays a line or two.
AGREED_LISTED = 2
AGREED_LISTED_WITH_DEALS = 0


@dataclass(frozen=True)
class BriefPerson:
    name: str
    role: str  # "CFO · economic buyer · stance: sceptic · influence 5/5"
    stance: str | None
    cares_about: str | None
    sensitivities: str | None
    personality: str | None
    preferences: str | None
    handling: str | None  # how to handle a difficult person
    last_contact: str | None
    notes: tuple[str, ...] = ()  # "left on 2026-11-15", "culture role model"
    ties: tuple[str, ...] = ()  # "Rival of Kari Nygaard (strength 4/5): …", from this person's side
    score: str | None = None  # their latest survey score: "6 of 10 (NPS, 2026-10-30): “…”"


@dataclass(frozen=True)
class BriefRule:
    text: str
    must: bool
    about: str  # "" for the client, else the site or person it is about


@dataclass(frozen=True)
class BriefObjective:
    title: str
    status: str  # "On track"
    measure: str | None  # its first measure read: "Vessels 12, target 14"
    more_measures: int = 0  # the others read


@dataclass(frozen=True)
class BriefPlan:
    """Where we stand on the client's plan, in a few lines: what of it the people in the room should hear."""

    heading: str | None  # "Expand plan, 2027-01-01 to 2027-12-31"; None without an active plan
    standing: str | None  # "4 open objectives, 1 achieved"
    strategy: str | None  # its first line, short
    # The first open ones, those involving the attendees first, then the worst going (the rest are
    # counted in `standing`).
    objectives: tuple[BriefObjective, ...]
    risks: tuple[tuple[str, str], ...]  # open high risks, highest first: ("4 × 5", "Sponsor may retire")
    more_risks: int
    contracts: tuple[str, ...]  # notice due within the horizon of the meeting
    more_contracts: int
    ties: tuple[str, ...]  # the attendees' ties to competitors: "Don't knock X: Ingrid Dahl worked there"
    more_ties: int

    def __bool__(self) -> bool:
        return bool(self.heading or self.risks or self.contracts or self.ties)


@dataclass(frozen=True)
class BriefDeal:
    """One open deal, in a few words: what it is worth, where it stands, what is missing."""

    title: str
    standing: str  # "negotiating, 1,250,000 NOK"
    closes: str | None  # expected close, ISO
    next_step: str | None  # "Send the revised offer (due 2026-12-05)"
    qualified: str  # "3/8": MEDDPICC criteria confirmed
    gaps: tuple[str, ...]  # the qualification gaps, a few words each: "no economic buyer named"
    people: tuple[str, ...] = ()  # attendees in it: "Ingrid Dahl (economic buyer)"


@dataclass(frozen=True)
class BriefDeals:
    """The client's deals: the open ones and the won and lost of the last year, with why."""

    open: tuple[BriefDeal, ...]
    more_open: int
    # ("Won", "Fleet monitoring", "2026-05-01", "Proven on the pilot vessel."), latest first.
    closed: tuple[tuple[str, str, str, str], ...]
    more_closed: int

    def __bool__(self) -> bool:
        return bool(self.open or self.closed)


@dataclass(frozen=True)
class BriefSatisfaction:
    """How satisfied the client is, in a line or two: the latest review, NPS and CSAT with their trend (each
    attendee's own latest score is told beside them, `BriefPerson.score`)."""

    review: str | None  # the latest: "2026-09-15: ours 4, theirs 3 of 5"
    agreed: tuple[str, ...]  # its open agreed actions: "Send the uptime report (due 2026-12-20)"
    more_agreed: int
    nps: str | None  # "+50 in 2026-Q4 (from +100)": the quarter before with scores
    csat: str | None  # "3.8 of 5 in 2026-Q4 (from 4.2)"

    def __bool__(self) -> bool:
        return bool(self.review or self.nps or self.csat)


@dataclass(frozen=True)
class Brief:
    meeting_id: str
    title: str
    client: str
    when: str
    status: str
    site: str | None
    address: str | None
    ours: tuple[str, ...]
    people: tuple[BriefPerson, ...]
    dos: tuple[BriefRule, ...]
    donts: tuple[BriefRule, ...]
    dress_code: str | None
    security: tuple[tuple[str, str], ...]
    arrival: str | None
    objectives: str | None
    agenda: str | None
    follow_ups: tuple[str, ...]
    warnings: tuple[str, ...]
    percent: int
    done: int
    total: int
    open_musts: tuple[str, ...]
    open_items: tuple[str, ...]
    more_open: int
    # ("Mission", "…"), ("Vision", "…"), ("Values", "…"): the client's own words, short, to acknowledge.
    acknowledge: tuple[tuple[str, str], ...] = ()
    plan: BriefPlan | None = None
    deals: BriefDeals | None = None
    satisfaction: BriefSatisfaction | None = None
    more_musts: int = 0  # open musts counted, not listed

    @property
    def summary(self) -> str:
        """A few plain lines: the brief at a glance, for our own eyes (a calendar entry, which the client's
        people read too, carries core/meeting_invite's summary instead)."""
        lines = [f"{self.client} · {self.when}"]
        if self.site:
            lines.append(f"Where: {self.site}")
        if self.people:
            lines.append(
                "Who: " + "; ".join(f"{p.name} ({p.role})" if p.role else p.name for p in self.people)
            )
        if self.dress_code:
            lines.append(f"Dress code: {self.dress_code}")
        musts = [r.text for r in (*self.dos, *self.donts) if r.must]
        if self.plan is not None:
            musts += self.plan.ties
        if musts:
            lines.append("Must: " + "; ".join(musts))
        if self.plan is not None and self.plan.heading:
            lines.append(f"Plan: {self.plan.heading} ({self.plan.standing})")
        if self.plan is not None and self.plan.risks:
            lines.append("High risks: " + "; ".join(f"{title} ({score})" for score, title in self.plan.risks))
        if self.plan is not None and self.plan.contracts:
            lines.append("Notice due: " + "; ".join(self.plan.contracts))
        if self.deals is not None and self.deals.open:
            lines.append("Deals: " + "; ".join(f"{d.title} ({d.standing})" for d in self.deals.open))
        if self.satisfaction is not None and (self.satisfaction.nps or self.satisfaction.csat):
            sat = self.satisfaction
            said = [f"NPS {sat.nps}" if sat.nps else "", f"CSAT {sat.csat}" if sat.csat else ""]
            lines.append("Satisfaction: " + "; ".join(s for s in said if s))
        if self.objectives:
            lines += ["", "Objectives:", self.objectives]
        lines += ["", f"Preparation: {self.percent}% ticked ({self.done} of {self.total})"]
        return "\n".join(lines)


def format_when(starts_at: object, ends_at: object, *, all_day: object = False) -> str:
    """'Thu 10 Dec 2026, 09:00–11:30' in the laptop's time zone; an all-day meeting by its days alone
    (its UTC dates, the last included): 'Mon 14 Dec 2026 (all day)', 'Mon 14 Dec 2026 – Wed 16 Dec 2026'."""
    if all_day:
        first = local_time(starts_at, dt.UTC).date()
        last = local_time(ends_at, dt.UTC).date() if ends_at else first
        return (
            f"{first:%a %d %b %Y} (all day)" if last <= first else f"{first:%a %d %b %Y} – {last:%a %d %b %Y}"
        )
    starts = local_time(starts_at)
    text = f"{starts:%a %d %b %Y, %H:%M}"
    if ends_at:
        ends = local_time(ends_at)
        text += f"–{ends:%H:%M}" if ends.date() == starts.date() else f" – {ends:%a %d %b %Y, %H:%M}"
    return text


def _person(
    attendee: checklist.Attendee, last_contact: str | None, ties: tuple[str, ...], score: str | None = None
) -> BriefPerson:
    contact, position = attendee.contact, attendee.position
    notes = []
    if attendee.left and position is not None:
        notes.append(f"left on {position['ended']}")
    if position is None:
        notes.append("no role recorded here")
    if position is not None and position["role_model"]:
        notes.append("culture role model")
    handling = None
    if contact["difficult"]:
        handling = str(
            contact["difficult_handling"] or "difficult; nobody has written down how to handle them"
        )
    return BriefPerson(
        name=attendee.name,
        role=checklist.role_line(position) if position is not None else "",
        stance=str(position["stance"]) if position is not None and position["stance"] else None,
        cares_about=_text(contact["motivators"]),
        sensitivities=_text(contact["sensitivities"]),
        personality=_text(contact["personality"]),
        preferences="; ".join(checklist.preference_lines(contact)) or None,
        handling=handling,
        last_contact=last_contact,
        notes=tuple(notes),
        ties=ties,
        score=score,
    )


def _text(value: object) -> str | None:
    return str(value).strip() if value and str(value).strip() else None


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _plain(markdown: str) -> str:
    """One line of Markdown as plain words: no quote marks, emphasis, links or headings."""
    text = markdown.strip().lstrip(">").strip().lstrip("#").strip()
    text = _LINK.sub(r"\1", text)
    return " ".join(_EMPHASIS.sub(r"\2", text).split())


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending at a sentence where one ends in time, else at a word, with "…"."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    sentence = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if sentence >= limit // 3:
        return head[: sentence + 1]
    space = head.rfind(" ")
    return (head[:space] if space > 0 else head[: limit - 1]).rstrip(",;:") + "…"


def gist(markdown: object, limit: int = GIST_CHARS) -> str | None:
    """A long text in a line: a list's items by their lead ("Safety first; Honesty"), else the first
    paragraph; plain words, cut to about `limit` characters."""
    text = str(markdown or "").strip()
    if not text:
        return None
    items = [_LIST_ITEM.sub("", line) for line in text.splitlines() if _LIST_ITEM.match(line)]
    if items:
        leads = [_plain(item.split(":", 1)[0] if ":" in item else item).rstrip(".") for item in items]
        return _cut("; ".join(lead for lead in leads if lead), limit) or None
    paragraph = []
    for line in text.splitlines():
        if not line.strip().strip(">").strip():
            if paragraph:
                break
            continue
        paragraph.append(line)
    return _cut(_plain(" ".join(_plain(line) for line in paragraph)), limit) or None


def _acknowledge(client: Record) -> tuple[tuple[str, str], ...]:
    found = []
    for name, label in (("mission", "Mission"), ("vision", "Vision"), ("values", "Values")):
        short = gist(client[name])
        if short:
            found.append((label, short))
    return tuple(found)


def _amount(value: float, measure: Record, *, currency: bool = True) -> str:
    return amount(value, unit=measure["unit"], currency=measure["currency"] if currency else None)


def measure_line(view: MeasureView) -> str | None:
    """ "Vessels 12, target 14": the latest reading against the target (None before the first reading)."""
    if not view.readings:
        return None
    measure = view.measure
    target = measure["target"]
    line = f"{_cut(str(measure['name']), MEASURE_NAME_CHARS)} "
    line += _amount(float(view.readings[-1]["value"]), measure, currency=target is None)
    if target is not None:
        line += f", target {_amount(float(target), measure)}"
        if view.met:
            line += ", met"
    return line


# Which open objectives the brief names first: those going worst.
_STATUS_ATTENTION = {"off_track": 0, "at_risk": 1, "not_started": 2, "on_track": 3}


def _standing(objectives: Sequence[Record]) -> str:
    """ "4 open objectives, 1 achieved", "no open objectives, 2 achieved, 1 dropped", "no objectives yet"."""
    if not objectives:
        return "no objectives yet"
    open_count = sum(1 for o in objectives if o["status"] not in DONE_OBJECTIVE_STATUSES)
    words = [f"{open_count or 'no'} open objective{'' if open_count == 1 else 's'}"]
    for status in DONE_OBJECTIVE_STATUSES:
        settled = sum(1 for o in objectives if o["status"] == status)
        if settled:
            words.append(f"{settled} {choice_label(status).lower()}")
    return ", ".join(words)


def _plan_part(workspace: Workspace, inputs: checklist.MeetingInputs) -> BriefPlan | None:
    """The plan's standing for this meeting's brief (None when the client has nothing of a plan to say)."""
    plan_in = inputs.plan
    plan = plan_in.plan
    theirs = {a.contact.id for a in inputs.attendees}
    heading = strategy = standing = None
    open_objectives = [o for o in plan_in.objectives if o["status"] not in DONE_OBJECTIVE_STATUSES]
    if plan is not None:
        heading = f"{choice_label(str(plan['type']))} plan" if plan["type"] else "Plan"
        if plan["period_from"] or plan["period_to"]:
            heading += f", {plan['period_from'] or '…'} to {plan['period_to'] or '…'}"
        strategy = gist(checklist.first_line(plan["strategy"]))
        standing = _standing(plan_in.objectives)

    def involves(objective: Record) -> bool:
        return (
            str(objective["stakeholder_id"] or "") in theirs
            or str(objective["owner_id"] or "") in inputs.ours
        )

    open_objectives.sort(
        key=lambda o: (
            not involves(o),
            _STATUS_ATTENTION.get(str(o["status"] or "not_started"), 4),
            str(o["due"] or "9999"),
            str(o["title"]),
        )
    )
    listed = open_objectives[:OBJECTIVES_LISTED]
    views = _measures(workspace, [o.id for o in listed])
    objectives = []
    for objective in listed:
        read = [line for line in map(measure_line, views.get(objective.id, [])) if line]
        objectives.append(
            BriefObjective(
                title=_cut(" ".join(str(objective["title"]).split()), TITLE_CHARS),
                status=choice_label(str(objective["status"] or "not_started")),
                measure=read[0] if read else None,
                more_measures=max(0, len(read) - 1),
            )
        )
    high = sorted((r for r in plan_in.risks if is_high(r)), key=lambda r: (-risk_score(r), str(r["title"])))
    near = sorted(
        (c for c in plan_in.contracts if notice_is_near(c, inputs.meeting_date)),
        key=lambda c: (str(c["notice_by"]), str(c["title"])),
    )
    contracts = []
    for contract in near[:CONTRACTS_LISTED]:
        line = f"{contract['title']}: notice by {contract['notice_by']}"
        if contract["renewal_status"]:
            line += f" (renewal {choice_label(str(contract['renewal_status'])).lower()})"
        contracts.append(line)
    names = {a.contact.id: a.name for a in inputs.attendees}
    ties = sorted(
        checklist.tie_line(tie, competitor, names[str(tie["contact_id"])])
        for tie, competitor in plan_in.ties
        if str(tie["contact_id"]) in names
    )
    part = BriefPlan(
        heading=heading,
        standing=standing,
        strategy=strategy,
        objectives=tuple(objectives),
        risks=tuple(
            (f"{r['likelihood']} × {r['impact']}", _cut(" ".join(str(r["title"]).split()), TITLE_CHARS * 2))
            for r in high[:RISKS_LISTED]
        ),
        more_risks=max(0, len(high) - RISKS_LISTED),
        contracts=tuple(contracts),
        more_contracts=max(0, len(near) - CONTRACTS_LISTED),
        ties=tuple(ties[:TIES_LISTED]),
        more_ties=max(0, len(ties) - TIES_LISTED),
    )
    return part if part else None


def _closed_on(deal: Record) -> str:
    """When a won or lost deal closed, as far as it says: its expected close, else when it was last
    changed (no field holds the day it was decided)."""
    return str(deal["expected_close"] or deal.updated_at)[:10]


def _deals_part(workspace: Workspace, inputs: checklist.MeetingInputs) -> BriefDeals | None:
    """The client's open deals with their gaps, and the won and lost of the last year with their reasons
    (None when the client has no such deal)."""
    from companion.core.opportunities import confirmed_count, deal_words, gap_phrase
    from companion.model.kinds import OPPORTUNITY_STAGES

    attendees = {a.contact.id: a.name for a in inputs.attendees}
    furthest = {stage: -n for n, stage in enumerate(OPPORTUNITY_STAGES)}

    def people(deal: Record) -> tuple[str, ...]:
        return tuple(
            f"{attendees[str(deal[f'{key}_id'])]} ({key.replace('_', ' ')})"
            for key in ("economic_buyer", "champion")
            if str(deal[f"{key}_id"] or "") in attendees
        )

    ranked = sorted(
        inputs.deals.deals,
        key=lambda d: (
            not people(d),
            furthest.get(str(d["stage"]), 0),
            str(d["expected_close"] or "9999"),
            str(d["title"]).lower(),
        ),
    )
    named = {
        g.contact_id for d in ranked[:DEALS_LISTED] for g in inputs.deals.gaps.get(d.id, ()) if g.contact_id
    }
    names = {i: str(c["name"]) for i, c in workspace.get_many(kind="contact", ids=sorted(named)).items()}
    listed = []
    for deal in ranked[:DEALS_LISTED]:
        step = None
        if deal["next_step"]:
            step = _cut(" ".join(str(deal["next_step"]).split()), STEP_CHARS) + (
                f" (due {deal['next_step_due']})" if deal["next_step_due"] else ""
            )
        listed.append(
            BriefDeal(
                title=_cut(" ".join(str(deal["title"]).split()), DEAL_TITLE_CHARS),
                standing=deal_words(deal.values),
                closes=str(deal["expected_close"]) if deal["expected_close"] else None,
                next_step=step,
                qualified=f"{confirmed_count(deal.values)}/8",
                gaps=tuple(
                    gap_phrase(g, names.get(g.contact_id or "")) for g in inputs.deals.gaps.get(deal.id, ())
                ),
                people=people(deal),
            )
        )
    since = (inputs.today - dt.timedelta(days=CLOSED_WITHIN_DAYS)).isoformat()
    closed = [
        d
        for d in workspace.list(
            kind="opportunity", where={"client_id": inputs.client.id, "stage": ["won", "lost"]}
        )
        if _closed_on(d) >= since
    ]
    closed.sort(key=lambda d: str(d["title"]).lower())
    closed.sort(key=_closed_on, reverse=True)  # the latest first; on one day, by title
    part = BriefDeals(
        open=tuple(listed),
        more_open=max(0, len(ranked) - DEALS_LISTED),
        closed=tuple(
            (
                choice_label(str(d["stage"])),
                _cut(" ".join(str(d["title"]).split()), TITLE_CHARS),
                _closed_on(d),
                gist(d["outcome_reason"]) or "",
            )
            for d in closed[:CLOSED_LISTED]
        ),
        more_closed=max(0, len(closed) - CLOSED_LISTED),
    )
    return part if part else None


def _trend_words(measure: str, inputs: checklist.MeetingInputs) -> str | None:
    """ "+50 in 2026-Q4 (from +100)": the latest quarter with scores against the one before it."""
    from companion.core.satisfaction import quarterly

    quarters = quarterly(inputs.satisfaction.scores, measure)
    if not quarters:
        return None
    latest = quarters[-1]
    words = f"{latest.shown(measure)} in {latest.label}"
    if len(quarters) > 1:
        words += f" (from {quarters[-2].shown(measure).removesuffix(' of 5')})"
    return words


def _satisfaction_part(inputs: checklist.MeetingInputs, *, listed: int) -> BriefSatisfaction | None:
    """The client's satisfaction for this meeting's brief, listing `listed` of the latest review's open
    agreed actions (None when nothing is known of it)."""

    sat = inputs.satisfaction
    review = None
    if sat.reviews:
        latest = sat.reviews[0]
        ratings = [
            f"{who} {latest[name]}"
            for who, name in (("ours", "our_rating"), ("theirs", "their_rating"))
            if latest[name] is not None
        ]
        review = str(latest["held_on"]) + (f": {', '.join(ratings)} of 5" if ratings else "")
    agreed = [
        _cut(" ".join(str(a["text"]).split()), TITLE_CHARS) + (f" (due {a['due']})" if a["due"] else "")
        for a in sat.agreed
    ]
    part = BriefSatisfaction(
        review=review,
        agreed=tuple(agreed[:listed]),
        more_agreed=max(0, len(agreed) - listed),
        nps=_trend_words("nps", inputs),
        csat=_trend_words("csat", inputs),
    )
    return part if part else None


def _scores_of_attendees(inputs: checklist.MeetingInputs) -> dict[str, str]:
    """contact id → the attendee's latest score, "6 of 10 (NPS, 2026-10-30)", with a detractor's own words
    (what to have read before going in)."""
    from companion.core.satisfaction import latest_by_person

    sat = inputs.satisfaction
    theirs = {a.contact.id for a in inputs.attendees}
    found = {}
    for contact_id, score in latest_by_person(s for s in sat.scores if s.contact_id in theirs).items():
        said = " ".join(sat.comments.get(score.response_id, "").split()) if score.detractor else ""
        found[contact_id] = score.words() + (f": “{_cut(said, GIST_CHARS)}”" if said else "")
    return found


def _measures(workspace: Workspace, objective_ids: Sequence[str]) -> dict[str, list[MeasureView]]:
    """The measures of these objectives with their readings, oldest first, by objective and name."""
    if not objective_ids:
        return {}
    measures = workspace.list(kind="measure", where={"objective_id": list(objective_ids)})
    readings: dict[str, list[Record]] = {}
    if measures:
        for reading in workspace.list(kind="measure_reading", where={"measure_id": [m.id for m in measures]}):
            readings.setdefault(str(reading["measure_id"]), []).append(reading)
    found: dict[str, list[MeasureView]] = {}
    for measure in sorted(measures, key=lambda m: str(m["name"])):
        history = tuple(sorted(readings.get(measure.id, ()), key=lambda r: (str(r["date"]), r.created_at)))
        found.setdefault(str(measure["objective_id"]), []).append(MeasureView(measure, history))
    return found


def build_brief(workspace: Workspace, *, meeting_id: str, today: dt.date | None = None) -> Brief:
    meeting = workspace.get(kind="meeting", id=meeting_id)
    inputs = gather(workspace, meeting, today=today)
    site = inputs.site
    names = {a.contact.id: a.name for a in inputs.attendees}
    dos, donts = [], []
    for rule, source in checklist.applicable_rules(inputs):
        about = ""
        if source == "site" and site is not None:
            about = str(site["name"])
        elif source == "attendee":
            about = names.get(str(rule["contact_id"]), "")
        entry = BriefRule(checklist.rule_text(rule), rule["severity"] == "must", about)
        (dos if rule["polarity"] == "do" else donts).append(entry)
    site_kind = get_kind("site")
    security = tuple(
        (site_kind.field(name).label, str(site[name]).strip())  # type: ignore[union-attr]
        for name in (
            "security_id",
            "security_escort",
            "security_ppe",
            "security_devices",
            "security_photography",
        )
        if site is not None and site[name]
    )
    last = workspace.last_contact_dates(contact_ids=list(names))
    promises = []
    seen: set[str] = set()
    for attendee in inputs.attendees:
        for follow_up, _interaction in attendee.open_follow_ups:
            if follow_up.id not in seen:
                seen.add(follow_up.id)
                due = f" (due {follow_up['due']})" if follow_up["due"] else ""
                promises.append(f"{follow_up['text']}{due}")
    items = checklist_items(workspace, meeting_id)
    state = checklist.readiness(items)
    shown = checklist.shown(items)
    warnings = tuple(str(i["text"]) for i in shown if i["source"] == "warning")
    # Site, rule and attendee items are in the brief's own sections: the checklist part lists the rest.
    to_do = [i for i in shown if not i["done"] and i["source"] in ("template", "manual", None)]
    musts = [i for i in to_do if i["must"]]
    still_open = [i for i in to_do if not i["must"]]
    colleagues = workspace.get_many(kind="colleague", ids=[str(c) for c in meeting["colleague_ids"] or ()])
    shown_ties: set[str] = set()
    scores = _scores_of_attendees(inputs)
    deals = _deals_part(workspace, inputs)
    with_deals = deals is not None and bool(deals.open)
    listed_items = OPEN_ITEMS_LISTED_WITH_DEALS if with_deals else OPEN_ITEMS_LISTED
    listed_musts = OPEN_MUSTS_LISTED_WITH_DEALS if with_deals else len(musts)
    return Brief(
        meeting_id=meeting_id,
        title=str(meeting["title"]),
        client=str(inputs.client["name"]),
        when=format_when(meeting["starts_at"], meeting["ends_at"], all_day=meeting["all_day"]),
        status=choice_label(str(meeting["status"] or "planned")),
        site=str(site["name"]) if site is not None else None,
        address=_text(site["address"]) if site is not None else None,
        ours=tuple(str(c["name"]) for c in colleagues.values() if c.deleted_at is None),
        people=tuple(
            _person(
                a,
                last.get(a.contact.id),
                _ties(workspace, a.contact.id, shown_ties),
                scores.get(a.contact.id),
            )
            for a in inputs.attendees
        ),
        dos=tuple(dos),
        donts=tuple(donts),
        dress_code=_text(site["dress_code"]) if site is not None else None,
        security=security,
        arrival=_text(site["arrival"]) if site is not None else None,
        objectives=_text(meeting["objectives"]),
        agenda=_text(meeting["agenda"]),
        follow_ups=tuple(promises),
        warnings=warnings,
        percent=state.percent,
        done=state.done,
        total=state.total,
        open_musts=tuple(_item_line(i) for i in musts[:listed_musts]),
        open_items=tuple(_item_line(i) for i in still_open[:listed_items]),
        more_open=max(0, len(still_open) - listed_items),
        acknowledge=_acknowledge(inputs.client),
        plan=_plan_part(workspace, inputs),
        deals=deals,
        satisfaction=_satisfaction_part(
            inputs, listed=AGREED_LISTED_WITH_DEALS if with_deals else AGREED_LISTED
        ),
        more_musts=max(0, len(musts) - listed_musts),
    )


def _ties(workspace: Workspace, contact_id: str, shown: set[str]) -> tuple[str, ...]:
    """The person's relationships, but one between two attendees only under the first of them."""
    found = []
    for tie in ties_of(workspace, contact_id=contact_id):
        if tie.relationship.id not in shown:
            shown.add(tie.relationship.id)
            found.append(describe_tie(tie))
    return tuple(found)


def _item_line(item: Record) -> str:
    section = checklist.section_of(item)
    text = str(item["text"])
    return f"{section}: {text}" if section and section != checklist.ADDED_SECTION else text
