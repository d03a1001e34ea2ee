"""The brief's deals: the client's open deals with their standing, next step, qualification and gaps, and
the won and lost of the last year with their reasons; short, capped and counted."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core import brief as briefs
from companion.core import meetings
from companion.render.brief import brief_markdown

TODAY = dt.date.today()
MEETING_DAY = TODAY + dt.timedelta(days=20)


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def world(workspace):
    ws = workspace
    ids = {}
    ids["client"] = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    ids["ingrid"] = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    ws.create(
        kind="position",
        values={"contact_id": ids["ingrid"], "client_id": ids["client"], "stance": "supporter"},
    )
    ws.create(kind="interaction", values={"client_id": ids["client"], "date": _ago(3), "channel": "call",
                                          "contact_ids": [ids["ingrid"]]})  # fmt: skip
    return ids


def _meet(ws, ids) -> str:
    values = {
        "client_id": ids["client"],
        "title": "Quarterly review",
        "starts_at": f"{MEETING_DAY.isoformat()}T09:00:00+01:00",
        "contact_ids": [ids["ingrid"]],
    }
    return meetings.plan_meeting(ws, values=values).ids("meeting")[0]


def _deal(ws, ids, title, **values) -> str:
    values = {"client_id": ids["client"], "title": title, "stage": "qualifying", **values}
    return ws.create(kind="opportunity", values=values).created_id


def test_open_deals_with_their_standing_next_step_qualification_and_gaps(workspace, world):
    ws, ids = workspace, world
    _deal(ws, ids, "Subsea pilot", stage="negotiating", value=1_250_000, currency="NOK",
          expected_close="2027-01-15", next_step="Send the revised offer", next_step_due="2026-12-20",
          economic_buyer_id=ids["ingrid"], economic_buyer_status="confirmed", metrics_status="confirmed",
          pain_status="partial", decision_process_status="confirmed")  # fmt: skip
    _deal(ws, ids, "Crew kit", decision_process_status="confirmed")
    brief = briefs.build_brief(ws, meeting_id=_meet(ws, ids))
    deals = brief.deals
    assert [d.title for d in deals.open] == ["Subsea pilot", "Crew kit"]  # Ingrid's deal first
    pilot, kit = deals.open
    assert (pilot.standing, pilot.closes, pilot.qualified) == (
        "negotiating, 1,250,000 NOK",
        "2027-01-15",
        "3/8",
    )
    assert pilot.next_step == "Send the revised offer (due 2026-12-20)"
    assert pilot.people == ("Ingrid Dahl (economic buyer)",) and pilot.gaps == ()
    assert kit.gaps == ("no economic buyer named",)
    text = brief_markdown(brief)
    assert "## Deals" in text
    assert (
        "- **Deal:** Subsea pilot (negotiating, 1,250,000 NOK, 3/8 qualified, closes 2027-01-15)"
        " · *next:* Send the revised offer (due 2026-12-20)\n"
        "- **Deal:** Crew kit (qualifying, 1/8 qualified) · *gaps:* no economic buyer named\n" in text
    )
    assert "Deals: Subsea pilot (negotiating, 1,250,000 NOK); Crew kit (qualifying)" in brief.summary


def test_won_and_lost_of_the_last_year_with_reasons(workspace, world):
    ws, ids = workspace, world
    _deal(ws, ids, "Fleet monitoring", stage="won", expected_close=_ago(30),
          outcome_reason="Proven on the **pilot** vessel.\n\nAnd more.")  # fmt: skip
    _deal(ws, ids, "Wind retrofit", stage="lost", expected_close=_ago(200), outcome_reason="Price.")
    _deal(ws, ids, "Old win", stage="won", expected_close=_ago(400), outcome_reason="Long ago.")
    _deal(ws, ids, "Withdrawn", stage="withdrawn", expected_close=_ago(10))
    brief = briefs.build_brief(ws, meeting_id=_meet(ws, ids))
    assert brief.deals.open == ()
    assert brief.deals.closed == (
        ("Won", "Fleet monitoring", _ago(30), "Proven on the pilot vessel."),
        ("Lost", "Wind retrofit", _ago(200), "Price."),
    )
    text = brief_markdown(brief)
    assert f"- **Won:** Fleet monitoring *({_ago(30)})*: Proven on the pilot vessel." in text
    assert "Old win" not in text


def test_many_deals_stay_a_few_lines(workspace, world):
    ws, ids = workspace, world
    for n in range(briefs.DEALS_LISTED + 2):
        _deal(ws, ids, f"Deal {n}", decision_process_status="confirmed", economic_buyer_id=ids["ingrid"])
    for n in range(briefs.CLOSED_LISTED + 1):
        _deal(ws, ids, f"Won {n}", stage="won", outcome_reason="Good.", expected_close=_ago(n + 1))
    brief = briefs.build_brief(ws, meeting_id=_meet(ws, ids))
    assert len(brief.deals.open) == briefs.DEALS_LISTED and brief.deals.more_open == 2
    assert len(brief.deals.closed) == briefs.CLOSED_LISTED and brief.deals.more_closed == 1
    text = brief_markdown(brief)
    assert "- …and 2 more open deals in the app" in text
    assert "- …and 1 more won or lost this year in the app" in text


def test_a_client_without_deals_has_no_deals_part(workspace, world):
    brief = briefs.build_brief(workspace, meeting_id=_meet(workspace, world))
    assert brief.deals is None and "## Deals" not in brief_markdown(brief)


def test_a_brief_with_deals_lists_its_musts_and_counts_the_other_open_items(workspace, world):
    ws, ids = workspace, world
    meeting = _meet(ws, ids)
    meetings.add_item(ws, meeting_id=meeting, text="Bring the brochure")
    meetings.add_item(ws, meeting_id=meeting, text="Bring the NDA", must=True)
    assert briefs.build_brief(ws, meeting_id=meeting).open_items == ("Bring the brochure",)
    _deal(ws, ids, "Subsea pilot", economic_buyer_id=ids["ingrid"])
    brief = briefs.build_brief(ws, meeting_id=meeting)
    assert (brief.open_musts, brief.open_items, brief.more_open) == (("Bring the NDA",), (), 1)


def test_the_deals_follow_the_plan_under_its_heading(workspace, world):
    ws, ids = workspace, world
    ws.create(
        kind="account_plan", values={"client_id": ids["client"], "title": "Plan 2027", "status": "active"}
    )
    _deal(ws, ids, "Subsea pilot", economic_buyer_id=ids["ingrid"])
    text = brief_markdown(briefs.build_brief(ws, meeting_id=_meet(ws, ids)))
    assert "## Deals" not in text
    plan = text.index("## Where we stand on the plan")
    assert plan < text.index("- **Deal:** Subsea pilot") < text.index("## Who's who")
