"""A client's account plan gathered in one read: the plan, SWOT, objectives with measures, actions, risks, contracts, competitors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from companion.core.changes import Record
from companion.model.kinds import SWOT_QUADRANTS
from companion.model.values import format_number

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# Likelihood × impact from which a risk is high: a must-item in meetings, red on the grid.
HIGH_RISK_SCORE = 12
# A contract whose notice-by date is this near wants a decision.
NOTICE_HORIZON_DAYS = 90
# Which plan a client page shows first: the active one, else the latest draft, else the latest closed.
_STATUS_ORDER = {"active": 0, "draft": 1, "closed": 2}
OPEN_RISK_STATUSES = ("open", "watching")
# A SWOT quadrant's heading, on screen and on paper.
QUADRANT_TITLES = {
    "strength": "Strengths",
    "weakness": "Weaknesses",
    "opportunity": "Opportunities",
    "threat": "Threats",
}
DONE_OBJECTIVE_STATUSES = ("achieved", "dropped")


def amount(value: object, *, unit: object = None, currency: object = None, grouped: bool = True) -> str:
    """A measure's or contract's number as people read it: "12.5%", "1,250,000 NOK" (thousands apart
    unless `grouped` is off), every digit kept (model.values.format_number)."""
    text = format_number(value)
    if grouped:
        whole, dot, fraction = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        text = f"{sign}{int(whole.lstrip('-')):,}{dot}{fraction}"
    if unit == "percent":
        return f"{text}%"
    return f"{text} {currency}" if currency else text


def risk_score(risk: Record) -> int:
    """Likelihood × impact, 0 while either is unknown."""
    return int(risk["likelihood"] or 0) * int(risk["impact"] or 0)


def is_high(risk: Record) -> bool:
    return risk_score(risk) >= HIGH_RISK_SCORE


def is_open_risk(risk: Record) -> bool:
    return risk["status"] in OPEN_RISK_STATUSES


def notice_is_near(contract: Mapping[str, object], today: dt.date) -> bool:
    """The notice-by date is today or within the horizon, and the renewal is not settled either way."""
    notice = contract["notice_by"]
    if not notice or contract["renewal_status"] in ("renewed", "ending"):
        return False
    days = (dt.date.fromisoformat(str(notice)) - today).days
    return 0 <= days <= NOTICE_HORIZON_DAYS


def ordered_plans(plans: list[Record]) -> tuple[Record, ...]:
    """Active first, then drafts, then closed; within each the latest period first."""
    latest_first = sorted(plans, key=lambda p: (str(p["period_from"] or ""), p.created_at), reverse=True)
    return tuple(sorted(latest_first, key=lambda p: _STATUS_ORDER.get(str(p["status"]), 3)))


@dataclass(frozen=True)
class MeasureView:
    measure: Record
    readings: tuple[Record, ...]  # oldest first

    @property
    def current(self) -> float | None:
        """The latest reading, else the baseline."""
        if self.readings:
            return float(self.readings[-1]["value"])
        baseline = self.measure["baseline"]
        return float(baseline) if baseline is not None else None

    @property
    def down_is_good(self) -> bool:
        return self.measure["direction"] == "down_is_good"

    @property
    def met(self) -> bool | None:
        """Whether the current value reaches the target (None without both)."""
        target, current = self.measure["target"], self.current
        if target is None or current is None:
            return None
        return current <= float(target) if self.down_is_good else current >= float(target)

    @property
    def progress(self) -> float | None:
        """How far from baseline to target the current value is, 0 to 1 (None without all three)."""
        baseline, target, current = self.measure["baseline"], self.measure["target"], self.current
        if baseline is None or target is None or current is None or float(target) == float(baseline):
            return None
        share = (current - float(baseline)) / (float(target) - float(baseline))
        return max(0.0, min(1.0, share))


@dataclass(frozen=True)
class ObjectiveView:
    objective: Record
    measures: tuple[MeasureView, ...]
    actions: tuple[Record, ...]  # open first, by due date

    @property
    def is_open(self) -> bool:
        return self.objective["status"] not in DONE_OBJECTIVE_STATUSES


@dataclass(frozen=True)
class PlanSection:
    """What the Plan section of a client page shows, and what the plan document is written from."""

    client: Record
    plans: tuple[Record, ...]  # every plan of the client, in `ordered_plans`
    plan: Record | None  # the one shown
    swot: dict[str, tuple[Record, ...]]  # quadrant → items of the plan shown
    objectives: tuple[ObjectiveView, ...]
    risks: tuple[Record, ...]  # open first, highest score first
    risk_actions: dict[str, tuple[Record, ...]]  # risk id → its actions
    contracts: tuple[Record, ...]  # by notice-by date
    presences: tuple[tuple[Record, Record], ...]  # (presence, competitor)
    ties: tuple[tuple[Record, Record], ...]  # (tie, competitor) of people at this client now
    names: dict[str, str] = field(default_factory=dict)  # colleagues, contacts and competitors by id
    competitor_choices: tuple[tuple[str, str], ...] = ()  # every competitor of the workspace: (id, name)

    def name(self, record_id: object) -> str:
        return self.names.get(str(record_id or ""), "")

    @property
    def actions(self) -> tuple[Record, ...]:
        """Every action of the plan's objectives and the client's risks, open ones first by due date."""
        found = [a for o in self.objectives for a in o.actions]
        found += [a for actions in self.risk_actions.values() for a in actions]
        return tuple(sorted(found, key=action_order))


def action_order(action: Record) -> tuple:
    return (bool(action["done"]), str(action["due"] or "9999"), str(action["text"]))


# How a part of a plan leads to its plan (an action against a risk belongs to the client, not a plan).
_PLAN_PATHS = {
    "swot_item": ("plan_id",),
    "objective": ("plan_id",),
    "measure": ("objective_id", "plan_id"),
    "measure_reading": ("measure_id", "objective_id", "plan_id"),
    "action": ("objective_id", "plan_id"),
}


def plan_of(workspace: Workspace, *, kind: str, record_id: str) -> str | None:
    """The id of the plan a record is part of (a SWOT item, an objective, its measures, readings and
    actions), or None for records of the client's (risks, contracts) and those whose plan is gone."""
    from companion.model.kinds import get_kind

    path = _PLAN_PATHS.get(kind)
    if path is None:
        return None
    here_kind, here_id = kind, record_id
    for step in path:
        record = workspace.get_many(kind=here_kind, ids=[here_id]).get(here_id)
        target = record[step] if record is not None else None
        if not target:
            return None
        here_kind, here_id = str(get_kind(here_kind).field(step).ref_kind), str(target)
    return here_id


