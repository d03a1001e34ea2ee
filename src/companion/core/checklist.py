"""The composed pre-meeting checklist: what to propose from what we know, and how to fold it into a list
a person has already ticked, pared down and added to.

Everything here is pure: `core/meetings.py` gathers the inputs from the workspace and writes the edits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field

from companion.core.account_plan import DONE_OBJECTIVE_STATUSES, is_high, notice_is_near, risk_score
from companion.core.changes import Edit, Record
from companion.core.opportunities import Gap, deal_words
from companion.core.satisfaction import RECENT_DAYS, Score, latest_by_person
from companion.core.staleness import SITE_STALE_DAYS
from companion.model.kinds import get_kind
from companion.model.labels import choice_label
from companion.model.values import local_time, moved

# A person's details nobody has touched for this long may well be out of date.
STALE_CONTACT_DAYS = 365
# How many of an attendee's latest interactions the checklist recalls.
RECENT_INTERACTIONS = 3

SITE_FIELDS = (
    "dress_code",
    "security_id",
    "security_escort",
    "security_ppe",
    "security_devices",
    "security_photography",
    "arrival",
)
# What the gate enforces is compulsory; what to wear and where to park is advice.
SITE_MUSTS = frozenset({"security_id", "security_escort", "security_ppe", "security_devices"})

WARNINGS_SECTION = "Warnings"
GUIDELINES_SECTION = "Do's and don'ts"
PLAN_SECTION = "Plan"
DEALS_SECTION = "Deals"
SATISFACTION_SECTION = "Satisfaction"
ADDED_SECTION = "Added by you"

# The fields a composed item carries; `done` and `removed` belong to the person and are never
# overwritten by recomposing.
COMPOSED_FIELDS = ("text", "section", "detail", "must", "source", "position")

_TEXT_LIMIT = get_kind("meeting_checklist_item").field("text").length_limit or 2000
_SECTION_LIMIT = get_kind("meeting_checklist_item").field("section").length_limit or 300


@dataclass(frozen=True)
class Proposed:
    """One item the knowledge calls for, keyed by what it was made from."""

    origin: str
    source: str
    section: str
    text: str
    detail: str | None = None
    must: bool = False


@dataclass(frozen=True)
class Attendee:
    """One of their attendees with what the checklist reads about them."""

    contact: Record
    # Their position at the meeting's client: the current one, else the latest that ended.
    position: Record | None
    recent: tuple[Record, ...] = ()  # interactions, newest first
    open_follow_ups: tuple[tuple[Record, Record], ...] = ()  # (follow-up, its interaction)

    @property
    def name(self) -> str:
        return str(self.contact["name"])

    @property
    def left(self) -> bool:
        return self.position is not None and self.position["ended"] is not None


@dataclass(frozen=True)
class PlanInputs:
    """What the Plan section is composed from: the client's active plan and what hangs from it."""

    plan: Record | None = None  # the client's active plan
    objectives: tuple[Record, ...] = ()  # the active plan's, whatever their status
    risks: tuple[Record, ...] = ()  # the client's open and watched ones
    actions: tuple[Record, ...] = ()  # the open ones of those objectives and risks
    contracts: tuple[Record, ...] = ()  # the client's
    ties: tuple[tuple[Record, Record], ...] = ()  # (tie, its competitor) of their attendees
    competitors: dict[str, str] = field(default_factory=dict)  # the risks' and ties' competitors' names


