"""iCalendar: a meeting goes out as an event the icalendar parser reads back; events come in as meetings."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from companion.core import meetings
from companion.core.brief import build_brief
from companion.interchange.ics import meeting_to_ics, parse_ics
from companion.model.errors import BundleError


@pytest.fixture
def planned(workspace):
    ws = workspace
    client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    ingrid = ws.create(
        kind="contact", values={"name": "Ingrid Dahl", "emails": ["ingrid@home.example"]}
    ).created_id
    per = ws.create(kind="contact", values={"name": "Per Lunde"}).created_id
    ws.create(
        kind="position",
        values={
            "contact_id": per,
            "client_id": client,
            "title": "CTO",
            "work_email": "per@halvorsen.example",
        },
    )
    ws.create(kind="position", values={"contact_id": ingrid, "client_id": client, "title": "CFO"})
    mira = ws.create(kind="colleague", values={"name": "Mira Tan", "email": "mira@ourco.example"}).created_id
    values = {
        "client_id": client,
        "title": "Budget review, Q1",
        "starts_at": "2026-12-10T09:00:00+01:00",
        "ends_at": "2026-12-10T10:30:00+01:00",
        "contact_ids": [ingrid, per],
        "colleague_ids": [mira],
        "agenda": "1. Numbers\n2. Next steps",
    }
    meeting_id = meetings.plan_meeting(ws, values=values).ids("meeting")[0]
    return {"client": client, "ingrid": ingrid, "per": per, "mira": mira, "meeting": meeting_id}


def _export(ws, meeting_id) -> bytes:
    meeting = ws.get(kind="meeting", id=meeting_id)
    brief = build_brief(ws, meeting_id=meeting_id)
    return meeting_to_ics(
        meeting, brief, attendees=meetings.attendee_addresses(ws, meeting), location="Forus"
    )


def test_export_round_trips_through_the_icalendar_parser(workspace, planned):
    data = _export(workspace, planned["meeting"])
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Budget review, Q1"
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 10, 8, 0, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 10, 9, 30, tzinfo=dt.UTC)
    assert str(event["uid"]) == f"{planned['meeting']}@companion"
    assert str(event["location"]) == "Forus"
    addresses = sorted(str(a) for a in event["attendee"])
    assert addresses == [
        "mailto:ingrid@home.example",
        "mailto:mira@ourco.example",
        "mailto:per@halvorsen.example",
    ]
    description = str(event["description"])
    assert "Who: Ingrid Dahl (CFO); Per Lunde (CTO)" in description
    assert "Preparation: " in description


def test_reimporting_our_own_export_changes_nothing(workspace, planned):
    before = workspace.get(kind="meeting", id=planned["meeting"])
    report = meetings.import_calendar(workspace, events=parse_ics(_export(workspace, planned["meeting"])))
    assert report.created == () and report.updated == () and not report.changes
    assert workspace.get(kind="meeting", id=planned["meeting"]).values == before.values


EXTERNAL = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Other//EN
BEGIN:VEVENT
UID:abc-123@other.example
DTSTART:20261217T130000Z
DTEND:20261217T140000Z
SUMMARY:Follow-up call
ORGANIZER:mailto:boss@other.example
ATTENDEE;CN=Per Lunde:mailto:PER@halvorsen.example
ATTENDEE;CN=Mira Tan:mailto:mira@ourco.example
ATTENDEE;CN=Stranger:mailto:who@unknown.example
DESCRIPTION:Bring the numbers
END:VEVENT
END:VCALENDAR
"""


def test_import_matches_attendees_by_email_and_reports_the_rest(workspace, planned):
    ws = workspace
    report = meetings.import_calendar(ws, events=parse_ics(EXTERNAL))
    assert report.created == ("Follow-up call",)
    assert report.unmatched == (("Follow-up call", "Stranger <who@unknown.example>"),)
    (meeting,) = [m for m in ws.list(kind="meeting") if m["title"] == "Follow-up call"]
    assert meeting["client_id"] == planned["client"]  # where Per works
    assert meeting["contact_ids"] == [planned["per"]]
    assert meeting["colleague_ids"] == [planned["mira"]]
    assert meeting["agenda"] == "Bring the numbers"
    assert meetings.checklist_items(ws, meeting.id), "an imported meeting gets its checklist"
    # The same file again updates nothing and adds nothing.
    again = meetings.import_calendar(ws, events=parse_ics(EXTERNAL))
    assert again.created == () and not again.changes


def test_events_without_known_people_need_a_client(workspace, planned):
    strangers = EXTERNAL.replace(b"PER@halvorsen.example", b"nobody@x.example").replace(b"mira@", b"mia@")
    report = meetings.import_calendar(workspace, events=parse_ics(strangers))
    assert report.created == () and report.skipped[0][0] == "Follow-up call"
    placed = meetings.import_calendar(workspace, events=parse_ics(strangers), client_id=planned["client"])
    assert placed.created == ("Follow-up call",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is not a calendar", "is not an iCalendar"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "holds no events"),
        (EXTERNAL.replace(b"DTSTART:20261217T130000Z\n", b""), "has no start"),
        (EXTERNAL.replace(b"DTSTART:20261217T130000Z", b"DTSTART:2026-99-99"), "start"),
    ],
)
def test_invalid_files_are_refused_with_nothing_imported(workspace, planned, data, message):
    before = len(workspace.list(kind="meeting"))
    with pytest.raises(BundleError, match=message):
        meetings.import_calendar(workspace, events=parse_ics(data, source="invite.ics"))
    assert len(workspace.list(kind="meeting")) == before
