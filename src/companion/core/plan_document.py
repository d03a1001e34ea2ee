"""A client's account plan as one document: what it says, as Markdown, for the screen, the PDF and HTML.

Two versions. The internal one holds everything of the plan. The one for the client (a plan agreed
with their key people) is the internal one passed through `for_the_client`, the one place that decides
what leaves the team: no risks or their actions, no candid SWOT items, no competitors or people's ties
to them, not our strategy. Notes (private, team or induction-safe) and people's stances and other
candid assessments are never part of a plan at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from companion.core.account_plan import (
    HIGH_RISK_SCORE,
    NOTICE_HORIZON_DAYS,
    QUADRANT_TITLES,
    MeasureView,
    ObjectiveView,
    PlanSection,
    amount,
    is_high,
    is_open_risk,
    load_plan_section,
    notice_is_near,
    risk_score,
)
from companion.core.changes import Record
from companion.core.markdown import escape, flat
from companion.model.errors import ValidationError
from companion.model.kinds import PERSPECTIVES, SWOT_QUADRANTS
from companion.model.labels import choice_label

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# A measure's reading history is shown compactly: its latest readings, oldest first.
READINGS_SHOWN = 6
# The plan's own fields the client never reads.
INTERNAL_PLAN_FIELDS = frozenset({"strategy"})

_TIES = {
    "worked_there": "worked at {}",
    "relative_there": "has a relative at {}",
    "champion": "champions {}",
}


@dataclass(frozen=True)
class PlanDocument:
    client_name: str
    title: str  # "Account plan: Halvorsen Offshore — Plan 2027": the PDF's title
    markdown: str
    for_client: bool
    has_plan: bool


# --- what the client may read: the one place ------------------------------------------------


def for_the_client(section: PlanSection) -> PlanSection:
    """The plan as the client's people may read it: risks and their actions, candid SWOT items,
    competitors present and people's ties to them, and our strategy are taken out here, and only here."""
    plan = section.plan
    if plan is not None:
        plan = replace(plan, values={k: v for k, v in plan.values.items() if k not in INTERNAL_PLAN_FIELDS})
    competitor_ids = {str(c.id) for _p, c in section.presences} | {str(c.id) for _t, c in section.ties}
    return replace(
        section,
        plan=plan,
        swot={
            quadrant: tuple(i for i in items if not i["candid"]) for quadrant, items in section.swot.items()
        },
        risks=(),
        risk_actions={},
        presences=(),
        ties=(),
        names={i: n for i, n in section.names.items() if i not in competitor_ids},
    )


# --- the document ---------------------------------------------------------------------------


def build_plan_document(
    workspace: Workspace,
    *,
    client_id: str,
    plan_id: str | None = None,
    for_client: bool = False,
    today: dt.date | None = None,
) -> PlanDocument:
    """The client's plan (the one asked for, else the one shown first: the active one) as Markdown."""
    section = load_plan_section(workspace, client_id=client_id, plan_id=plan_id)
    if plan_id is not None and (section.plan is None or section.plan.id != plan_id):
        known = "; ".join(f"{p['title']} ({p.id})" for p in section.plans) or "none"
        raise ValidationError(
            f"{section.client['name']} has no account plan with the id {plan_id}. Its plans: {known}."
        )
    return plan_document(section, for_client=for_client, today=today or dt.date.today())


def plan_document(section: PlanSection, *, for_client: bool, today: dt.date) -> PlanDocument:
    client = str(section.client["name"])
    if section.plan is None:
        return PlanDocument(
            client,
            f"Account plan: {client}",
            f"# Account plan: {escape(client)}\n\n{escape(client)} has no account plan yet.\n",
            for_client,
            has_plan=False,
        )
    if for_client:
        section = for_the_client(section)
    plan = section.plan
    assert plan is not None
    out = [f"# Account plan: {escape(client)} — {escape(str(plan['title']))}", ""]
    out += _header(section, plan, for_client)
    if plan["strategy"]:
        out += ["## Our strategy", "", str(plan["strategy"]).strip(), ""]
    out += _swot(section, for_client)
    out += _objectives(section, today)
    if not for_client:
        out += _risks(section, today)
    out += _contracts(section, today)
    if not for_client:
        out += _competitors(section)
    return PlanDocument(
        client,
        f"Account plan: {client} — {plan['title']}",
        "\n".join(out).rstrip() + "\n",
        for_client,
        has_plan=True,
    )


