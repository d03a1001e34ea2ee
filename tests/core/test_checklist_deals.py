"""The checklist's Deals section: an attendee who is an open deal's economic buyer or champion, the deals'
next steps due by the meeting, and their qualification gaps, kept in step through the write path."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core import checklist, meetings, reach
from companion.core.opportunities import CHAMPION_SILENT_DAYS

# Reactions to an edit look at meetings from the real today on: the meeting is a few weeks ahead of it.
TODAY = dt.date.today()
MEETING_DAY = TODAY + dt.timedelta(days=20)


def _day(offset: int) -> str:
    """A date this many days from the meeting."""
    return (MEETING_DAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def world(workspace):
    """A client; Ingrid (its CFO, a supporter, met lately) and Per of theirs meet them, Ola does not."""
    ws = workspace
    ids: dict[str, str] = {}

    def make(key, kind, **values):
        ids[key] = ws.create(kind=kind, values=values).created_id
        return ids[key]

    client = make("client", "client", name="Halvorsen Offshore")
    make("other_client", "client", name="Borealis Foods")
    for key, name, stance in (("ingrid", "Ingrid Dahl", "supporter"), ("per", "Per Lunde", None),
                              ("ola", "Ola Berg", None)):  # fmt: skip
        make(key, "contact", name=name)
        ws.create(kind="position", values={"contact_id": ids[key], "client_id": client, "stance": stance})
    ws.create(kind="interaction", values={"client_id": client, "date": TODAY.isoformat(), "channel": "call",
                                          "contact_ids": [ids["ingrid"], ids["per"], ids["ola"]]})  # fmt: skip
    make("mira", "colleague", name="Mira Tan")
    return ids


def _meet(ws, ids) -> str:
    values = {
        "client_id": ids["client"],
        "title": "Quarterly review",
        "starts_at": f"{MEETING_DAY.isoformat()}T09:00:00+01:00",
        "contact_ids": [ids["ingrid"], ids["per"]],
        "colleague_ids": [ids["mira"]],
    }
    return meetings.plan_meeting(ws, values=values, today=TODAY).ids("meeting")[0]


def _deal(ws, ids, title="Subsea pilot", **values) -> str:
    values = {"client_id": ids["client"], "title": title, "stage": "negotiating", "value": 1_250_000,
              "currency": "NOK", "economic_buyer_id": ids["ingrid"], "decision_process_status": "confirmed",
              **values}  # fmt: skip
    return ws.create(kind="opportunity", values=values).created_id


def _deal_items(ws, meeting_id) -> dict[str, object]:
    """The meeting's Deals section by origin."""
    return {
        str(i["origin"]): i
        for i in meetings.checklist_items(ws, meeting_id)
        if i["section"] == checklist.DEALS_SECTION and not i["removed"]
    }


def test_an_attendee_who_is_the_economic_buyer_gets_a_line(workspace, world):
    ws, ids = workspace, world
    deal = _deal(
        ws,
        ids,
        next_step="Send the revised offer",
        next_step_due=_day(-3),
        economic_buyer_note="Signs above 1M",
    )
    meeting = _meet(ws, ids)
    (line,) = _deal_items(ws, meeting).values()
    assert line["origin"] == f"deal:{deal}:economic_buyer:{ids['ingrid']}"
    assert line["text"] == (
        "Ingrid Dahl is the economic buyer of “Subsea pilot” (negotiating, 1,250,000 NOK): "
        f"next step: Send the revised offer (due {_day(-3)})"
    )
    assert line["detail"] == "Stance toward us: supporter\nEconomic buyer: Signs above 1M"
    assert line["source"] == "plan" and not line["must"]
    # The person's support in the deal is told too, and a closed deal is no longer a line.
    ws.create(kind="opportunity_contact", values={"opportunity_id": deal, "contact_id": ids["ingrid"],
                                                  "support": "champion"})  # fmt: skip
    assert _deal_items(ws, meeting)[line["origin"]]["detail"].startswith("Support in this deal: champion\n")
    ws.update(kind="opportunity", id=deal, values={"stage": "won", "outcome_reason": "Best uptime."})
    assert _deal_items(ws, meeting) == {}


def test_an_attendee_who_is_the_champion_gets_a_line_and_others_none(workspace, world):
    ws, ids = workspace, world
    deal = _deal(ws, ids, economic_buyer_id=ids["ola"], champion_id=ids["per"])
    meeting = _meet(ws, ids)
    items = _deal_items(ws, meeting)
    assert list(items) == [f"deal:{deal}:champion:{ids['per']}"]
    assert items[f"deal:{deal}:champion:{ids['per']}"]["text"] == (
        "Per Lunde is the champion of “Subsea pilot” (negotiating, 1,250,000 NOK)"
    )


