"""The account plan as a document: the internal version holds every part of the plan; the version for the
client never carries a risk, a candid SWOT item, a competitor, a tie to one or our strategy."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core.account_plan import load_plan_section
from companion.core.naming import find_client
from companion.core.plan_document import build_plan_document, for_the_client
from companion.model.errors import ValidationError
from tests.core.helpers import Maker

TODAY = dt.date(2026, 12, 6)

# Distinctive words only the internal version may hold.
INTERNAL_ONLY = (
    "STRATEGYMARK",
    "CANDIDMARK",
    "RISKMARK",
    "TRIGGERMARK",
    "MITIGATIONMARK",
    "RISKACTIONMARK",
    "COMPETITORMARK",
    "FOOTPRINTMARK",
    "STRENGTHMARK",
    "ANSWERMARK",
    "TIEMARK",
)
# What both versions hold.
SHARED = (
    "Plan 2027",
    "Trusted on safety",
    "Win the subsea maintenance frame",
    "Share of wallet",
    "Book the site tour",
    "Frame agreement 2024",
    "Ingrid Dahl",
)


def build_plan(ws) -> dict[str, str]:
    """A client with a plan holding one of every part, marked with the words above."""
    maker = Maker(ws)
    client = ws.create(
        kind="client",
        values={"name": "Halvorsen Offshore", "aliases": ["HOS"], "owner_id": maker.id("colleague")},
    ).created_id
    maker.cache["client"] = client
    ingrid = maker.id("contact")
    maker.id("position")
    plan = ws.create(
        kind="account_plan",
        values={
            "client_id": client,
            "title": "Plan 2027",
            "status": "active",
            "type": "expand",
            "period_from": "2027-01-01",
            "period_to": "2027-12-31",
            "next_review": "2027-03-15",
            "strategy": "STRATEGYMARK: land the subsea frame, then expand to wind.",
            "shared": True,
            "shared_with_ids": [ingrid],
        },
    ).created_id
    maker.cache["account_plan"] = plan
    ws.create(kind="swot_item", values={"plan_id": plan, "quadrant": "strength", "text": "Trusted on safety"})
    ws.create(
        kind="swot_item",
        values={
            "plan_id": plan,
            "quadrant": "weakness",
            "text": "CANDIDMARK: their CFO distrusts us",
            "candid": True,
        },
    )
    ws.create(
        kind="swot_item", values={"plan_id": plan, "quadrant": "opportunity", "text": "Wind fleet tender"}
    )
    ws.create(kind="swot_item", values={"plan_id": plan, "quadrant": "threat", "text": "Budget freeze"})
    objective = ws.create(
        kind="objective",
        values={
            "plan_id": plan,
            "title": "Win the subsea maintenance frame",
            "perspective": "financial",
            "owner_id": maker.id("colleague"),
            "stakeholder_id": ingrid,
            "due": "2027-06-30",
            "status": "on_track",
        },
    ).created_id
    ws.create(
        kind="objective",
        values={"plan_id": plan, "title": "Run a joint safety day", "perspective": "customer"},
    )
    measure = ws.create(
        kind="measure",
        values={
            "objective_id": objective,
            "name": "Share of wallet",
            "unit": "percent",
            "direction": "up_is_good",
            "baseline": 10,
            "target": 20,
        },
    ).created_id
    for month, value in enumerate((10, 11, 11.5, 12, 12.5, 13, 14, 15), start=1):
        ws.create(
            kind="measure_reading",
            values={"measure_id": measure, "date": f"2026-{month:02d}-01", "value": value},
        )
    ws.create(
        kind="measure",
        values={
            "objective_id": objective,
            "name": "Frame value",
            "unit": "currency",
            "currency": "NOK",
            "baseline": 0,
            "target": 1_250_000,
        },
    )
    hours = ws.create(
        kind="measure",
        values={
            "objective_id": objective,
            "name": "Response time",
            "unit": "number",
            "direction": "down_is_good",
            "target": 4,
        },
    ).created_id
    ws.create(kind="measure_reading", values={"measure_id": hours, "date": "2026-11-01", "value": 3})
    ws.create(
        kind="action",
        values={
            "objective_id": objective,
            "text": "Book the site tour",
            "owner_id": maker.id("colleague"),
            "contact_id": ingrid,
            "due": "2026-11-01",
        },
    )
    ws.create(kind="action", values={"objective_id": objective, "text": "Send the references", "done": True})
    risk = ws.create(
        kind="risk",
        values={
            "client_id": client,
            "title": "RISKMARK: the sponsor retires",
            "category": "relationship",
            "likelihood": 3,
            "impact": 4,
            "trigger": "TRIGGERMARK: a farewell party is announced",
            "mitigation": "MITIGATIONMARK: meet the successor",
            "contingency": "Escalate to the CEO",
            "owner_id": maker.id("colleague"),
            "status": "open",
            "next_review": "2027-01-10",
        },
    ).created_id
    ws.create(kind="action", values={"risk_id": risk, "text": "RISKACTIONMARK: lunch with the successor"})
    ws.create(
        kind="contract",
        values={
            "client_id": client,
            "title": "Frame agreement 2024",
            "starts": "2024-01-01",
            "ends": "2027-03-31",
            "notice_by": "2027-01-31",
            "value": 1_250_000,
            "currency": "EUR",
            "renewal_status": "to_review",
            "obligations": "Response within 4 hours",
        },
    )
    competitor = ws.create(
        kind="competitor",
        values={
            "name": "COMPETITORMARK Nordkyst",
            "strengths": "STRENGTHMARK: cheap day rates",
            "weaknesses": "Thin on safety",
            "our_answer": "ANSWERMARK: whole-life cost",
        },
    ).created_id
    ws.create(
        kind="competitor_presence",
        values={
            "competitor_id": competitor,
            "client_id": client,
            "footprint": "FOOTPRINTMARK: the ROV contract",
        },
    )
    ws.create(
        kind="competitor_tie",
        values={
            "competitor_id": competitor,
            "contact_id": ingrid,
            "tie": "worked_there",
            "notes": "TIEMARK: 2019–2022",
        },
    )
    return {"client": client, "plan": plan, "contact": ingrid}


def test_the_internal_version_holds_every_part(workspace):
    ids = build_plan(workspace)
    document = build_plan_document(workspace, client_id=ids["client"], today=TODAY)
    text = document.markdown
    assert document.has_plan and not document.for_client
    assert document.title == "Account plan: Halvorsen Offshore — Plan 2027"
    for words in (*SHARED, *INTERNAL_ONLY):
        assert words in text, words
    for heading in ("## SWOT", "### Strengths", "### Weaknesses", "### Opportunities", "### Threats"):
        assert heading in text
    assert "INTERNAL — not for the client" in text
    assert "**Type:** Expand" in text and "**Period:** 2027-01-01 to 2027-12-31" in text
    assert "**Next review:** 2027-03-15" in text and "**Shared with:** Ingrid Dahl" in text
    assert "CANDIDMARK: their CFO distrusts us *(candid: not for the client)*" in text
    # Objectives by perspective, the financial one first, with owner, stakeholder, due and status.
    assert text.index("### Financial perspective") < text.index("### Customer perspective")
    assert "Owner: Mira Tan · Their stakeholder: Ingrid Dahl · Due 2027-06-30 · Status: **on track**" in text
    # A measure: current against target, baseline, direction, behind, and its last six readings.
    assert (
        "**Share of wallet:** now 15% · target 20% · baseline 10% · up is good — **behind**, 50% of the way"
        in (text)
    )
    assert "Readings (the last 6 of 8): 2026-03-01: 11.5%, 2026-04-01: 12%" in text
    assert "2026-02-01: 11%" not in text
    assert (
        "**Frame value:** no readings yet · target 1250000 NOK · baseline 0 NOK\n" in text
    )  # currency codes after amounts; a baseline alone is not "behind"
    assert "**Response time:** now 3 · target 4 · down is good — **met**" in text
    assert "Book the site tour — Mira Tan, with Ingrid Dahl, due 2026-11-01 · **overdue**" in text
    assert "Send the references · done" in text
    # Risks: the score with its factors, category, owner, status, next review; the details below.
    assert (
        "| **RISKMARK: the sponsor retires** | **12 (3×4) high** | Relationship | Open | Mira Tan | 2027-01-10 |"
        in (text)
    )
    assert "**Contingency:** Escalate to the CEO" in text and "Action: RISKACTIONMARK" in text
    assert (
        "**Frame agreement 2024** — 2024-01-01 to 2027-03-31 · notice by 2027-01-31 (**within 90 days**)"
        " · value 1250000 EUR · renewal: to review" in text
    )
    assert "Obligations: Response within 4 hours" in text
    assert "Their weaknesses: Thin on safety" in text
    assert "**Ingrid Dahl** worked at COMPETITORMARK Nordkyst: TIEMARK: 2019–2022" in text


def test_the_version_for_the_client_leaves_out_what_is_ours(workspace):
    ids = build_plan(workspace)
    document = build_plan_document(workspace, client_id=ids["client"], for_client=True, today=TODAY)
    text = document.markdown
    assert document.for_client
    for words in SHARED:
        assert words in text, words
    for words in INTERNAL_ONLY:
        assert words not in text, words
    for heading in ("## Risks", "## Competitors", "## Our strategy", "INTERNAL"):
        assert heading not in text
    assert "Prepared for Halvorsen Offshore." in text


def test_the_filter_is_one_place_and_keeps_the_rest(workspace):
    ids = build_plan(workspace)
    section = load_plan_section(workspace, client_id=ids["client"])
    shared = for_the_client(section)
    assert not shared.risks and not shared.risk_actions and not shared.presences and not shared.ties
    assert shared.plan["strategy"] is None and section.plan["strategy"]  # the section itself is untouched
    assert [i["text"] for i in shared.swot["weakness"]] == []
    assert [i["text"] for i in shared.swot["strength"]] == ["Trusted on safety"]
    assert [o.objective["title"] for o in shared.objectives] == [
        o.objective["title"] for o in section.objectives
    ]
    assert shared.contracts == section.contracts
    assert [a["text"] for a in shared.actions] == ["Book the site tour", "Send the references"]


def test_a_client_without_a_plan_says_so(workspace, client_id):
    document = build_plan_document(workspace, client_id=client_id)
    assert not document.has_plan
    assert "Halvorsen Offshore has no account plan yet." in document.markdown


def test_another_plan_by_its_id_and_a_plan_of_nobody_refused(workspace):
    ids = build_plan(workspace)
    old = workspace.create(
        kind="account_plan", values={"client_id": ids["client"], "title": "Plan 2026", "status": "closed"}
    ).created_id
    document = build_plan_document(workspace, client_id=ids["client"], plan_id=old, today=TODAY)
    assert (
        "# Account plan: Halvorsen Offshore — Plan 2026" in document.markdown
        and "Trusted on safety" not in document.markdown
    )
    assert "## Objectives\n\nNone recorded yet." in document.markdown
    with pytest.raises(ValidationError, match=r"no account plan with the id nope\. Its plans: Plan 2027"):
        build_plan_document(workspace, client_id=ids["client"], plan_id="nope")


def test_a_client_is_found_by_id_name_alias_or_a_part_of_its_name(workspace):
    ids = build_plan(workspace)
    other = workspace.create(kind="client", values={"name": "Halvorsen Wind"}).created_id
    for text in (ids["client"], "halvorsen offshore", "hos", "Offshore"):
        assert find_client(workspace, text).id == ids["client"], text
    assert find_client(workspace, "WIND").id == other
    with pytest.raises(ValidationError, match="'Halvorsen' names 2 clients: Halvorsen Offshore"):
        find_client(workspace, "Halvorsen")
    with pytest.raises(ValidationError, match="There is no client 'Paineira'"):
        find_client(workspace, "Paineira")