def _header(section: PlanSection, plan: Record, for_client: bool) -> list[str]:
    facts = [("Client", str(section.client["name"]))]
    if plan["type"]:
        facts.append(("Type", choice_label(str(plan["type"]))))
    facts.append(("Status", choice_label(str(plan["status"]))))
    period = _period(plan["period_from"], plan["period_to"])
    if period:
        facts.append(("Period", period))
    if plan["next_review"]:
        facts.append(("Next review", str(plan["next_review"])))
    shared = [section.name(i) for i in plan["shared_with_ids"] or ()]
    shared = [n for n in shared if n]
    if shared:
        facts.append(("Shared with", ", ".join(shared)))
    elif plan["shared"]:
        facts.append(("Shared with", "the client"))
    lines = [f"**{label}:** {escape(value)}  " for label, value in facts]
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    if for_client:
        lines += [f"*Prepared for {escape(str(section.client['name']))}.*", ""]
    else:
        lines += [
            "**INTERNAL — not for the client:** it holds our strategy, risks, candid SWOT items and "
            "competitors. Share the version for the client instead.",
            "",
        ]
    return lines


def _period(start: object, end: object) -> str:
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else ""


def _swot(section: PlanSection, for_client: bool) -> list[str]:
    out = ["## SWOT", ""]
    for quadrant in SWOT_QUADRANTS:
        out += [f"### {QUADRANT_TITLES.get(quadrant, choice_label(quadrant))}", ""]
        items = section.swot.get(quadrant, ())
        if not items:
            out += ["None recorded.", ""]
            continue
        for item in items:
            notes = []
            if item["about"]:
                notes.append("about us" if item["about"] == "us" else "about the client")
            if item["candid"] and not for_client:
                notes.append("candid: not for the client")
            tail = f" *({'; '.join(notes)})*" if notes else ""
            out.append(f"- {flat(str(item['text']))}{tail}")
        out.append("")
    return out


def _objectives(section: PlanSection, today: dt.date) -> list[str]:
    out = ["## Objectives", ""]
    if not section.objectives:
        return [*out, "None recorded yet.", ""]
    by_perspective: dict[str, list[ObjectiveView]] = {}
    for view in section.objectives:
        by_perspective.setdefault(str(view.objective["perspective"] or ""), []).append(view)
    order = [p for p in PERSPECTIVES if p in by_perspective]
    order += sorted(p for p in by_perspective if p and p not in PERSPECTIVES)
    if "" in by_perspective:
        order.append("")
    for perspective in order:
        heading = f"{choice_label(perspective)} perspective" if perspective else "Other objectives"
        out += [f"### {heading}", ""]
        for view in by_perspective[perspective]:
            out += _objective(section, view, today)
    return out


def _objective(section: PlanSection, view: ObjectiveView, today: dt.date) -> list[str]:
    objective = view.objective
    out = [f"#### {escape(str(objective['title']))}", ""]
    facts = []
    if objective["owner_id"]:
        facts.append(f"Owner: {escape(section.name(objective['owner_id']))}")
    if objective["stakeholder_id"]:
        facts.append(f"Their stakeholder: {escape(section.name(objective['stakeholder_id']))}")
    if objective["due"]:
        facts.append(f"Due {objective['due']}")
    facts.append(f"Status: **{choice_label(str(objective['status'] or 'not_started')).lower()}**")
    out += [" · ".join(facts), ""]
    if view.measures:
        out += ["*Measures*", ""]
        for measure in view.measures:
            out += _measure(measure)
        out.append("")
    if view.actions:
        out += ["*Actions*", ""]
        out += [_action(section, action, today) for action in view.actions]
        out.append("")
    return out


def _amount(value: object, *, unit: object = None, currency: object = None) -> str:
    return amount(value, unit=unit, currency=currency, grouped=False)


def _measure(view: MeasureView) -> list[str]:
    measure = view.measure

    def amount(value: object) -> str:
        return _amount(value, unit=measure["unit"], currency=measure["currency"])

    parts = [f"now {amount(view.current)}" if view.readings else "no readings yet"]
    if measure["target"] is not None:
        parts.append(f"target {amount(measure['target'])}")
    if measure["baseline"] is not None:
        parts.append(f"baseline {amount(measure['baseline'])}")
    if measure["direction"]:
        parts.append(choice_label(str(measure["direction"])).lower())
    state = ""  # judged by readings only: a baseline alone is not behind yet
    if view.readings and view.met is True:
        state = " — **met**"
    elif view.readings and view.met is False:
        progress = f", {round(view.progress * 100)}% of the way" if view.progress is not None else ""
        state = f" — **behind**{progress}"
    lines = [f"- **{escape(str(measure['name']))}:** {' · '.join(parts)}{state}"]
    if view.readings:
        shown = view.readings[-READINGS_SHOWN:]
        history = ", ".join(f"{r['date']}: {amount(r['value'])}" for r in shown)
        count = f" (the last {len(shown)} of {len(view.readings)})" if len(view.readings) > len(shown) else ""
        lines.append(f"    - Readings{count}: {history}")
    return lines


