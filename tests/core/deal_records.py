"""A client's deals of any number, written through the services in one batch (tests and benchmarks)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from companion.core.changes import Edit
from companion.core.service import Workspace
from companion.model.ids import new_id
from companion.model.kinds import BUYING_ROLES, MEDDPICC, OPPORTUNITY_STAGES, QUALIFICATION_LEVELS, STANCES

TITLES = ("Subsea pilot", "Fleet monitoring", "Offshore wind retrofit", "Service frame", "Crew safety kit")


def write_deals(
    ws: Workspace,
    *,
    client_id: str,
    deals: int = 7,
    people: Sequence[str] | None = None,
    colleagues: Sequence[str] | None = None,
    today: dt.date | None = None,
    seed: int = 18,
) -> list[str]:
    """`deals` deals at the client, one of each stage in turn (won and lost ones with their reason), with
    values in NOK and EUR, expected closes and next steps around `today`, MEDDPICC statuses spread over
    the levels, an economic buyer and a champion drawn from `people` (left empty on every third deal) and
    each of them also named as a person in the deal.

    `people` defaults to the client's current people; `colleagues` (owners) to one colleague made here.
    Returns the deals' ids, in the order written."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    edits: list[Edit] = []
    if colleagues is None:
        colleagues = [new_id()]
        edits.append(Edit("create", "colleague", colleagues[0], {"name": "Mira Tan"}))
    if people is None:
        positions = ws.list(kind="position", where={"client_id": client_id})
        people = [str(p["contact_id"]) for p in positions if not p["ended"]]
    ids = [new_id() for _ in range(deals)]
    for number, deal in enumerate(ids):
        stage = OPPORTUNITY_STAGES[number % len(OPPORTUNITY_STAGES)]
        buyer = rng.choice(people) if people and number % 3 != 2 else None
        champion = rng.choice(people) if people and number % 3 != 1 else None
        values = {
            "client_id": client_id,
            "title": f"{TITLES[number % len(TITLES)]} {number + 1}",
            "stage": stage,
            "value": 50_000 * (number % 9 + 1),
            "currency": ("NOK", "EUR")[number % 2],
            "expected_close": (today + dt.timedelta(days=15 * (number % 8) - 30)).isoformat(),
            "owner_id": rng.choice(colleagues),
            "next_step": f"Send the revised offer {number + 1}",
            "next_step_due": (today + dt.timedelta(days=number % 10 - 3)).isoformat(),
            "outcome_reason": "Proven on the pilot vessel." if stage in ("won", "lost") else None,
            "economic_buyer_id": buyer,
            "champion_id": champion,
            "compelling_event": "The class renewal survey in spring.",
        }
        for offset, (key, _label) in enumerate(MEDDPICC):
            values[f"{key}_status"] = QUALIFICATION_LEVELS[(number + offset) % 3]
        edits.append(Edit("create", "opportunity", deal, values))
        for person, role in ((buyer, "economic_buyer"), (champion, "champion")):
            if person:
                support = rng.choice(STANCES)
                edits.append(
                    Edit("create", "opportunity_contact", values={
                        "opportunity_id": deal, "contact_id": person, "role": role, "support": support,
                    })
                )  # fmt: skip
    ws.apply(edits=edits, label="Deals", react=False)
    return ids


def buying_roles() -> tuple[str, ...]:
    """The buying roles a builder may hand out."""
    return BUYING_ROLES