def test_next_steps_due_by_the_meeting_are_listed(workspace, world):
    ws, ids = workspace, world
    later = _deal(
        ws, ids, "Later", economic_buyer_id=ids["ola"], next_step="Call back", next_step_due=_day(1)
    )
    due = _deal(
        ws, ids, "Due", economic_buyer_id=ids["ola"], next_step="Send the offer", next_step_due=_day(0)
    )
    meeting = _meet(ws, ids)
    items = _deal_items(ws, meeting)
    assert f"deal_step:{later}" not in items
    assert items[f"deal_step:{due}"]["text"] == f"Next step for “Due”: Send the offer (due {_day(0)})"
    assert items[f"deal_step:{due}"]["detail"] == "negotiating, 1,250,000 NOK"
    # Moving the step after the meeting takes the line away: the checklist follows the deal.
    ws.update(kind="opportunity", id=due, values={"next_step_due": _day(2)})
    assert f"deal_step:{due}" not in _deal_items(ws, meeting)


def test_each_gap_of_an_open_deal_at_the_client_is_a_line(workspace, world):
    ws, ids = workspace, world
    meeting = _meet(ws, ids)
    deal = _deal(ws, ids, economic_buyer_id=None, champion_id=ids["ola"])
    ws.create(kind="interaction", values={"client_id": ids["client"], "channel": "call", "contact_ids": [ids["ola"]],
                                          "date": (TODAY - dt.timedelta(days=400)).isoformat()})  # fmt: skip
    ws.delete(kind="interaction", id=ws.list(kind="interaction", where={"date": TODAY.isoformat()})[0].id)
    items = _deal_items(ws, meeting)
    assert set(items) == {f"deal_gap:{deal}:no_economic_buyer", f"deal_gap:{deal}:champion_silent"}
    assert items[f"deal_gap:{deal}:no_economic_buyer"]["text"].startswith(
        "No economic buyer is named for “Subsea pilot”"
    )
    assert "was last contacted 400 days ago" in items[f"deal_gap:{deal}:champion_silent"]["text"]
    # A deal at another client is not this meeting's business.
    _deal(ws, ids, "Elsewhere", client_id=ids["other_client"], economic_buyer_id=None)
    assert set(_deal_items(ws, meeting)) == set(items)
    # Meeting the champion closes the gap, and the line goes.
    ws.create(kind="interaction", values={"client_id": ids["client"], "channel": "call", "contact_ids": [ids["ola"]],
                                          "date": (TODAY - dt.timedelta(days=CHAMPION_SILENT_DAYS - 1)).isoformat()})  # fmt: skip
    assert set(_deal_items(ws, meeting)) == {f"deal_gap:{deal}:no_economic_buyer"}


def test_a_person_in_a_deal_reaches_the_client_s_meetings(workspace, world):
    ws, ids = workspace, world
    deal = _deal(ws, ids)
    changes = ws.create(kind="opportunity_contact", values={"opportunity_id": deal, "contact_id": ids["ola"]},
                        react=False)  # fmt: skip
    meeting = _meet(ws, ids)
    assert reach.affected_meetings(ws, changes, today=TODAY) == [meeting]


def test_an_attendee_who_is_one_of_a_deal_s_people_gets_a_line(workspace, world):
    ws, ids = workspace, world
    deal = _deal(ws, ids, economic_buyer_id=ids["ola"])
    ws.create(kind="opportunity_contact", values={"opportunity_id": deal, "contact_id": ids["per"],
                                                  "role": "influencer", "support": "sceptic"})  # fmt: skip
    ws.create(kind="opportunity_contact", values={"opportunity_id": deal, "contact_id": ids["ingrid"]})
    meeting = _meet(ws, ids)
    items = _deal_items(ws, meeting)
    per = items[f"deal_person:{deal}:{ids['per']}"]
    assert per["text"] == "Per Lunde is an influencer in “Subsea pilot” (negotiating, 1,250,000 NOK)"
    assert per["detail"] == "Support in this deal: sceptic"
    ingrid = items[f"deal_person:{deal}:{ids['ingrid']}"]
    assert ingrid["text"] == "Ingrid Dahl is one of the people in “Subsea pilot” (negotiating, 1,250,000 NOK)"