def _action(section: PlanSection, action: Record, today: dt.date) -> str:
    details = []
    if action["owner_id"]:
        details.append(escape(section.name(action["owner_id"])))
    if action["contact_id"]:
        details.append(f"with {escape(section.name(action['contact_id']))}")
    if action["due"]:
        details.append(f"due {action['due']}")
    if action["done"]:
        state = "done"
    elif action["due"] and str(action["due"]) < today.isoformat():
        state = "**overdue**"
    else:
        state = "open"
    detail = f" — {', '.join(details)}" if details else ""
    return f"- {escape(str(action['text']))}{detail} · {state}"


def _risks(section: PlanSection, today: dt.date) -> list[str]:
    out = ["## Risks", ""]
    if not section.risks:
        return [*out, "None recorded.", ""]
    out += [
        f"Score: likelihood × impact, each 1 to 5; an open risk from {HIGH_RISK_SCORE} is high.",
        "",
        "| Risk | Score | Category | Status | Owner | Next review |",
        "|---|---|---|---|---|---|",
    ]
    for risk in section.risks:
        score = risk_score(risk)
        if score:
            shown = f"{score} ({risk['likelihood']}×{risk['impact']})"
            shown = f"**{shown} high**" if is_high(risk) and is_open_risk(risk) else shown
        else:
            shown = "not rated"
        cells = [
            f"**{escape(str(risk['title']))}**",
            shown,
            choice_label(str(risk["category"])) if risk["category"] else "",
            choice_label(str(risk["status"])),
            escape(section.name(risk["owner_id"])),
            str(risk["next_review"] or ""),
        ]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    detailed = False
    for risk in section.risks:
        details = [
            (label, flat(str(risk[name])))
            for name, label in (
                ("trigger", "Trigger"),
                ("mitigation", "Mitigation"),
                ("contingency", "Contingency"),
            )
            if risk[name] and str(risk[name]).strip()
        ]
        people = [section.name(i) for i in risk["contact_ids"] or ()]
        if any(people):
            details.append(("People involved", escape(", ".join(p for p in people if p))))
        if risk["competitor_id"] and section.name(risk["competitor_id"]):
            details.append(("Competitor", escape(section.name(risk["competitor_id"]))))
        actions = section.risk_actions.get(risk.id, ())
        if not details and not actions:
            continue
        if not detailed:
            out += ["### Triggers, answers and actions", ""]
            detailed = True
        out += [f"#### {escape(str(risk['title']))}", ""]
        out += [f"- **{label}:** {text}" for label, text in details]
        out += [_action(section, action, today).replace("- ", "- Action: ", 1) for action in actions]
        out.append("")
    return out


def _contracts(section: PlanSection, today: dt.date) -> list[str]:
    out = ["## Contracts", ""]
    if not section.contracts:
        return [*out, "None recorded.", ""]
    for contract in section.contracts:
        facts = []
        period = _period(contract["starts"], contract["ends"])
        if period:
            facts.append(period[:1].upper() + period[1:])
        if contract["notice_by"]:
            near = f" (**within {NOTICE_HORIZON_DAYS} days**)" if notice_is_near(contract, today) else ""
            facts.append(f"notice by {contract['notice_by']}{near}")
        if contract["value"] is not None:
            facts.append(f"value {_amount(contract['value'], currency=contract['currency'])}")
        if contract["renewal_status"]:
            facts.append(f"renewal: {choice_label(str(contract['renewal_status'])).lower()}")
        line = f"- **{escape(str(contract['title']))}**"
        out.append(f"{line} — {' · '.join(facts)}" if facts else line)
        if contract["obligations"] and str(contract["obligations"]).strip():
            out.append(f"    - Obligations: {flat(str(contract['obligations']))}")
    out.append("")
    return out


def _competitors(section: PlanSection) -> list[str]:
    out = ["## Competitors", ""]
    if not section.presences:
        out += ["No competitor recorded as present here.", ""]
    for presence, competitor in section.presences:
        out.append(f"- **{escape(str(competitor['name']))}**")
        for label, value in (
            ("Their footprint here", presence["footprint"]),
            ("Their strengths", competitor["strengths"]),
            ("Their weaknesses", competitor["weaknesses"]),
            ("Our answer", competitor["our_answer"]),
        ):
            if value and str(value).strip():
                out.append(f"    - {label}: {flat(str(value))}")
    if section.presences:
        out.append("")
    if section.ties:
        out += ["### People's ties to competitors", ""]
        for tie, competitor in sorted(
            section.ties, key=lambda pair: (section.name(pair[0]["contact_id"]), str(pair[1]["name"]))
        ):
            wording = _TIES.get(str(tie["tie"]), "is tied to {}").format(escape(str(competitor["name"])))
            notes = f": {flat(str(tie['notes']))}" if tie["notes"] and str(tie["notes"]).strip() else ""
            out.append(f"- **{escape(section.name(tie['contact_id']))}** {wording}{notes}")
        out.append("")
    return out
