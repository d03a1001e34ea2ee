"""A small sales world (clients, their buying centres and people, a proposition, a cohort, a campaign) and
campaigns of any size, written through the services (tests and benchmarks)."""

from __future__ import annotations

from companion.core.changes import Edit
from companion.core.service import Workspace
from companion.model.ids import new_id
from companion.model.kinds import TARGET_STATUSES


def build_sales(ws: Workspace) -> dict[str, str]:
    """Three offshore clients and one retailer, in one batch:

    - Halvorsen Offshore (tag offshore, Oil & Gas): Ingrid Dahl, CFO, economic buyer, influence 5,
      sceptic, prefers email, worst "Monday mornings", best "Thursday afternoons"; Per Lunde, COO,
      decision maker, influence 5, champion; Kari Berg, IT lead, technical buyer (not drawn by default);
      Ola Nilsen, former sponsor (position ended). Per Lunde (champion, strength 2) and Siri Moe (a
      supporter at Halvorsen, not a buyer, strength 4) have informal influence on Ingrid: Siri is the
      route. A must-don't for the whole client, a should-do, and a do about Ingrid only.
      Sub-groups: Finance (function finance), Operations (function production).
    - Nordlys Subsea (tag OFFSHORE  in other case, industry oil & gas): Lars Vik, sponsor, influence 3,
      neutral.
    - Fjord Drilling (tag offshore): nobody with a buying role; a client-level target.
    - Bakeri Berg (tag retail): Eva Holm, decision maker (not in the cohort).

    The proposition "Predictive subsea maintenance" is approved, names no buying roles, fits the
    finance function and the offshore tag; the cohort "North Sea operators" holds the tag offshore; the
    campaign "Predictive maintenance, winter" runs on it. Returns the ids by a short name."""
    ids = {
        name: new_id()
        for name in (
            "colleague", "halvorsen", "nordlys", "fjord", "bakeri", "finance", "operations",
            "ingrid", "per", "kari", "ola", "siri", "lars", "eva", "proposition", "cohort", "campaign",
            "competitor",
        )
    }  # fmt: skip
    i = ids
    edits = [
        Edit("create", "colleague", i["colleague"], {"name": "Mira Tan"}),
        Edit("create", "client", i["halvorsen"], {
            "name": "Halvorsen Offshore", "tags": ["offshore"], "industry": "Oil & Gas", "status": "active",
            "owner_id": i["colleague"], "culture": "Engineers first; decisions by consensus.",
        }),
        Edit("create", "client", i["nordlys"], {
            "name": "Nordlys Subsea", "tags": ["OFFSHORE", "subsea"], "industry": "oil  & gas",
            "status": "prospect",
        }),
        Edit("create", "client", i["fjord"], {"name": "Fjord Drilling", "tags": ["offshore"], "status": "active"}),
        Edit("create", "client", i["bakeri"], {"name": "Bakeri Berg", "tags": ["retail"], "industry": "Food"}),
        Edit("create", "sub_group", i["finance"], {"client_id": i["halvorsen"], "name": "Finance", "function": "finance"}),
        Edit("create", "sub_group", i["operations"], {
            "client_id": i["halvorsen"], "name": "Operations", "function": "production",
        }),
        Edit("create", "contact", i["ingrid"], {
            "name": "Ingrid Dahl", "preferred_channel": "email", "worst_times": "Monday mornings",
            "best_times": "Thursday afternoons",
        }),
        Edit("create", "contact", i["per"], {"name": "Per Lunde", "preferred_channel": "in_person"}),
        Edit("create", "contact", i["kari"], {"name": "Kari Berg"}),
        Edit("create", "contact", i["ola"], {"name": "Ola Nilsen"}),
        Edit("create", "contact", i["siri"], {"name": "Siri Moe"}),
        Edit("create", "contact", i["lars"], {"name": "Lars Vik", "preferred_channel": "phone"}),
        Edit("create", "contact", i["eva"], {"name": "Eva Holm"}),
    ]  # fmt: skip
    positions = (
        ("ingrid", "halvorsen", "CFO", "finance", "economic_buyer", 5, "sceptic", None),
        ("per", "halvorsen", "COO", "operations", "decision_maker", 5, "champion", None),
        ("kari", "halvorsen", "IT lead", None, "technical_buyer", 4, "neutral", None),
        ("ola", "halvorsen", "Former sponsor", None, "sponsor", 5, "supporter", "2025-06-30"),
        ("siri", "halvorsen", "Controller", "finance", "user", 2, "supporter", None),
        ("lars", "nordlys", "VP subsea", None, "sponsor", 3, "neutral", None),
        ("eva", "bakeri", "Owner", None, "decision_maker", 5, "champion", None),
    )
    for person, client, title, group, role, influence, stance, ended in positions:
        values = {
            "contact_id": i[person], "client_id": i[client], "title": title, "buying_role": role,
            "influence": influence, "stance": stance, "sub_group_id": i[group] if group else None,
            "started": "2020-01-01", "ended": ended,
        }  # fmt: skip
        edits.append(Edit("create", "position", None, values))
    edits += [
        Edit("create", "relationship", None, {
            "from_contact_id": i["per"], "to_contact_id": i["ingrid"], "type": "informal_influence", "strength": 2,
        }),
        Edit("create", "relationship", None, {
            "from_contact_id": i["siri"], "to_contact_id": i["ingrid"], "type": "informal_influence", "strength": 4,
        }),
        Edit("create", "relationship", None, {
            "from_contact_id": i["kari"], "to_contact_id": i["per"], "type": "informal_influence", "strength": 5,
        }),
        Edit("create", "guideline", None, {
            "client_id": i["halvorsen"], "polarity": "do", "text": "Bring the safety figures.",
            "severity": "should", "scope": "client",
        }),
        Edit("create", "guideline", None, {
            "client_id": i["halvorsen"], "polarity": "dont", "text": "Never call before 9.",
            "severity": "must", "scope": "client",
        }),
        Edit("create", "guideline", None, {
            "client_id": i["halvorsen"], "polarity": "do", "text": "Send her the numbers beforehand.",
            "scope": "contact", "contact_id": i["ingrid"],
        }),
        Edit("create", "guideline", None, {
            "client_id": i["halvorsen"], "polarity": "do", "text": "Ask Per about sailing.",
            "scope": "contact", "contact_id": i["per"],
        }),
        Edit("create", "proposition", i["proposition"], {
            "title": "Predictive subsea maintenance", "status": "approved", "fit_functions": ["Finance"],
            "fit_tags": ["offshore"], "owner_id": i["colleague"],
        }),
        Edit("create", "cohort", i["cohort"], {"name": "North Sea operators", "tags": ["offshore"]}),
        Edit("create", "campaign", i["campaign"], {
            "name": "Predictive maintenance, winter", "proposition_id": i["proposition"],
            "cohort_id": i["cohort"], "owner_id": i["colleague"], "status": "running",
        }),
        Edit("create", "competitor", i["competitor"], {"name": "Nordkyst Services"}),
    ]  # fmt: skip
    ws.apply(edits=edits, label="sales world", react=False)
    return ids


def write_targets(
    ws: Workspace, *, campaign_id: str, client_ids: list[str], contact_ids: list[str], count: int
) -> None:
    """`count` targets of a campaign spread over these clients and people, every status represented, in
    one import (a benchmark's campaign)."""
    records = []
    for n in range(count):
        status = TARGET_STATUSES[n % len(TARGET_STATUSES)]
        record = {
            "id": new_id(),
            "campaign_id": campaign_id,
            "client_id": client_ids[n % len(client_ids)],
            "contact_id": contact_ids[n % len(contact_ids)] if contact_ids else None,
            "status": status,
            "rank": n + 1,
            "approach": "- Prefers: email.\n- Avoid: Monday mornings.",
        }
        if status in ("declined", "not_relevant"):
            record["reason"] = "No budget this year"
        records.append({k: v for k, v in record.items() if v is not None})
    ws.import_records(records={"campaign_target": records}, label="benchmark targets")
