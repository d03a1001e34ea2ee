"""The brief's plan part and the client's mission, vision and values: short, capped and counted."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core import brief as briefs
from companion.core import meetings
from companion.render.brief import brief_markdown

MEETING_DAY = dt.date.today() + dt.timedelta(days=20)


def _day(offset: int) -> str:
    return (MEETING_DAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def world(workspace):
    ws = workspace
    ids = {}
    ids["client"] = ws.create(
        kind="client",
        values={
            "name": "Halvorsen Offshore",
            "mission": '> "We keep the energy flowing **safely**."\n\nIn practice: zero harm, uptime.',
            "vision": "By 2030, half of revenue from renewables. The North Sea's most data-driven fleet, "
            "with every vessel monitored and every engineer trained on the data it gives.",
            "values": "Printed on every mess room wall:\n\n- **Sikkerhet først** (safety first): anyone may "
            "stop a job.\n- **Ærlighet** (honesty): say what you know.\n- Curiosity.",
        },
    ).created_id
    ids["ingrid"] = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    ids["per"] = ws.create(kind="contact", values={"name": "Per Lunde"}).created_id
    ids["mira"] = ws.create(kind="colleague", values={"name": "Mira Tan"}).created_id
    ids["competitor"] = ws.create(kind="competitor", values={"name": "Nordkyst Services"}).created_id
    ids["plan"] = ws.create(
        kind="account_plan",
        values={
            "client_id": ids["client"],
            "title": "Plan 2027",
            "status": "active",
            "type": "expand",
            "period_from": "2027-01-01",
            "period_to": "2027-12-31",
            "strategy": "Become their **renewables** partner.\nThen everything else.",
        },
    ).created_id
    return ids


def _meet(ws, ids, **extra) -> str:
    values = {
        "client_id": ids["client"],
        "title": "Quarterly review",
        "starts_at": f"{MEETING_DAY.isoformat()}T09:00:00+01:00",
        "contact_ids": [ids["ingrid"], ids["per"]],
        "colleague_ids": [ids["mira"]],
        **extra,
    }
    return meetings.plan_meeting(ws, values=values).ids("meeting")[0]


def _objective(ws, ids, title, **values):
    return ws.create(kind="objective", values={"plan_id": ids["plan"], "title": title, **values}).created_id


def _measure(ws, objective, name, readings=(), **values):
    measure = ws.create(kind="measure", values={"objective_id": objective, "name": name, **values}).created_id
    for day, value in readings:
        ws.create(kind="measure_reading", values={"measure_id": measure, "date": day, "value": value})
    return measure


def test_gist_keeps_a_long_text_to_a_line():
    assert briefs.gist('> "Fresh on time, every time."\n\nTheir promise.') == '"Fresh on time, every time."'
    assert briefs.gist("- **Betrouwbaar** (reliable): a missed slot.\n- **Nuchter**: no fuss.") == (
        "Betrouwbaar (reliable); Nuchter"
    )
    assert (
        briefs.gist("One [linked](https://x.example) *idea*.\nSecond line.")
        == "One linked idea. Second line."
    )
    long = "First sentence is here. " + "word " * 40
    assert briefs.gist(long, limit=60) == "First sentence is here."
    assert briefs.gist("word " * 40, limit=30) == "word word word word word word…"
    assert briefs.gist("  ") is None and briefs.gist(None) is None


def test_the_clients_mission_vision_and_values_in_short(workspace, world):
    brief = briefs.build_brief(workspace, meeting_id=_meet(workspace, world))
    assert brief.acknowledge == (
        ("Mission", '"We keep the energy flowing safely."'),
        ("Vision", "By 2030, half of revenue from renewables."),
        ("Values", "Sikkerhet først (safety first); Ærlighet (honesty); Curiosity"),
    )
    markdown = brief_markdown(brief)
    assert (
        '**Their mission, vision and values, to acknowledge:** *Mission:* "We keep the energy flowing safely."'
        in markdown
    )
    workspace.update(
        kind="client", id=world["client"], values={"mission": None, "vision": None, "values": None}
    )
    bare = briefs.build_brief(workspace, meeting_id=brief.meeting_id)
    assert bare.acknowledge == () and "to acknowledge" not in brief_markdown(bare)


def test_where_we_stand_on_the_plan(workspace, world):
    ws = workspace
    # Involving the attendees (Ingrid of theirs, Mira of ours) first, then the worst going.
    theirs = _objective(ws, world, "Win the wind frame", stakeholder_id=world["ingrid"], status="on_track")
    worst = _objective(ws, world, "Keep the subsea contract", status="off_track")
    _objective(ws, world, "Train their engineers", status="at_risk")
    _objective(ws, world, "Pilot on one vessel", status="achieved")
    _objective(ws, world, "Win back Ågotnes", status="dropped")
    _measure(
        ws, theirs, "Share of wallet", [("2026-10-01", 12.5), ("2026-11-01", 14)], unit="percent", target=20
    )
    _measure(ws, theirs, "Vessels", [("2026-11-01", 14)], unit="number", target=14)
    _measure(ws, theirs, "Turbines", unit="number", target=30)  # nothing read yet: not shown
    _measure(
        ws,
        worst,
        "Contract value",
        [("2026-11-01", 3_400_000)],
        unit="currency",
        currency="NOK",
        target=4_300_000,
    )
    for title, likelihood, impact in (
        ("Budget freeze", 5, 5),
        ("Sponsor retires", 4, 3),
        ("Price war", 3, 4),
    ):
        ws.create(
            kind="risk",
            values={
                "client_id": world["client"],
                "title": title,
                "likelihood": likelihood,
                "impact": impact,
                "status": "open",
            },
        )
    ws.create(
        kind="risk",
        values={
            "client_id": world["client"],
            "title": "Minor",
            "likelihood": 2,
            "impact": 5,
            "status": "open",
        },
    )
    ws.create(
        kind="contract",
        values={
            "client_id": world["client"],
            "title": "Frame agreement",
            "notice_by": _day(30),
            "renewal_status": "to_review",
        },
    )
    ws.create(
        kind="contract", values={"client_id": world["client"], "title": "Far off", "notice_by": _day(200)}
    )
    ws.create(
        kind="competitor_tie",
        values={"competitor_id": world["competitor"], "contact_id": world["per"], "tie": "relative_there"},
    )
    brief = briefs.build_brief(ws, meeting_id=_meet(ws, world))
    plan = brief.plan
    assert plan is not None
    assert (plan.heading, plan.standing, plan.strategy) == (
        "Expand plan, 2027-01-01 to 2027-12-31",
        "3 open objectives, 1 achieved, 1 dropped",
        "Become their renewables partner.",
    )
    assert plan.objectives == (
        briefs.BriefObjective("Win the wind frame", "On track", "Share of wallet 14%, target 20%", 1),
        briefs.BriefObjective(
            "Keep the subsea contract", "Off track", "Contract value 3,400,000, target 4,300,000 NOK"
        ),
    )
    # Highest score first; an equal score by title.
    assert plan.risks == (("5 × 5", "Budget freeze"), ("3 × 4", "Price war")) and plan.more_risks == 1
    assert plan.contracts == (f"Frame agreement: notice by {_day(30)} (renewal to review)",)
    assert plan.ties == ("Don't knock Nordkyst Services: Per Lunde has a relative there",)

    markdown = brief_markdown(brief)
    assert "## Where we stand on the plan" in markdown
    assert (
        "**Expand plan, 2027-01-01 to 2027-12-31:** 3 open objectives, 1 achieved, 1 dropped. "
        "*Become their renewables partner.*" in markdown
    )
    assert "- *On track:* Win the wind frame · Share of wallet 14%, target 20% (+1)" in markdown
    assert "- **High risk, 5 × 5:** Budget freeze" in markdown
    assert "- …and 1 more high risks in the app" in markdown
    assert f"- **Contract:** Frame agreement: notice by {_day(30)} (renewal to review)" in markdown
    assert "- **MUST** Don't knock Nordkyst Services: Per Lunde has a relative there" in markdown
    # The calendar's summary carries the musts and the plan's headline.
    assert "Don't knock Nordkyst Services: Per Lunde has a relative there" in brief.summary
    assert (
        "Plan: Expand plan, 2027-01-01 to 2027-12-31 (3 open objectives, 1 achieved, 1 dropped)"
        in brief.summary
    )
    assert "High risks: Budget freeze (5 × 5); Price war (3 × 4)" in brief.summary


def test_a_met_target_and_a_measure_where_down_is_good(workspace, world):
    ws = workspace
    objective = _objective(ws, world, "Fewer callouts", owner_id=world["mira"])
    _measure(
        ws, objective, "Callouts", [("2026-11-01", 3)], unit="number", direction="down_is_good", target=4
    )
    (listed,) = briefs.build_brief(ws, meeting_id=_meet(ws, world)).plan.objectives
    assert listed.measure == "Callouts 3, target 4, met"


def test_a_big_plan_stays_a_few_lines(workspace, world):
    ws = workspace
    for i in range(30):
        _objective(ws, world, f"Objective {i:02d} " + "with a long title " * 5, status="at_risk")
        ws.create(
            kind="risk",
            values={
                "client_id": world["client"],
                "title": f"Risk {i}",
                "likelihood": 4,
                "impact": 4,
                "status": "open",
            },
        )
    for i in range(6):
        ws.create(
            kind="contract", values={"client_id": world["client"], "title": f"C{i}", "notice_by": _day(i)}
        )
    brief = briefs.build_brief(ws, meeting_id=_meet(ws, world))
    plan = brief.plan
    assert len(plan.objectives) == briefs.OBJECTIVES_LISTED and plan.standing == "30 open objectives"
    assert all(len(o.title) <= briefs.TITLE_CHARS for o in plan.objectives)
    assert len(plan.risks) == briefs.RISKS_LISTED and plan.more_risks == 30 - briefs.RISKS_LISTED
    assert (
        len(plan.contracts) == briefs.CONTRACTS_LISTED and plan.more_contracts == 6 - briefs.CONTRACTS_LISTED
    )
    section = brief_markdown(brief).split("## Where we stand on the plan")[1].split("## Who's who")[0]
    assert len([line for line in section.splitlines() if line.strip()]) <= 10


def test_without_a_plan_or_anything_of_one_there_is_no_plan_part(workspace, world):
    ws = workspace
    ws.update(kind="account_plan", id=world["plan"], values={"status": "draft"})
    ws.create(
        kind="contract", values={"client_id": world["client"], "title": "Far off", "notice_by": _day(200)}
    )
    brief = briefs.build_brief(ws, meeting_id=_meet(ws, world))
    assert brief.plan is None
    assert "Where we stand on the plan" not in brief_markdown(brief)
    # A high risk alone is worth the part, without a plan heading.
    ws.create(
        kind="risk",
        values={
            "client_id": world["client"],
            "title": "Budget freeze",
            "likelihood": 5,
            "impact": 5,
            "status": "open",
        },
    )
    brief = briefs.build_brief(ws, meeting_id=brief.meeting_id)
    assert brief.plan is not None and brief.plan.heading is None
    assert brief.plan.risks == (("5 × 5", "Budget freeze"),)


def test_a_relationship_between_two_attendees_is_told_once(workspace, world):
    ws = workspace
    ws.create(
        kind="relationship",
        values={
            "from_contact_id": world["per"],
            "to_contact_id": world["ingrid"],
            "type": "mentor",
            "notes": "Since 2019",
        },
    )
    people = briefs.build_brief(ws, meeting_id=_meet(ws, world)).people
    assert [p.ties for p in people] == [("Mentored by Per Lunde: Since 2019",), ()]
