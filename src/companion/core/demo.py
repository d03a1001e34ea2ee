"""The demo workspace (hand-written, in resources/demo) and large deterministic synthetic workspaces."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from companion.core.changes import ChangeSet
from companion.core.seed import resolve_demo
from companion.model.errors import BundleError
from companion.model.kinds import (
    DIRECTIONS,
    PERSPECTIVES,
    PLAN_TYPES,
    RENEWAL_STATUSES,
    RISK_CATEGORIES,
    RISK_STATUSES,
    SWOT_QUADRANTS,
    SWOT_SUBJECTS,
    TIE_TYPES,
)

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace


def demo_file() -> Path:
    from companion.model.resources import resources_dir

    return resources_dir() / "demo" / "workspace.json"


def load_demo(workspace: Workspace, *, today: dt.date | None = None) -> ChangeSet:
    path = demo_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BundleError(f"The demo workspace {path} cannot be read ({exc}); reinstall Companion.") from None
    from companion.core.meetings import recompose
    from companion.core.templates import built_in_records

    records = {**built_in_records(), **resolve_demo(data["records"], today=today or dt.date.today())}
    loaded = workspace.import_records(records=records, label="Load the demo workspace")
    # The demo's open meetings get their composed checklists, as if planned in the app.
    composed = []
    for meeting in records.get("meeting", []):
        composed += recompose(workspace, meeting_id=meeting["id"], today=today).changes
    return workspace.react(ChangeSet(loaded.changes + tuple(composed), loaded.label), today=today)


# --- synthetic workspaces for benchmarks ---------------------------------------------------

_FIRST = [
    "Ana",
    "Björn",
    "Chloé",
    "Dmitri",
    "Elif",
    "Farid",
    "Greta",
    "Hiro",
    "Inés",
    "Jonas",
    "Kaja",
    "Lars",
    "Maëlle",
    "Nikos",
    "Olu",
    "Priya",
    "Quentin",
    "Rosa",
    "Søren",
    "Tomás",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Aiko",
    "Bruno",
    "Carmen",
    "Dario",
    "Emre",
    "Fatima",
    "Goran",
    "Hana",
    "Ibrahim",
    "Jana",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Paula",
    "Rafael",
    "Sara",
    "Tariq",
    "Ulla",
    "Valeria",
    "Wojciech",
    "Yara",
    "Zeynep",
]
_LAST = [
    "Andersen",
    "Bauer",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Hansen",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Müller",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmermann",
    "Åberg",
    "Černý",
    "Ødegaard",
    "Núñez",
    "Sørensen",
    "Dąbrowski",
    "Ferreira",
    "Gómez",
    "Horvát",
    "Iglesias",
    "Janssen",
    "Kim",
    "Laurent",
]
_COMPANY = [
    "Nord",
    "Vale",
    "Sol",
    "Terra",
    "Blue",
    "Iron",
    "Silver",
    "Delta",
    "Polar",
    "Crest",
    "Harbor",
    "Summit",
    "Prime",
    "Apex",
    "Cedar",
    "Falcon",
    "Orion",
    "Atlas",
    "Lumen",
    "Vertex",
    "Borea",
    "Granite",
    "Meridian",
    "Pioneer",
    "Quartz",
    "Riviera",
    "Sierra",
    "Tundra",
    "Zephyr",
]
_SUFFIX = [
    "Energy",
    "Logistics",
    "Health",
    "Retail",
    "Foods",
    "Systems",
    "Manufacturing",
    "Bank",
    "Insurance",
    "Telecom",
    "Pharma",
    "Mining",
]
_TITLES = (
    "Chief Executive Officer",
    "Chief Financial Officer",
    "Head of Procurement",
    "IT Director",
    "Operations Manager",
    "Plant Manager",
    "Buyer",
    "Engineer",
    "Project Lead",
    "Head of Security",
)
_WORDS = [
    "budget",
    "review",
    "supplier",
    "contract",
    "renewal",
    "pilot",
    "rollout",
    "safety",
    "audit",
    "quarter",
    "target",
    "margin",
    "decision",
    "committee",
    "board",
    "approval",
    "risk",
    "compliance",
    "training",
    "visit",
    "site",
    "badge",
    "escort",
    "meeting",
    "agenda",
    "proposal",
    "pricing",
    "discount",
    "volume",
    "forecast",
    "delivery",
    "schedule",
    "quality",
    "incident",
    "support",
    "upgrade",
    "migration",
    "integration",
    "workshop",
    "stakeholder",
    "sponsor",
    "champion",
    "sceptic",
    "politics",
    "culture",
    "formal",
    "informal",
    "punctual",
    "lunch",
    "coffee",
    "family",
    "football",
    "sailing",
    "golf",
    "music",
    "travel",
    "kids",
    "garden",
]


class _Synth:
    def __init__(self, seed: int | str):
        self.rng = random.Random(seed)
        self.base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamp(self) -> str:
        moment = self.base + dt.timedelta(seconds=self.rng.randrange(0, 300 * 86400))
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000000Z")

    def date(self) -> str:
        return (self.base.date() + dt.timedelta(days=self.rng.randrange(-400, 300))).isoformat()

    def sentence(self, words: int) -> str:
        picked = self.rng.choices(_WORDS, k=words)
        return " ".join(picked).capitalize() + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence(self.rng.randrange(6, 14)) for _ in range(sentences))

    def record(self, **values) -> dict:
        created = self.stamp()
        return {"id": self.id(), "created_at": created, "updated_at": created, **values}


def synthetic_records(*, clients: int, seed: int, contacts_per_client: int = 10) -> dict[str, list[dict]]:
    """A deterministic workspace: the same arguments always give the same records."""
    s = _Synth(seed)
    out: dict[str, list[dict]] = {
        k: [] for k in ("colleague", "client", "contact", "position", "guideline", "note", "interaction")
    }
    colleagues = [
        s.record(name=f"{s.rng.choice(_FIRST)} {s.rng.choice(_LAST)}", role="Account manager")
        for _ in range(20)
    ]
    out["colleague"] = colleagues
    for n in range(clients):
        client = s.record(
            name=f"{s.rng.choice(_COMPANY)} {s.rng.choice(_COMPANY)} {s.rng.choice(_SUFFIX)} {n}",
            industry=s.rng.choice(_SUFFIX),
            status=s.rng.choice(("prospect", "active", "dormant")),
            tags=[s.rng.choice(("nordics", "dach", "latam", "apac", "public-sector"))],
            owner_id=s.rng.choice(colleagues)["id"],
            summary=s.paragraph(3),
            culture=s.paragraph(2),
        )
        out["client"].append(client)
        boss = None
        for m in range(contacts_per_client):
            contact = s.record(
                name=f"{s.rng.choice(_FIRST)} {s.rng.choice(_LAST)}",
                relationship_strength=s.rng.randint(1, 5),
                personality=s.sentence(12),
                visit_frequency_days=s.rng.choice((30, 60, 90)),
            )
            out["contact"].append(contact)
            position = s.record(
                contact_id=contact["id"],
                client_id=client["id"],
                title=_TITLES[m % len(_TITLES)],
                influence=s.rng.randint(1, 5),
                stance=s.rng.choice(("champion", "supporter", "neutral", "sceptic", "opponent", "unknown")),
                reports_to_id=boss["id"] if boss else None,
            )
            if position["reports_to_id"] is None:
                del position["reports_to_id"]
            boss = boss or position
            out["position"].append(position)
            for _ in range(2):
                out["note"].append(s.record(contact_id=contact["id"], privacy="team", body=s.paragraph(2)))
        for _ in range(3):
            out["guideline"].append(
                s.record(
                    client_id=client["id"],
                    polarity=s.rng.choice(("do", "dont")),
                    scope="client",
                    text=s.sentence(10),
                )
            )
        out["interaction"].append(
            s.record(client_id=client["id"], date=s.date(), channel="meeting", summary=s.paragraph(1))
        )
    # Drawn from a stream of their own: the records above stay what they were for the same seed.
    out.update(_synthetic_plans(_Synth(f"account plans {seed}"), out, colleagues))
    return out


_PLANS_EVERY = 3  # one client in three has an account plan
_COMPETITORS = 5


def _synthetic_plans(s: _Synth, out: dict[str, list[dict]], colleagues: list[dict]) -> dict[str, list[dict]]:
    """Account plans for one client in three (SWOT, objectives with a measure and its readings, actions,
    risks, a contract) and a handful of competitors present at some of those clients, with people tied to them."""
    plans: dict[str, list[dict]] = {
        k: []
        for k in (
            "account_plan",
            "swot_item",
            "objective",
            "measure",
            "measure_reading",
            "competitor",
            "competitor_presence",
            "competitor_tie",
            "risk",
            "action",
            "contract",
        )
    }
    people: dict[str, list[str]] = {}
    for position in out["position"]:
        people.setdefault(position["client_id"], []).append(position["contact_id"])
    competitors = [
        s.record(
            name=f"{name} Analytics",
            strengths=s.sentence(10),
            weaknesses=s.sentence(10),
            our_answer=s.sentence(12),
        )
        for name in s.rng.sample(_COMPANY, _COMPETITORS)
    ]
    plans["competitor"] = competitors
    today = s.base.date()

    def day(offset: int) -> str:
        return (today + dt.timedelta(days=offset)).isoformat()

    def with_person(values: dict, name: str, contacts: list[str]) -> dict:
        if contacts:
            values[name] = s.rng.choice(contacts)
        return values

    for n, client in enumerate(out["client"][::_PLANS_EVERY]):
        contacts = people.get(client["id"], [])
        start = -s.rng.randrange(0, 240)
        plan_type = s.rng.choice(PLAN_TYPES)
        plan = s.record(
            client_id=client["id"],
            title=f"{plan_type.replace('_', ' ').capitalize()}: {s.sentence(4)[:-1]}",
            period_from=day(start),
            period_to=day(start + 365),
            type=plan_type,
            status=s.rng.choice(("active", "active", "draft")),
            strategy=s.paragraph(2),
            next_review=day(s.rng.randrange(-10, 60)),
        )
        plans["account_plan"].append(plan)
        for quadrant in SWOT_QUADRANTS:
            plans["swot_item"].append(
                s.record(
                    plan_id=plan["id"],
                    quadrant=quadrant,
                    text=s.sentence(12),
                    about=s.rng.choice(SWOT_SUBJECTS),
                    candid=quadrant == "weakness",
                )
            )
        for perspective in s.rng.sample(PERSPECTIVES, 2):
            objective = s.record(
                plan_id=plan["id"],
                title=s.sentence(6)[:-1],
                perspective=perspective,
                owner_id=s.rng.choice(colleagues)["id"],
                due=day(start + 365),
                status=s.rng.choice(("not_started", "on_track", "at_risk", "off_track")),
            )
            plans["objective"].append(with_person(objective, "stakeholder_id", contacts))
            direction = s.rng.choice(DIRECTIONS)
            baseline = float(s.rng.randrange(10, 100))
            step = baseline * s.rng.choice((0.2, 0.5)) * (1 if direction == "up_is_good" else -1)
            unit = s.rng.choice(("number", "currency", "percent"))
            measure = s.record(
                objective_id=objective["id"],
                name=s.sentence(4)[:-1],
                unit=unit,
                direction=direction,
                baseline=baseline,
                target=baseline + step,
            )
            if unit == "currency":
                measure["currency"] = s.rng.choice(("EUR", "NOK", "USD"))
            plans["measure"].append(measure)
            for month in range(3):
                value = baseline + step * s.rng.uniform(-0.2, 1.0) * (month + 1) / 3
                plans["measure_reading"].append(
                    s.record(measure_id=measure["id"], date=day(start + 30 * month), value=round(value, 1))
                )
            action = s.record(
                objective_id=objective["id"],
                text=s.sentence(8),
                owner_id=objective["owner_id"],
                due=day(s.rng.randrange(-60, 90)),
                done=s.rng.random() < 0.3,
            )
            plans["action"].append(with_person(action, "contact_id", contacts))
        for _ in range(2):
            category = s.rng.choice(RISK_CATEGORIES)
            risk = s.record(
                client_id=client["id"],
                title=s.sentence(6)[:-1],
                category=category,
                likelihood=s.rng.randint(1, 5),
                impact=s.rng.randint(1, 5),
                mitigation=s.sentence(12),
                owner_id=s.rng.choice(colleagues)["id"],
                status=s.rng.choice(RISK_STATUSES),
                next_review=day(s.rng.randrange(-20, 90)),
            )
            if contacts:
                risk["contact_ids"] = s.rng.sample(contacts, min(2, len(contacts)))
            if category == "competitive":
                risk["competitor_id"] = s.rng.choice(competitors)["id"]
            plans["risk"].append(risk)
            action = s.record(risk_id=risk["id"], text=s.sentence(8), owner_id=risk["owner_id"], due=day(30))
            plans["action"].append(action)
        starts = -s.rng.randrange(100, 900)
        ends = starts + 365 * s.rng.randint(1, 4)
        plans["contract"].append(
            s.record(
                client_id=client["id"],
                title=f"{client['industry']} services agreement",
                starts=day(starts),
                ends=day(ends),
                notice_by=day(ends - 90),
                value=float(s.rng.randrange(20, 2000) * 1000),
                currency=s.rng.choice(("EUR", "NOK", "USD")),
                obligations=s.paragraph(1),
                renewal_status=s.rng.choice(RENEWAL_STATUSES),
            )
        )
        # Each competitor in turn is present at a planned client; at every other one, a person is tied to it.
        competitor = competitors[n % len(competitors)]
        plans["competitor_presence"].append(
            s.record(competitor_id=competitor["id"], client_id=client["id"], footprint=s.sentence(12))
        )
        if contacts and n % 2 == 0:
            plans["competitor_tie"].append(
                s.record(
                    competitor_id=competitor["id"],
                    contact_id=s.rng.choice(contacts),
                    tie=s.rng.choice(TIE_TYPES),
                    notes=s.sentence(10),
                )
            )
    return plans


def load_synthetic(workspace: Workspace, *, clients: int, seed: int) -> ChangeSet:
    records = synthetic_records(clients=clients, seed=seed)
    return workspace.import_records(records=records, label=f"Generate {clients} synthetic clients")
