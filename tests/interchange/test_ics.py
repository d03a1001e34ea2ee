"""iCalendar out: a meeting (or the feed of every upcoming one) goes out as events that icalendar and
recurring-ical-events read back, organised by its owner, described without a word of assessment."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import recurring_ical_events

from companion.core import meetings
from companion.core.calendar_import import import_calendar
from companion.core.meeting_invite import meeting_invite
from companion.interchange.ics import invite_to_ics, meeting_calendar, meetings_feed, parse_ics
from companion.model.errors import BundleError


@pytest.fixture
def planned(workspace):
    ws = workspace
    mira = ws.create(kind="colleague", values={"name": "Mira Tan", "role": "Account manager"}).created_id
    ola = ws.create(
        kind="colleague",
        values={"name": "Ola Berg", "role": "Solution architect", "email": "ola@ourco.example"},
    ).created_id
    client = ws.create(
        kind="client", values={"name": "Halvorsen Offshore", "owner_id": ola, "summary": "Hard to please."}
    ).created_id
    site = ws.create(
        kind="site",
        values={"client_id": client, "name": "Forus", "address": "Kanalsletta 2\n4033 Stavanger"},
    ).created_id
    ingrid = ws.create(
        kind="contact",
        values={
            "name": "Ingrid Dahl",
            "emails": ["ingrid@home.example"],
            "personality": "Impatient with slides",
            "sensitivities": "Touchy about the 2024 pilot",
            "motivators": "Wants the board seat",
        },
    ).created_id
    per = ws.create(kind="contact", values={"name": "Per Lunde"}).created_id
    ws.create(
        kind="position",
        values={
            "contact_id": per,
            "client_id": client,
            "title": "CTO",
            "work_email": "per@halvorsen.example",
            "stance": "opponent",
            "influence": 5,
            "buying_role": "economic_buyer",
        },
    )
    ws.create(kind="position", values={"contact_id": ingrid, "client_id": client, "title": "CFO"})
    ws.create(
        kind="note", values={"client_id": client, "body": "Per blocks every change.", "privacy": "team"}
    )
    ws.create(
        kind="risk", values={"client_id": client, "title": "Per may veto the renewal", "status": "open"}
    )
    values = {
        "client_id": client,
        "site_id": site,
        "title": "Budget review, Q1",
        "starts_at": "2026-12-10T09:00:00+01:00",
        "ends_at": "2026-12-10T10:30:00+01:00",
        "contact_ids": [ingrid, per],
        "colleague_ids": [mira, ola],
        "objectives": "Agree the Q1 budget",
        "agenda": "1. Numbers\n2. Next steps",
    }
    meeting_id = meetings.plan_meeting(ws, values=values).ids("meeting")[0]
    return {"client": client, "ingrid": ingrid, "per": per, "mira": mira, "ola": ola, "meeting": meeting_id}


def _event(data: bytes) -> icalendar.Event:
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return event


def test_export_round_trips_through_the_icalendar_parser(workspace, planned):
    event = _event(meeting_calendar(workspace, meeting_id=planned["meeting"]))
    assert str(event["summary"]) == "Budget review, Q1"
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 10, 8, 0, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 10, 9, 30, tzinfo=dt.UTC)
    assert str(event["uid"]) == f"{planned['meeting']}@companion"
    assert str(event["location"]) == "Forus, Kanalsletta 2 4033 Stavanger"
    addresses = sorted(str(a) for a in event["attendee"])
    assert addresses == [
        "mailto:ingrid@home.example",
        "mailto:ola@ourco.example",
        "mailto:per@halvorsen.example",
    ]
    # The owner: the client's account owner, who attends (though listed after Mira).
    assert str(event["organizer"]) == "mailto:ola@ourco.example"
    assert str(event["organizer"].params["cn"]) == "Ola Berg"


def test_the_organiser_is_the_first_of_ours_when_the_account_owner_is_not_there(workspace, planned):
    meeting = planned["meeting"]
    workspace.update(kind="meeting", id=meeting, values={"colleague_ids": [planned["ola"]]})
    workspace.update(kind="client", id=planned["client"], values={"owner_id": planned["mira"]})
    assert (
        str(_event(meeting_calendar(workspace, meeting_id=meeting))["organizer"])
        == "mailto:ola@ourco.example"
    )
    workspace.update(kind="meeting", id=meeting, values={"colleague_ids": None})
    assert "organizer" not in _event(meeting_calendar(workspace, meeting_id=meeting))


def test_the_description_is_a_summary_the_clients_people_may_read(workspace, planned):
    description = str(_event(meeting_calendar(workspace, meeting_id=planned["meeting"]))["description"])
    assert description.splitlines() == [
        "Halvorsen Offshore",
        "Where: Forus, Kanalsletta 2 4033 Stavanger",
        "Who: Ingrid Dahl (CFO); Per Lunde (CTO); Mira Tan (Account manager); Ola Berg (Solution architect)",
        "",
        "Agenda:",
        "1. Numbers",
        "2. Next steps",
    ]
    folded = description.casefold()
    for candid in (
        "stance", "influence", "opponent", "economic", "personality", "impatient", "sensitiv", "touchy",
        "board seat", "blocks every change", "risk", "veto", "hard to please", "preparation", "must",
        "agree the q1 budget",  # our objective: what we want out of them
    ):  # fmt: skip
        assert candid not in folded, candid


def test_an_all_day_meeting_goes_out_as_dates_and_comes_back_unchanged(workspace, planned):
    ws = workspace
    ws.update(
        kind="meeting",
        id=planned["meeting"],
        values={
            "starts_at": "2026-12-14T00:00:00+00:00",
            "ends_at": "2026-12-16T00:00:00+00:00",
            "all_day": True,
        },
    )
    data = meeting_calendar(ws, meeting_id=planned["meeting"])
    event = _event(data)
    assert event.decoded("dtstart") == dt.date(2026, 12, 14)
    assert event.decoded("dtend") == dt.date(2026, 12, 17), "iCalendar's end is the day after the last"
    before = ws.get(kind="meeting", id=planned["meeting"])
    report = import_calendar(ws, calendar=parse_ics(data, today=dt.date(2026, 12, 1)))
    assert report.created == () and report.updated == () and not report.changes
    assert ws.get(kind="meeting", id=planned["meeting"]).values == before.values
    # One day without an end: DTEND the day after.
    ws.update(kind="meeting", id=planned["meeting"], values={"ends_at": None})
    event = _event(meeting_calendar(ws, meeting_id=planned["meeting"]))
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (
        dt.date(2026, 12, 14),
        dt.date(2026, 12, 15),
    )


def test_reimporting_our_own_export_changes_nothing(workspace, planned):
    ws = workspace
    for ends_at in ("2026-12-10T10:30:00+01:00", None):  # a meeting without an end is sent out an hour long
        ws.update(kind="meeting", id=planned["meeting"], values={"ends_at": ends_at})
        before = ws.get(kind="meeting", id=planned["meeting"])
        data = meeting_calendar(ws, meeting_id=planned["meeting"])
        report = import_calendar(ws, calendar=parse_ics(data, today=dt.date(2026, 12, 1)))
        assert report.created == () and report.updated == () and not report.changes
        assert ws.get(kind="meeting", id=planned["meeting"]).values == before.values


def test_the_feed_holds_every_upcoming_meeting_cancelled_ones_marked(workspace, planned):
    ws = workspace
    client = planned["client"]
    past = ws.create(
        kind="meeting",
        values={"client_id": client, "title": "Long gone", "starts_at": "2026-11-02T09:00:00+01:00"},
    ).created_id
    called_off = ws.create(
        kind="meeting",
        values={
            "client_id": client,
            "title": "Called off",
            "starts_at": "2026-12-11T09:00:00+01:00",
            "status": "cancelled",
        },
    ).created_id
    offsite = ws.create(
        kind="meeting",
        values={
            "client_id": client,
            "title": "Offsite",
            "starts_at": "2026-12-09T00:00:00+00:00",
            "all_day": True,
        },
    ).created_id
    data = meetings_feed(ws, since=dt.datetime(2026, 12, 9, 12, 0, tzinfo=dt.UTC))
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["x-wr-calname"]) == "Companion meetings"
    uids = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(uids) == {f"{m}@companion" for m in (planned["meeting"], called_off, offsite)}
    assert f"{past}@companion" not in uids
    assert str(uids[f"{called_off}@companion"]["status"]) == "CANCELLED"
    # A calendar program subscribed to it sees the same meetings on those days.
    seen = recurring_ical_events.of(calendar).between(dt.date(2026, 12, 9), dt.date(2026, 12, 12))
    assert sorted(str(e["summary"]) for e in seen) == ["Budget review, Q1", "Called off", "Offsite"]


def test_one_invite_is_what_the_file_says(workspace, planned):
    invite = meeting_invite(workspace, meeting_id=planned["meeting"])
    assert invite.organizer == ("Ola Berg", "ola@ourco.example")
    assert [(a.name, a.title, a.ours) for a in invite.attendees] == [
        ("Ingrid Dahl", "CFO", False),
        ("Per Lunde", "CTO", False),
        ("Mira Tan", "Account manager", True),
        ("Ola Berg", "Solution architect", True),
    ]
    assert str(_event(invite_to_ics(invite))["description"]) == invite.description


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is not a calendar", "invite.ics is not an iCalendar"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Per\r\nEND:VCARD\r\n", "invite.ics is not an iCalendar"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "invite.ics holds no events"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261209T000000\r\n", "invite.ics is not an"),
    ],
)
def test_files_that_are_no_calendar_are_refused_whole(data, message):
    with pytest.raises(BundleError, match=message):
        parse_ics(data, source="invite.ics")
