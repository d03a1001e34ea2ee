"""A client's account plan of any size, written through the services (for tests and benchmarks)."""

from __future__ import annotations

import datetime as dt

from companion.core.changes import Edit
from companion.core.service import Workspace
from companion.model.ids import new_id

PERSPECTIVES = ("financial", "customer", "internal_process", "learning_and_growth")


def write_plan(
    ws: Workspace,
    *,
    client_id: str,
    objectives: int = 4,
    readings: int = 12,
    actions: int = 8,
    risks: int = 6,
    contracts: int = 2,
    today: dt.date | None = None,
) -> str:
    """An active plan with SWOT, objectives (one measure each, readings spread over them), actions
    (half on objectives, half on risks), risks across the grid, contracts and a competitor with a tie
    to the client's first person. Returns the plan's id."""
    today = today or dt.date.today()
    colleague = ws.create(kind="colleague", values={"name": "Mira Tan"}).created_id
    positions = ws.list(kind="position", where={"client_id": client_id})
    person = str(positions[0]["contact_id"]) if positions else None
    plan = new_id()
    edits = [
        Edit("create", "account_plan", plan, {
            "client_id": client_id, "title": f"Account plan {today.year + 1}", "status": "active",
            "type": "expand", "period_from": f"{today.year + 1}-01-01", "period_to": f"{today.year + 1}-12-31",
            "strategy": "Grow from the subsea fleet into **offshore wind**, through the operations director.",
            "next_review": (today + dt.timedelta(days=20)).isoformat(),
        }),
    ]  # fmt: skip
    for number, (quadrant, text) in enumerate(
        (
            ("strength", "Trusted on safety by the subsea crews"),
            ("weakness", "No reference in offshore wind yet"),
            ("opportunity", "Three vessels still without monitoring"),
            ("threat", "Nordkyst bids low on the renewal"),
        )
    ):
        edits.append(
            Edit("create", "swot_item", values={"plan_id": plan, "quadrant": quadrant, "text": text,
                                                "about": "us", "candid": number == 1})
        )  # fmt: skip
    objective_ids, measure_ids = [], []
    for number in range(objectives):
        objective, measure = new_id(), new_id()
        objective_ids.append(objective)
        measure_ids.append(measure)
        edits.append(
            Edit("create", "objective", objective, {
                "plan_id": plan, "title": f"Objective {number + 1}: grow the monitored fleet",
                "perspective": PERSPECTIVES[number % 4], "owner_id": colleague, "stakeholder_id": person,
                "status": ("on_track", "at_risk", "off_track", "not_started")[number % 4],
                "due": (today + dt.timedelta(days=30 * (number % 12) - 15)).isoformat(),
            })
        )  # fmt: skip
        edits.append(
            Edit("create", "measure", measure, {
                "objective_id": objective, "name": "Vessels monitored", "unit": "number",
                "direction": "up_is_good", "baseline": 10, "target": 14,
            })
        )  # fmt: skip
    for number in range(readings):
        edits.append(
            Edit("create", "measure_reading", values={
                "measure_id": measure_ids[number % len(measure_ids)],
                "date": (today - dt.timedelta(days=30 * (number // len(measure_ids)))).isoformat(),
                "value": 10 + (number * 7 % 5) * 0.5,
            })
        )  # fmt: skip
    risk_ids = []
    for number in range(risks):
        risk = new_id()
        risk_ids.append(risk)
        edits.append(
            Edit("create", "risk", risk, {
                "client_id": client_id, "title": f"Risk {number + 1}: the sponsor may move on",
                "category": ("relationship", "commercial", "competitive")[number % 3],
                "likelihood": number % 5 + 1, "impact": (number * 3) % 5 + 1, "owner_id": colleague,
                "status": ("open", "watching", "closed")[number % 3],
                "next_review": (today + dt.timedelta(days=number * 5 - 10)).isoformat(),
                "contact_ids": [person] if person else None,
            })
        )  # fmt: skip
    for number in range(actions):
        owner = {"objective_id": objective_ids[number % len(objective_ids)]}
        if number % 2 and risk_ids:
            owner = {"risk_id": risk_ids[number % len(risk_ids)]}
        edits.append(
            Edit("create", "action", values={
                **owner, "text": f"Action {number + 1}: book the site tour", "owner_id": colleague,
                "contact_id": person, "due": (today + dt.timedelta(days=number * 3 - 7)).isoformat(),
                "done": number % 4 == 0,
            })
        )  # fmt: skip
    for number in range(contracts):
        edits.append(
            Edit("create", "contract", values={
                "client_id": client_id, "title": f"Frame agreement {number + 1}", "value": 1_250_000 + number,
                "currency": "EUR", "starts": "2024-01-01", "ends": (today + dt.timedelta(days=200)).isoformat(),
                "notice_by": (today + dt.timedelta(days=40 + 100 * number)).isoformat(),
                "renewal_status": "to_review",
            })
        )  # fmt: skip
    competitor = new_id()
    edits.append(
        Edit("create", "competitor", competitor, {"name": "Nordkyst Services", "strengths": "Price"})
    )
    edits.append(
        Edit("create", "competitor_presence", values={
            "competitor_id": competitor, "client_id": client_id, "footprint": "Crane inspections on two vessels",
        })
    )  # fmt: skip
    if person:
        edits.append(
            Edit("create", "competitor_tie", values={"competitor_id": competitor, "contact_id": person,
                                                     "tie": "worked_there"})
        )  # fmt: skip
    ws.apply(edits=edits, label="Write a plan")
    return plan
