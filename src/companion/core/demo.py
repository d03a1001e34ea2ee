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
    def __init__(self, seed: int):
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
    return out


def load_synthetic(workspace: Workspace, *, clients: int, seed: int) -> ChangeSet:
    records = synthetic_records(clients=clients, seed=seed)
    return workspace.import_records(records=records, label=f"Generate {clients} synthetic clients")