@dataclass(frozen=True)
class DealInputs:
    """What the Deals section is composed from: the client's open deals and their qualification gaps."""

    deals: tuple[Record, ...] = ()  # the client's open deals
    gaps: dict[str, tuple[Gap, ...]] = field(default_factory=dict)  # by deal id
    # (deal id, contact id) → (role, support) of the people in these deals (opportunity_contact).
    roles: dict[tuple[str, str], tuple[str | None, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class SatisfactionInputs:
    """What the Satisfaction section is composed from: the client's scores and reviews."""

    scores: tuple[Score, ...] = ()  # the client's NPS and CSAT answers, oldest first
    comments: dict[str, str] = field(default_factory=dict)  # response id → verbatim, of attendees' detractors
    reviews: tuple[Record, ...] = ()  # the client's, the latest first
    agreed: tuple[Record, ...] = ()  # the open actions agreed in the latest review
    # When the client's next review is due by its cadence (core/reviews.py); None when nothing says.
    review_due: dt.date | None = None


@dataclass(frozen=True)
class MeetingInputs:
    """Everything a meeting's checklist is composed from."""

    meeting: Record
    client: Record
    site: Record | None
    attendees: tuple[Attendee, ...]
    guidelines: tuple[Record, ...]  # all of the client's; compose picks those that apply
    templates: tuple[tuple[Record, tuple[Record, ...]], ...]  # (template, its items by position)
    sub_group_parents: dict[str, str | None] = field(default_factory=dict)  # the client's sub-groups
    today: dt.date = field(default_factory=dt.date.today)
    plan: PlanInputs = field(default_factory=PlanInputs)
    ours: dict[str, str] = field(default_factory=dict)  # our attendees: colleague id → name
    deals: DealInputs = field(default_factory=DealInputs)
    satisfaction: SatisfactionInputs = field(default_factory=SatisfactionInputs)

    @property
    def meeting_date(self) -> dt.date:
        """The day the meeting starts, in the laptop's time zone (an all-day meeting's: its UTC date)."""
        zone = dt.UTC if self.meeting["all_day"] else None
        return local_time(self.meeting["starts_at"], zone).date()


def _fit(text: str, limit: int) -> str:
    text = " ".join(text.split()) if "\n" in text[:limit] else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first_line(text: object) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0] if lines else ""


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(str(value)[:10])


def compose(inputs: MeetingInputs) -> list[Proposed]:
    """The items the meeting calls for, in reading order: warnings, templates, site, do's and don'ts,
    the plan, the deals, satisfaction, then each attendee."""
    items: list[Proposed] = []
    items += _warnings(inputs)
    for template, template_items in inputs.templates:
        section = _fit(str(template["name"]), _SECTION_LIMIT)
        for item in template_items:
            items.append(
                Proposed(
                    f"template:{item.id}", "template", section, str(item["text"]), None, bool(item["must"])
                )
            )
    items += _site_items(inputs.site)
    general, personal = _guideline_items(inputs)
    items += general
    items += plan_items(inputs)
    items += deal_items(inputs)
    items += satisfaction_items(inputs)
    for attendee in inputs.attendees:
        items += _attendee_items(attendee, inputs)
        items += personal.get(attendee.contact.id, [])
    return _without_repeats(items)


def _without_repeats(items: Iterable[Proposed]) -> list[Proposed]:
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.origin not in seen:  # a follow-up shared by two attendees is listed once
            seen.add(item.origin)
            kept.append(item)
    return kept


def _warnings(inputs: MeetingInputs) -> list[Proposed]:
    today = inputs.today
    found: list[Proposed] = []
    site = inputs.site
    if site is not None:
        verified = _date(site["last_verified"])
        if verified is None:
            text = f"Security notes for {site['name']} have never been verified: confirm them with the site"
        elif (today - verified).days > SITE_STALE_DAYS:
            text = (
                f"Security notes for {site['name']} were last verified {verified.isoformat()}: "
                "confirm them with the site"
            )
        else:
            text = ""
        if text:
            found.append(
                Proposed(f"warning:site_stale:{site.id}", "warning", WARNINGS_SECTION, text, None, True)
            )
    client_name = str(inputs.client["name"])
    for attendee in inputs.attendees:
        contact, position = attendee.contact, attendee.position
        if position is None:
            found.append(
                Proposed(
                    f"warning:no_role:{contact.id}",
                    "warning",
                    WARNINGS_SECTION,
                    f"{attendee.name} has no role recorded at {client_name}: check who they are there",
                )
            )
        elif attendee.left:
            title = f" as {position['title']}" if position["title"] else ""
            found.append(
                Proposed(
                    f"warning:left:{contact.id}",
                    "warning",
                    WARNINGS_SECTION,
                    f"{attendee.name} left {client_name}{title} on {position['ended']}: "
                    "check they are still coming, and in what role",
                    None,
                    True,
                )
            )
        touched = _date(contact.updated_at)
        if touched is not None and (today - touched).days > STALE_CONTACT_DAYS:
            found.append(
                Proposed(
                    f"warning:contact_stale:{contact.id}",
                    "warning",
                    WARNINGS_SECTION,
                    f"{attendee.name}'s details were last updated {touched.isoformat()}: check they still hold",
                )
            )
        reassess = _date(position["role_model_reassess_by"]) if position is not None else None
        if position is not None and position["role_model"] and reassess is not None and reassess <= today:
            found.append(
                Proposed(
                    f"warning:role_model_due:{position.id}",
                    "warning",
                    WARNINGS_SECTION,
                    f"{attendee.name} as culture role model was due for reassessment on {reassess.isoformat()}",
                )
            )
    return found


def _site_items(site: Record | None) -> list[Proposed]:
    if site is None:
        return []
    kind = get_kind("site")
    section = _fit(f"Site: {site['name']}", _SECTION_LIMIT)
    found = []
    for name in SITE_FIELDS:
        value = str(site[name] or "").strip()
        if value:
            label = kind.field(name).label  # type: ignore[union-attr]
            found.append(
                Proposed(f"site:{site.id}:{name}", "site", section, label, value, name in SITE_MUSTS)
            )
    return found


def _sub_groups_with_parents(start: Iterable[str], parents: dict[str, str | None]) -> set[str]:
    found: set[str] = set()
    for group in start:
        while group and group not in found:  # a rule for a division holds in its departments
            found.add(group)
            group = parents.get(group) or ""
    return found


# A don't that already says so reads better without the label: "Never take photos", not "Don't: Never…".
_NEGATIVE_OPENINGS = ("don't", "don’t", "do not", "never", "avoid", "no ")


def applicable_rules(inputs: MeetingInputs) -> list[tuple[Record, str]]:
    """The do's and don'ts that apply, each with where it comes from (client, site or attendee): the
    client's, its sub-groups' (and their parents') for the attendees in them, the meeting site's, and
    each attendee's own. Musts first."""
    attendee_ids = {a.contact.id for a in inputs.attendees}
    groups = _sub_groups_with_parents(
        (
            str(a.position["sub_group_id"])
            for a in inputs.attendees
            if a.position and a.position["sub_group_id"]
        ),
        inputs.sub_group_parents,
    )
    site_id = inputs.site.id if inputs.site is not None else None
    found = []
    for rule in inputs.guidelines:
        scope = rule["scope"]
        if scope == "client":
            applies, source = True, "client"
        elif scope == "sub_group":
            applies, source = rule["sub_group_id"] in groups, "client"
        elif scope == "site":
            applies, source = site_id is not None and rule["site_id"] == site_id, "site"
        else:
            applies, source = rule["contact_id"] in attendee_ids, "attendee"
        if applies:
            found.append((rule, source))
    found.sort(key=lambda pair: pair[0]["severity"] != "must")
    return found


def rule_text(rule: Record) -> str:
    """A do or don't as one line: "Do: …", "Don't: …", or as written when it says so already."""
    text = str(rule["text"]).strip()
    if rule["polarity"] == "do":
        return f"Do: {text}"
    return text if text.casefold().startswith(_NEGATIVE_OPENINGS) else f"Don't: {text}"


def _guideline_items(inputs: MeetingInputs) -> tuple[list[Proposed], dict[str, list[Proposed]]]:
    names = {a.contact.id: a.name for a in inputs.attendees}
    general: list[Proposed] = []
    personal: dict[str, list[Proposed]] = {}
    for rule, source in applicable_rules(inputs):
        text = _fit(rule_text(rule), _TEXT_LIMIT)
        why = str(rule["why"]).strip() if rule["why"] else None
        must = rule["severity"] == "must"
        if source == "attendee":
            contact_id = str(rule["contact_id"])
            section = _fit(names[contact_id], _SECTION_LIMIT)
            personal.setdefault(contact_id, []).append(
                Proposed(f"guideline:{rule.id}", source, section, text, why, must)
            )
        else:
            general.append(Proposed(f"guideline:{rule.id}", source, GUIDELINES_SECTION, text, why, must))
    return general, personal


def preference_lines(contact: Record) -> list[str]:
    """ "Prefers phone", "Best times: …", "Worst times: …": what the person has said suits them."""
    lines = []
    if contact["preferred_channel"]:
        lines.append(f"Prefers {choice_label(str(contact['preferred_channel'])).lower()}")
    if contact["best_times"]:
        lines.append(f"Best times: {contact['best_times']}")
    if contact["worst_times"]:
        lines.append(f"Worst times: {contact['worst_times']}")
    return lines


def role_line(position: Record) -> str:
    """ "CFO · economic buyer · stance: sceptic · influence 5/5": what the position says about them."""
    parts = [str(position["title"])] if position["title"] else []
    if position["buying_role"]:
        parts.append(choice_label(str(position["buying_role"])).lower())
    if position["stance"]:
        parts.append(f"stance: {choice_label(str(position['stance'])).lower()}")
    if position["influence"]:
        parts.append(f"influence {position['influence']}/5")
    return " · ".join(parts)


def _attendee_items(attendee: Attendee, inputs: MeetingInputs) -> list[Proposed]:
    contact, position = attendee.contact, attendee.position
    section = _fit(attendee.name, _SECTION_LIMIT)
    key = f"attendee:{contact.id}"
    found: list[Proposed] = []

    def add(
        part: str, text: str, detail: object = None, must: bool = False, origin: str | None = None
    ) -> None:
        detail_text = str(detail).strip() if detail else None
        found.append(
            Proposed(
                origin or f"{key}:{part}", "attendee", section, _fit(text, _TEXT_LIMIT), detail_text, must
            )
        )

    if position is not None and (role := role_line(position)):
        orientation = contact["decision_orientation"]
        detail = f"Decides: {choice_label(str(orientation)).lower()}" if orientation else None
        add("role", f"Who they are: {role}", detail)
    if position is not None and position["role_model"]:
        by = position["role_model_reassess_by"]
        add("role_model", "Culture role model: watch how they behave", f"Reassess by {by}" if by else None)
    for name, text in (
        ("personality", "Personality"),
        ("motivators", "What they care about"),
        ("sensitivities", "Sensitivities: avoid these"),
        ("personal_facts", "Personal facts for small talk"),
    ):
        if contact[name]:
            add(name, text, contact[name])
    preferences = preference_lines(contact)
    if preferences:
        add("preferences", "Preferences", "\n".join(preferences))
    if contact["difficult"]:
        handling = (
            contact["difficult_handling"] or "Nobody has written down how to handle them yet: ask the owner"
        )
        add("difficult", "Difficult person: read how to handle them", handling, must=True)
    if attendee.recent:
        latest = attendee.recent[0]
        lines = [
            f"{i['date']} ({choice_label(str(i['channel'])).lower()}): {first_line(i['summary']) or 'no summary'}"
            for i in attendee.recent[:RECENT_INTERACTIONS]
        ]
        add("recent", f"Last contact {latest['date']}: re-read what was said", "\n".join(lines))
    else:
        add("recent", "No contact recorded yet: this is a first impression")
    for follow_up, interaction in attendee.open_follow_ups:
        due = _date(follow_up["due"])
        when = ""
        if due is not None:
            when = f" (overdue since {due})" if due < inputs.today else f" (due {due})"
        add(
            "follow_up",
            f"Open follow-up: {follow_up['text']}{when}",
            f"Promised at the {choice_label(str(interaction['channel'])).lower()} of {interaction['date']}",
            origin=f"follow_up:{follow_up.id}",
        )
    return found


# --- the account plan ---------------------------------------------------------------------------

# "Don't knock X: <person> …", by the kind of tie.
_TIE_PHRASES = {
    "worked_there": "{person} worked there",
    "relative_there": "{person} has a relative there",
    "champion": "{person} is a champion of theirs",
}


def tie_line(tie: Record, competitor: Record, person: str) -> str:
    """ "Don't knock Nordkyst Services: Ingrid Dahl worked there"."""
    phrase = _TIE_PHRASES.get(str(tie["tie"]), "{person} has a tie to them")
    return f"Don't knock {competitor['name']}: {phrase.format(person=person)}"


def risk_line(risk: Record) -> str:
    """ "Sponsor may retire (likelihood 4 × impact 4)"."""
    if risk["likelihood"] and risk["impact"]:
        return f"{risk['title']} (likelihood {risk['likelihood']} × impact {risk['impact']})"
    return str(risk["title"])


def _due_words(due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return ""
    return f"overdue since {due}" if due < today else f"due {due}"


def plan_items(inputs: MeetingInputs) -> list[Proposed]:
    """The Plan section: competitor ties of their attendees and the client's high risks (musts), contracts
    whose notice falls due within the horizon of the meeting, then the objectives, actions and lesser
    risks that involve the attendees on either side."""
    plan = inputs.plan
    theirs = {a.contact.id: a.name for a in inputs.attendees}
    found: list[Proposed] = []

    def add(origin: str, text: str, detail: Sequence[str] = (), must: bool = False) -> None:
        lines = [line for line in detail if line]
        found.append(
            Proposed(
                origin,
                "plan",
                PLAN_SECTION,
                _fit(text, _TEXT_LIMIT),
                "\n".join(lines) or None,
                must,
            )
        )

    for tie, competitor in sorted(
        plan.ties, key=lambda pair: (theirs.get(str(pair[0]["contact_id"]), ""), pair[0].id)
    ):
        contact_id = str(tie["contact_id"])
        if contact_id not in theirs:
            continue
        answer = first_line(competitor["our_answer"])
        add(
            f"tie:{tie.id}",
            tie_line(tie, competitor, theirs[contact_id]),
            (first_line(tie["notes"]), f"Our answer to them: {answer}" if answer else ""),
            must=True,
        )

    high = sorted(
        (r for r in plan.risks if is_high(r)), key=lambda r: (-risk_score(r), str(r["title"]), r.id)
    )
    for risk in high:
        add(f"risk:{risk.id}", f"High risk: {risk_line(risk)}", _risk_detail(risk, inputs), must=True)

    meeting_day = inputs.meeting_date
    near = [c for c in plan.contracts if notice_is_near(c, meeting_day)]
    for contract in sorted(near, key=lambda c: (str(c["notice_by"]), str(c["title"]), c.id)):
        renewal = contract["renewal_status"]
        add(
            f"contract:{contract.id}",
            f"Contract notice due {contract['notice_by']}: {contract['title']}",
            (
                f"Renewal: {choice_label(str(renewal)).lower()}" if renewal else "",
                f"Ends {contract['ends']}" if contract["ends"] else "",
                first_line(contract["obligations"]),
            ),
        )

    objectives = {o.id: o for o in plan.objectives}
    open_objectives = [o for o in plan.objectives if o["status"] not in DONE_OBJECTIVE_STATUSES]
    for objective in sorted(open_objectives, key=lambda o: (str(o["due"] or "9999"), str(o["title"]), o.id)):
        involved = _involved(inputs, [objective["stakeholder_id"]], objective["owner_id"])
        if not involved:
            continue
        status = choice_label(str(objective["status"] or "not_started")).lower()
        due = f", due {objective['due']}" if objective["due"] else ""
        add(
            f"objective:{objective.id}",
            f"Objective: {objective['title']} ({status}{due})",
            (f"Involves {', '.join(involved)}",),
        )

    risks = {r.id: r for r in plan.risks}
    for action in sorted(plan.actions, key=lambda a: (str(a["due"] or "9999"), str(a["text"]), a.id)):
        if action["done"]:
            continue
        objective = objectives.get(str(action["objective_id"] or ""))
        risk = risks.get(str(action["risk_id"] or ""))
        if objective is not None and objective["status"] not in DONE_OBJECTIVE_STATUSES:
            toward = f"Toward: {objective['title']}"
        elif risk is not None:
            toward = f"Against the risk: {risk['title']}"
        else:
            continue  # its objective is done or dropped, its risk closed, or its plan not the active one
        involved = _involved(inputs, [action["contact_id"]], action["owner_id"])
        if not involved:
            continue
        when = _due_words(_date(action["due"]), inputs.today)
        add(
            f"action:{action.id}",
            f"Open action: {action['text']}" + (f" ({when})" if when else ""),
            (toward, f"Involves {', '.join(involved)}"),
        )

    lesser = sorted(
        (r for r in plan.risks if not is_high(r)), key=lambda r: (-risk_score(r), str(r["title"]), r.id)
    )
    for risk in lesser:
        if _involved(inputs, risk["contact_ids"] or (), risk["owner_id"]):
            add(f"risk:{risk.id}", f"Risk: {risk_line(risk)}", _risk_detail(risk, inputs))
    return found


def _involved(inputs: MeetingInputs, contact_ids: Iterable[object], owner_id: object) -> list[str]:
    """The names of the attendees among these people of theirs, and of ours if the owner attends."""
    wanted = {str(c) for c in contact_ids if c}
    names = [a.name for a in inputs.attendees if a.contact.id in wanted] if wanted else []
    if owner_id and str(owner_id) in inputs.ours:
        names.append(inputs.ours[str(owner_id)])
    return names


def _risk_detail(risk: Record, inputs: MeetingInputs) -> list[str]:
    involved = _involved(inputs, risk["contact_ids"] or (), risk["owner_id"])
    competitor = inputs.plan.competitors.get(str(risk["competitor_id"] or ""))
    return [
        f"Trigger: {first_line(risk['trigger'])}" if risk["trigger"] else "",
        f"Mitigation: {first_line(risk['mitigation'])}" if risk["mitigation"] else "",
        f"Competitor: {competitor}" if competitor else "",
        f"Involves {', '.join(involved)}" if involved else "",
    ]


# --- the deals ----------------------------------------------------------------------------------

# The people an attendee may be in a deal, by the deal's own fields, in the order they are told.
_DEAL_PEOPLE = (("economic_buyer_id", "economic buyer"), ("champion_id", "champion"))


def _step_words(deal: Record, today: dt.date) -> str:
    """ "next step: Send the revised offer (due 2026-12-05)", or "" without one."""
    if not deal["next_step"]:
        return ""
    when = _due_words(_date(deal["next_step_due"]), today)
    return f"next step: {deal['next_step']}" + (f" ({when})" if when else "")


def deal_items(inputs: MeetingInputs) -> list[Proposed]:
    """The Deals section: each attendee who is an open deal's economic buyer or champion (what the deal
    is, its next step, how they stand), or otherwise one of the deal's people (their role and support);
    then the deals' next steps due by the meeting day that no attendee's line told already; then each
    open deal's qualification gaps."""
    deals = sorted(inputs.deals.deals, key=lambda d: (str(d["title"]).lower(), d.id))
    found: list[Proposed] = []

    def add(origin: str, text: str, detail: Sequence[str] = ()) -> None:
        lines = [line for line in detail if line]
        found.append(
            Proposed(origin, "plan", DEALS_SECTION, _fit(text, _TEXT_LIMIT), "\n".join(lines) or None)
        )

    told: set[str] = set()
    for attendee in inputs.attendees:
        for deal in deals:
            for field_name, role in _DEAL_PEOPLE:
                if deal[field_name] != attendee.contact.id:
                    continue
                told.add(deal.id)
                step = _step_words(deal, inputs.today)
                key = field_name.removesuffix("_id")
                _in_deal, support = inputs.deals.roles.get((deal.id, attendee.contact.id), (None, None))
                stance = attendee.position["stance"] if attendee.position is not None else None
                add(
                    f"deal:{deal.id}:{key}:{attendee.contact.id}",
                    f"{attendee.name} is the {role} of “{deal['title']}” ({deal_words(deal.values)})"
                    + (f": {step}" if step else ""),
                    (
                        f"Support in this deal: {choice_label(str(support)).lower()}" if support else "",
                        f"Stance toward us: {choice_label(str(stance)).lower()}" if stance else "",
                        f"{role.capitalize()}: {first_line(deal[f'{key}_note'])}"
                        if deal[f"{key}_note"]
                        else "",
                        f"Compelling event: {first_line(deal['compelling_event'])}"
                        if deal["compelling_event"]
                        else "",
                    ),
                )
        for deal in deals:
            if (deal.id, attendee.contact.id) not in inputs.deals.roles or attendee.contact.id in (
                deal["economic_buyer_id"],
                deal["champion_id"],
            ):
                continue
            in_deal, support = inputs.deals.roles[(deal.id, attendee.contact.id)]
            role_words = choice_label(str(in_deal)).lower() if in_deal else ""
            part = (
                f"{'an' if role_words[:1] in ('a', 'e', 'i', 'o') else 'a'} {role_words}"
                if in_deal
                else "one of the people"
            )
            add(
                f"deal_person:{deal.id}:{attendee.contact.id}",
                f"{attendee.name} is {part} in “{deal['title']}” ({deal_words(deal.values)})",
                (f"Support in this deal: {choice_label(str(support)).lower()}" if support else "",),
            )
    meeting_day = inputs.meeting_date
    due = [
        d
        for d in deals
        if d.id not in told
        and d["next_step"]
        and d["next_step_due"]
        and _date(d["next_step_due"]) <= meeting_day
    ]
    for deal in sorted(due, key=lambda d: (str(d["next_step_due"]), str(d["title"]).lower(), d.id)):
        add(
            f"deal_step:{deal.id}",
            f"Next step for “{deal['title']}”: {deal['next_step']} "
            f"({_due_words(_date(deal['next_step_due']), inputs.today)})",
            (deal_words(deal.values),),
        )
    for deal in deals:
        for gap in inputs.deals.gaps.get(deal.id, ()):
            add(f"deal_gap:{deal.id}:{gap.key}", gap.text, (deal_words(deal.values),))
    return found


# --- satisfaction ---------------------------------------------------------------------------------


def _short_day(day: dt.date) -> str:
    """ "2 Nov"."""
    return f"{day.day} {day:%b}"


def satisfaction_items(inputs: MeetingInputs) -> list[Proposed]:
    """The Satisfaction section: each attendee who was a detractor within `RECENT_DAYS` of the meeting
    (their latest such answer, unless a later NPS answer of theirs is no longer a detractor's), a must with
    the score, the day and their verbatim comment; the open actions agreed in the client's latest review;
    and, when the client's next review falls due by the meeting day, proposing a date for it."""
    sat = inputs.satisfaction
    meeting_day = inputs.meeting_date
    since = moved(meeting_day, -dt.timedelta(days=RECENT_DAYS)).isoformat()
    found: list[Proposed] = []

    def add(origin: str, text: str, detail: Sequence[str] = (), must: bool = False) -> None:
        lines = [line for line in detail if line]
        found.append(
            Proposed(
                origin, "plan", SATISFACTION_SECTION, _fit(text, _TEXT_LIMIT), "\n".join(lines) or None, must
            )
        )

    latest_nps = latest_by_person(s for s in sat.scores if s.type == "nps" and s.on >= since)
    for attendee in inputs.attendees:
        score = latest_nps.get(attendee.contact.id)
        if score is None or not score.detractor:
            continue
        comment = " ".join(sat.comments.get(score.response_id, "").split())
        said = f"'{comment}'" if comment else "no comment given: ask what lies behind it"
        add(
            f"detractor:{score.response_id}",
            f"{attendee.name} scored {score.score} of 10 on {_short_day(dt.date.fromisoformat(score.on))}: {said}",
            (f"A detractor in the survey of {score.on} (NPS 0–6): hear them out before anything else",),
            must=True,
        )

    latest = sat.reviews[0] if sat.reviews else None
    for action in sat.agreed:
        when = _due_words(_date(action["due"]), inputs.today)
        involved = _involved(inputs, [action["contact_id"]], action["owner_id"])
        add(
            f"review_action:{action.id}",
            f"Agreed in the review: {action['text']}" + (f" ({when})" if when else ""),
            (
                f"{latest['title']}, held {latest['held_on']}" if latest is not None else "",
                f"Involves {', '.join(involved)}" if involved else "",
            ),
        )

    due = sat.review_due
    if due is not None and due <= meeting_day and inputs.client["status"] != "former":
        kind = (
            f"{choice_label(str(latest['kind'])).lower()} " if latest is not None and latest["kind"] else ""
        )
        every = inputs.client["review_every_days"]
        add(
            f"review_due:{inputs.client.id}",
            f"Due for a {kind}review: propose a date",
            (
                (f"Last review {latest['held_on']}" if latest is not None else "Never reviewed")
                + f" · due {due}"
                + (f" (every {every} days)" if every else ""),
            ),
        )
    return found


# --- folding proposals into the stored list ---------------------------------------------------


# Composed items have the same id on every laptop, made from their meeting and what they are made from:
# two laptops composing one checklist at once (each after the same pull) make one item, not two.
ITEM_NAMESPACE = uuid.UUID("4f0b2a8e-6d1c-4c53-9a7e-2e1d5b8c7f10")


def composed_item_id(meeting_id: str, origin: str) -> str:
    return str(uuid.uuid5(ITEM_NAMESPACE, f"{meeting_id}|{origin}"))


def reconcile(
    meeting_id: str,
    existing: Sequence[Record],
    proposed: Sequence[Proposed],
    *,
    deleted_ids: Set[str] = frozenset(),
) -> list[Edit]:
    """The edits that bring a meeting's stored items in line with what is proposed now.

    Ticks and removals are the person's and stay; items they added are never touched; composed
    items whose source has gone (a rule deleted, an attendee no longer coming) go too. Two items made
    from the same source (composed on two laptops before their ids were shared) become one, keeping
    a tick or a removal either had. `deleted_ids` are the meeting's deleted items: a source that comes
    back brings its item back rather than making another.
    """
    by_origin: dict[str, Record] = {}
    edits: list[Edit] = []
    twins: dict[str, list[Record]] = {}
    for item in existing:
        if item["origin"]:
            twins.setdefault(str(item["origin"]), []).append(item)
    for origin, items in twins.items():
        shared_id = composed_item_id(meeting_id, origin)
        # The same choice on every laptop: the item with the shared id, else the oldest.
        items.sort(key=lambda i: (i.id != shared_id, i.created_at, i.id))
        keeper, extras = items[0], items[1:]
        by_origin[origin] = keeper
        folded = {
            flag: True
            for flag in ("done", "removed")
            if any(bool(i[flag]) for i in extras) and not bool(keeper[flag])
        }
        if folded:
            edits.append(Edit("update", "meeting_checklist_item", keeper.id, folded))
        edits += [Edit("delete", "meeting_checklist_item", extra.id) for extra in extras]
    for position, item in enumerate(proposed):
        wanted = {
            "text": item.text,
            "section": item.section,
            "detail": item.detail,
            "must": item.must,
            "source": item.source,
            "position": min(position, 10_000),
        }
        current = by_origin.pop(item.origin, None)
        if current is None:
            item_id = composed_item_id(meeting_id, item.origin)
            values = {"meeting_id": meeting_id, "origin": item.origin, "done": False, **wanted}
            if item_id in deleted_ids:
                edits += [
                    Edit("restore", "meeting_checklist_item", item_id),
                    Edit("update", "meeting_checklist_item", item_id, {**values, "removed": False}),
                ]
            else:
                edits.append(Edit("create", "meeting_checklist_item", item_id, values))
            continue
        changed = {name: value for name, value in wanted.items() if _stored(current[name]) != value}
        if changed:
            edits.append(Edit("update", "meeting_checklist_item", current.id, changed))
    edits += [Edit("delete", "meeting_checklist_item", gone.id) for gone in by_origin.values()]
    return edits


def _stored(value: object) -> object:
    # Booleans read back from SQLite as 0/1 and empty texts as None: compare as written.
    return (
        bool(value) if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1) else value
    )


@dataclass(frozen=True)
class Readiness:
    """How far preparation has got: ticked of all items shown, and the musts still open."""

    done: int
    total: int
    open_musts: tuple[Record, ...]

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else round(100 * self.done / self.total)

    @property
    def can_be_ready(self) -> bool:
        return not self.open_musts


def shown(items: Iterable[Record]) -> list[Record]:
    """The items a person sees: not removed, composed ones in order, then the ones they added."""
    kept = [item for item in items if not item["removed"]]
    return sorted(
        kept, key=lambda item: (not item["origin"], item["position"] or 0, item.created_at, item.id)
    )


def readiness(items: Iterable[Record]) -> Readiness:
    visible = shown(items)
    done = sum(1 for item in visible if item["done"])
    musts = tuple(item for item in visible if item["must"] and not item["done"])
    return Readiness(done, len(visible), musts)


def section_of(item: Record) -> str:
    return str(item["section"] or (ADDED_SECTION if not item["origin"] else ""))
