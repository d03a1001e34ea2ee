"""The meeting brief on paper: a real PDF, read back with poppler's pdftotext and pdfinfo."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata

import pytest

from companion.core.brief import build_brief
from companion.core.demo import load_demo
from companion.core.meetings import plan_meeting
from companion.core.seed import slug_id
from companion.render.brief import brief_markdown
from companion.render.pdf import write_pdf


def pdf_text(path) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    # Ligatures (ﬀ, ﬁ) and line wrapping are the typesetter's business, not the content's.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_info(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.fixture
def planned(workspace):
    ws = workspace
    client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    site = ws.create(
        kind="site",
        values={
            "client_id": client,
            "name": "Ågotnes base",
            "dress_code": "Work clothes and S3 boots",
            "security_id": "Passport at the gate",
        },
    ).created_id
    ingrid = ws.create(
        kind="contact", values={"name": "Ingrid *Dahl*_", "motivators": "Uptime of the fleet"}
    ).created_id
    ws.create(
        kind="position",
        values={
            "contact_id": ingrid,
            "client_id": client,
            "title": "CFO",
            "stance": "sceptic",
            "influence": 5,
        },
    )
    per = ws.create(kind="contact", values={"name": "Per Lunde"}).created_id
    ws.create(
        kind="relationship",
        values={
            "from_contact_id": per,
            "to_contact_id": ingrid,
            "type": "mentor",
            "notes": "Hired her in 2019",
        },
    )
    ws.create(
        kind="guideline",
        values={
            "client_id": client,
            "polarity": "dont",
            "text": "Mention the failed 2024 pilot",
            "severity": "must",
            "scope": "client",
        },
    )
    values = {
        "client_id": client,
        "site_id": site,
        "title": "Quay walk",
        "starts_at": "2026-12-10T09:00:00+01:00",
        "contact_ids": [ingrid],
        "objectives": "- Agree the **pilot** scope",
    }
    return plan_meeting(ws, values=values).ids("meeting")[0]


@pytest.mark.parametrize(("size", "points"), [("a4", "595 x 842"), ("letter", "612 x 792")])
def test_brief_pdf_holds_the_people_the_musts_and_the_dress_code(workspace, planned, tmp_path, size, points):
    brief = build_brief(workspace, meeting_id=planned)
    path = write_pdf(brief_markdown(brief), tmp_path / "brief.pdf", page_size=size, title=brief.title)
    text = pdf_text(path)
    assert "Ingrid *Dahl*_ — CFO · stance: sceptic · influence 5/5" in text  # names are not Markdown
    assert "MUST Don't: Mention the failed 2024 pilot" in text
    assert "Dress code: Work clothes and S3 boots" in text
    assert "ID and badge: Passport at the gate" in text
    assert "Cares about: Uptime of the fleet" in text
    assert "Relationship: Mentored by Per Lunde: Hired her in 2019" in text  # who sways them
    assert "Agree the pilot scope" in text  # the objectives' Markdown is typeset
    info = pdf_info(path)
    assert info["Page size"].startswith(points)
    assert info["Title"] == "Quay walk"


def test_brief_pdf_tells_their_mission_and_where_we_stand_on_the_plan(workspace, planned, tmp_path):
    ws = workspace
    meeting = ws.get(kind="meeting", id=planned)
    client, (ingrid,) = meeting["client_id"], meeting["contact_ids"]
    ws.update(
        kind="client",
        id=client,
        values={
            "mission": '> "We keep the energy flowing safely."',
            "values": "- **Ærlighet** (honesty): always.",
        },
    )
    plan = ws.create(
        kind="account_plan",
        values={
            "client_id": client,
            "title": "Plan 2027",
            "status": "active",
            "type": "retain",
            "period_from": "2027-01-01",
            "period_to": "2027-12-31",
            "strategy": "Renew early, on *finance's* terms.\nThen grow.",
        },
    ).created_id
    objective = ws.create(
        kind="objective", values={"plan_id": plan, "title": "Renew the frame", "status": "at_risk"}
    ).created_id
    measure = ws.create(
        kind="measure",
        values={
            "objective_id": objective,
            "name": "Contract value",
            "unit": "currency",
            "currency": "NOK",
            "target": 4_300_000,
        },
    ).created_id
    ws.create(
        kind="measure_reading", values={"measure_id": measure, "date": "2026-11-01", "value": 3_400_000}
    )
    ws.create(
        kind="risk",
        values={
            "client_id": client,
            "title": "Price-only auction",
            "likelihood": 4,
            "impact": 5,
            "status": "open",
        },
    )
    ws.create(
        kind="contract", values={"client_id": client, "title": "Frame agreement", "notice_by": "2027-01-15"}
    )
    competitor = ws.create(kind="competitor", values={"name": "Nordkyst Services"}).created_id
    ws.create(
        kind="competitor_tie",
        values={"competitor_id": competitor, "contact_id": ingrid, "tie": "worked_there"},
    )
    brief = build_brief(ws, meeting_id=planned)
    text = pdf_text(write_pdf(brief_markdown(brief), tmp_path / "brief.pdf", title=brief.title))
    assert (
        'Their mission, vision and values, to acknowledge: Mission: "We keep the energy flowing safely." · '
        "Values: Ærlighet (honesty)" in text
    )
    assert "Where we stand on the plan" in text
    assert "Retain plan, 2027-01-01 to 2027-12-31: 1 open objective. Renew early, on finance's terms." in text
    assert "At risk: Renew the frame · Contract value 3,400,000, target 4,300,000 NOK" in text
    assert "High risk, 4 × 5: Price-only auction" in text
    assert "Contract: Frame agreement: notice by 2027-01-15" in text
    assert "MUST Don't knock Nordkyst Services: Ingrid *Dahl*_ worked there" in text
    assert int(pdf_info(tmp_path / "brief.pdf")["Pages"]) == 1


def test_demo_briefs_fit_on_two_pages(tmp_path, workspace):
    load_demo(workspace, today=dt.date(2026, 12, 2))
    for slug in ("mtg-halvorsen-wind-session", "mtg-halvorsen-agotnes-walk", "mtg-paineira-renewal-exec"):
        brief = build_brief(workspace, meeting_id=slug_id(slug))
        path = write_pdf(brief_markdown(brief), tmp_path / f"{slug}.pdf")
        pages = int(pdf_info(path)["Pages"])
        assert 1 <= pages <= 2, f"{slug}: {pages} pages"
        assert re.search(r"Preparation: \d+% ticked", pdf_text(path))


def test_unknown_page_size_is_refused(tmp_path):
    with pytest.raises(ValueError, match="a4, letter"):
        write_pdf("# x", tmp_path / "x.pdf", page_size="a5")
