"""A client's account plan of any size, written through the services in one batch (tests and benchmarks)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from companion.core.changes import Edit
from companion.core.service import Workspace
from companion.model.ids import new_id
from companion.model.kinds import PERSPECTIVES, RISK_CATEGORIES, TIE_TYPES

SWOT = (
    ("strength", "Trusted on safety by the subsea crews"),
    ("weakness", "No reference in offshore wind yet"),
    ("opportunity", "Three vessels still without monitoring"),
    ("threat", "Nordkyst bids low on the renewal"),
)


def write_plan(
    ws: Workspace,
    *,
    client_id: str,
    objectives: int = 4,
    readings: int = 12,
    actions: int = 8,
    risks: int = 6,
    contracts: int = 2,
    ties: int = 1,
    people: Sequence[str] | None = None,
    colleagues: Sequence[str] | None = None,
    today: dt.date | None = None,
    seed: int = 17,
) -> str:
    """An active plan with a SWOT, objectives (one measure each, the readings spread over them), actions
    (half toward objectives, half against risks), risks across the grid, contracts with notice dates,
    and a competitor present with the first `ties` of `people` tied to it.

    `people` (their stakeholders and the people involved) defaults to the client's current people;
    `colleagues` (owners) to one colleague made here. Returns the plan's id."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    edits: list[Edit] = []
    if colleagues is None:
        colleagues = [new_id()]
        edits.append(Edit("create", "colleague", colleagues[0], {"name": "Mira Tan"}))
    if people is None:
        positions = ws.list(kind="position", where={"client_id": client_id})
        people = [str(p["contact_id"]) for p in positions if not p["ended"]]
    person = (lambda: rng.choice(people)) if people else (lambda: None)
    year = today.year + 1
    plan = new_id()
    edits.append(
        Edit("create", "account_plan", plan, {
            "client_id": client_id, "title": f"Account plan {year}", "status": "active", "type": "expand",
            "period_from": f"{year}-01-01", "period_to": f"{year}-12-31",
            "strategy": "Grow from the subsea fleet into **offshore wind**, through the operations director.",
            "next_review": (today + dt.timedelta(days=20)).isoformat(),
            "shared_with_ids": list(people[:1]) or None,
        })
    )  # fmt: skip
    for number, (quadrant, text) in enumerate(SWOT):
        values = {"plan_id": plan, "quadrant": quadrant, "text": text, "about": "us", "candid": number == 1}
        edits.append(Edit("create", "swot_item", values=values))
    objective_ids, measure_ids = [new_id() for _ in range(objectives)], [new_id() for _ in range(objectives)]
    for number, (objective, measure) in enumerate(zip(objective_ids, measure_ids, strict=True)):
        edits.append(
            Edit("create", "objective", objective, {
                "plan_id": plan, "title": f"Objective {number + 1}: grow the monitored fleet",
                "perspective": PERSPECTIVES[number % 4], "owner_id": rng.choice(colleagues),
                "stakeholder_id": person(),
                "status": ("on_track", "at_risk", "off_track", "not_started")[number % 4],
                "due": (today + dt.timedelta(days=30 * (number % 12) - 15)).isoformat(),
            })
        )  # fmt: skip
        unit = ("number", "currency", "percent")[number % 3]
        edits.append(
            Edit("create", "measure", measure, {
                "objective_id": objective, "name": "Vessels monitored", "unit": unit,
                "currency": "EUR" if unit == "currency" else None,
                "direction": "up_is_good", "baseline": 10, "target": 14,
            })
        )  # fmt: skip
    for number in range(readings if measure_ids else 0):
        edits.append(
            Edit("create", "measure_reading", values={
                "measure_id": measure_ids[number % len(measure_ids)],
                "date": (today - dt.timedelta(days=30 * (number // len(measure_ids)))).isoformat(),
                "value": 10 + (number * 7 % 5) * 0.5,
            })
        )  # fmt: skip
    risk_ids = [new_id() for _ in range(risks)]
    for number, risk in enumerate(risk_ids):
        edits.append(
            Edit("create", "risk", risk, {
                "client_id": client_id, "title": f"Risk {number + 1}: the sponsor may move on",
                "category": RISK_CATEGORIES[number % len(RISK_CATEGORIES)],
                "likelihood": number % 5 + 1, "impact": (number * 3) % 5 + 1, "owner_id": rng.choice(colleagues),
                "status": ("open", "watching", "closed")[number % 3],
                "trigger": "A farewell party is announced.", "mitigation": "Meet the successor early.",
                "next_review": (today + dt.timedelta(days=number * 5 - 10)).isoformat(),
                "contact_ids": [p for p in {person(), person()} if p] or None,
            })
        )  # fmt: skip
    for number in range(actions):
        toward = {"objective_id": objective_ids[number % len(objective_ids)]} if objective_ids else {}
        if (number % 2 or not objective_ids) and risk_ids:
            toward = {"risk_id": risk_ids[number % len(risk_ids)]}
        if not toward:
            break
        edits.append(
            Edit("create", "action", values={
                **toward, "text": f"Action {number + 1}: book the site tour", "owner_id": rng.choice(colleagues),
                "contact_id": person(), "due": (today + dt.timedelta(days=number * 3 - 7)).isoformat(),
                "done": number % 4 == 0,
            })
        )  # fmt: skip
    for number in range(contracts):
        edits.append(
            Edit("create", "contract", values={
                "client_id": client_id, "title": f"Frame agreement {number + 1}", "value": 1_250_000 + number,
                "currency": "EUR", "starts": "2024-01-01", "ends": (today + dt.timedelta(days=100 + 100 * number)).isoformat(),
                "notice_by": (today + dt.timedelta(days=40 + 100 * number)).isoformat(),
                "renewal_status": "to_review", "obligations": "Response within 4 hours.",
            })
        )  # fmt: skip
    competitor = new_id()
    edits.append(Edit("create", "competitor", competitor, {
        "name": "Nordkyst Services", "strengths": "Price", "weaknesses": "Thin on safety.",
        "our_answer": "Uptime we can prove.",
    }))  # fmt: skip
    edits.append(
        Edit("create", "competitor_presence", values={
            "competitor_id": competitor, "client_id": client_id, "footprint": "Crane inspections on two vessels",
        })
    )  # fmt: skip
    for number, tied in enumerate(people[:ties]):
        values = {"competitor_id": competitor, "contact_id": tied, "tie": TIE_TYPES[number % len(TIE_TYPES)]}
        edits.append(Edit("create", "competitor_tie", values=values))
    ws.apply(edits=edits, label="Write a plan", react=False)
    return plan