def load_plan_section(workspace: Workspace, *, client_id: str, plan_id: str | None = None) -> PlanSection:
    """The client's plans, and everything of the one asked for (or the one shown first), in a few reads."""
    client = workspace.get(kind="client", id=client_id)
    plans = ordered_plans(workspace.list(kind="account_plan", where={"client_id": client_id}))
    plan = next((p for p in plans if p.id == plan_id), plans[0] if plans else None)
    swot: dict[str, list[Record]] = {quadrant: [] for quadrant in SWOT_QUADRANTS}
    objectives: list[Record] = []
    if plan is not None:
        for item in workspace.list(kind="swot_item", where={"plan_id": plan.id}):
            swot.setdefault(str(item["quadrant"]), []).append(item)
        objectives = sorted(
            workspace.list(kind="objective", where={"plan_id": plan.id}),
            key=lambda o: (o["status"] in DONE_OBJECTIVE_STATUSES, str(o["due"] or "9999"), str(o["title"])),
        )
    objective_ids = [o.id for o in objectives]
    measures = workspace.list(kind="measure", where={"objective_id": objective_ids}) if objective_ids else []
    readings: dict[str, list[Record]] = {}
    if measures:
        for reading in workspace.list(kind="measure_reading", where={"measure_id": [m.id for m in measures]}):
            readings.setdefault(str(reading["measure_id"]), []).append(reading)
    measures_of: dict[str, list[MeasureView]] = {}
    for measure in measures:
        history = tuple(sorted(readings.get(measure.id, ()), key=lambda r: (str(r["date"]), r.created_at)))
        measures_of.setdefault(str(measure["objective_id"]), []).append(MeasureView(measure, history))

    risks = sorted(
        workspace.list(kind="risk", where={"client_id": client_id}),
        key=lambda r: (not is_open_risk(r), -risk_score(r), str(r["title"])),
    )
    actions_of: dict[str, list[Record]] = {}
    for key, ids in (("objective_id", objective_ids), ("risk_id", [r.id for r in risks])):
        if ids:
            for action in workspace.list(kind="action", where={key: ids}):
                actions_of.setdefault(str(action[key]), []).append(action)

    contracts = sorted(
        workspace.list(kind="contract", where={"client_id": client_id}),
        key=lambda c: (str(c["notice_by"] or c["ends"] or "9999"), str(c["title"])),
    )
    presences = workspace.list(kind="competitor_presence", where={"client_id": client_id})
    people_here = sorted(
        {
            str(p["contact_id"])
            for p in workspace.list(kind="position", where={"client_id": client_id})
            if not p["ended"]
        }
    )
    ties = workspace.list(kind="competitor_tie", where={"contact_id": people_here}) if people_here else []
    competitors = workspace.get_many(
        kind="competitor", ids=sorted({str(r["competitor_id"]) for r in (*presences, *ties)})
    )

    colleague_ids = {str(client["owner_id"])} if client["owner_id"] else set()
    contact_ids = set(people_here)
    for record in (*objectives, *risks, *(a for group in actions_of.values() for a in group)):
        if record["owner_id"]:
            colleague_ids.add(str(record["owner_id"]))
    for objective in objectives:
        if objective["stakeholder_id"]:
            contact_ids.add(str(objective["stakeholder_id"]))
    for action in (a for group in actions_of.values() for a in group):
        if action["contact_id"]:
            contact_ids.add(str(action["contact_id"]))
    for risk in risks:
        contact_ids.update(str(i) for i in risk["contact_ids"] or ())
    if plan is not None:
        contact_ids.update(str(i) for i in plan["shared_with_ids"] or ())
    names = {
        i: str(r["name"]) for i, r in workspace.get_many(kind="colleague", ids=sorted(colleague_ids)).items()
    }
    names.update(
        {i: str(r["name"]) for i, r in workspace.get_many(kind="contact", ids=sorted(contact_ids)).items()}
    )
    names.update({i: str(r["name"]) for i, r in competitors.items()})

    return PlanSection(
        client=client,
        plans=plans,
        plan=plan,
        swot={quadrant: tuple(items) for quadrant, items in swot.items()},
        objectives=tuple(
            ObjectiveView(
                o,
                tuple(sorted(measures_of.get(o.id, ()), key=lambda m: str(m.measure["name"]))),
                tuple(sorted(actions_of.get(o.id, ()), key=action_order)),
            )
            for o in objectives
        ),
        risks=tuple(risks),
        risk_actions={
            r.id: tuple(sorted(actions_of[r.id], key=action_order)) for r in risks if r.id in actions_of
        },
        contracts=tuple(contracts),
        presences=tuple(
            (p, competitors[str(p["competitor_id"])])
            for p in presences
            if str(p["competitor_id"]) in competitors
        ),
        ties=tuple(
            (t, competitors[str(t["competitor_id"])]) for t in ties if str(t["competitor_id"]) in competitors
        ),
        names=names,
        competitor_choices=tuple(
            sorted(
                ((str(i), str(n)) for i, n in workspace.columns(kind="competitor", fields=("id", "name"))),
                key=lambda c: c[1].lower(),
            )
        ),
    )
