"""Calendars as real programs write them (samples/calendars: Google, Outlook in cp1252, Exchange in UTF-16,
Apple, Thunderbird) come in as meetings: series expanded over the window with their moved, excluded and
cancelled occurrences, all-day events as days, zones by VTIMEZONE, IANA or Windows name and X-WR-TIMEZONE,
and events that cannot go in named and skipped while the rest go in."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

import pytest

from companion.core.calendar_import import (
    CALENDAR_NAMESPACE,
    DELETED_HERE,
    UNKNOWN_CLIENT,
    CalendarEvent,
    CalendarRead,
    import_calendar,
)
from companion.interchange.ics import parse_ics, read_ics
from companion.model.errors import BundleError

SAMPLES = Path(__file__).parent / "samples" / "calendars"
TODAY = dt.date(2026, 12, 7)
GOOGLE_SERIES = "5k3l9v0q2h7example@google.com"


@pytest.fixture
def halvorsen(workspace):
    ws = workspace
    client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    for name in ("Ågotnes base", "Stavanger base"):
        ws.create(kind="site", values={"client_id": client, "name": name})
    per = ws.create(kind="contact", values={"name": "Per Lunde"}).created_id
    ingrid = ws.create(
        kind="contact", values={"name": "Ingrid Dahl", "emails": ["ingrid@halvorsen.example"]}
    ).created_id
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
    return {"client": client, "per": per, "ingrid": ingrid, "mira": mira}


def _read(name: str, *, days: int = 90, data: bytes | None = None) -> CalendarRead:
    data = (SAMPLES / name).read_bytes() if data is None else data
    return parse_ics(data, source=name, window_days=days, today=TODAY)


def _meetings(ws) -> dict[str, list]:
    found: dict[str, list] = {}
    for meeting in sorted(ws.list(kind="meeting"), key=lambda m: str(m["starts_at"])):
        found.setdefault(str(meeting["title"]), []).append(meeting)
    return found


def _occurrence(uid: str, recurrence_id: str) -> str:
    return str(uuid.uuid5(CALENDAR_NAMESPACE, f"{uid}|{recurrence_id}"))


def test_a_google_series_becomes_its_meetings_with_the_moved_one_moved_and_excluded_ones_gone(
    workspace, halvorsen
):
    ws = workspace
    report = import_calendar(ws, calendar=_read("google.ics"))
    found = _meetings(ws)
    weekly = [str(m["starts_at"]) for m in found["Pilot status"]]
    # Mondays from 7 Dec to 1 Mar at 10:00 in Oslo: 14 Dec moved, 21 and 28 Dec excluded.
    assert weekly[:3] == [
        "2026-12-07T09:00:00+00:00",
        "2027-01-04T09:00:00+00:00",
        "2027-01-11T09:00:00+00:00",
    ]
    assert len(weekly) == 10 and weekly[-1] == "2027-03-01T09:00:00+00:00"
    (moved,) = found["Pilot status (moved to Tuesday)"]
    assert (moved["starts_at"], moved["ends_at"]) == (
        "2026-12-15T13:00:00+00:00",
        "2026-12-15T13:30:00+00:00",
    )
    # The moved one is the occurrence it replaces: its id is made from the UID and that RECURRENCE-ID.
    assert moved.id == _occurrence(GOOGLE_SERIES, "2026-12-14T09:00:00+00:00")
    assert found["Pilot status"][0].id == _occurrence(GOOGLE_SERIES, "2026-12-07T09:00:00+00:00")
    first = found["Pilot status"][0]
    assert first["contact_ids"] == [halvorsen["per"]] and first["colleague_ids"] == [halvorsen["mira"]]
    assert first["agenda"] == "Weekly status on the pilot.\nBring the numbers."
    assert first["site_id"] is not None, "LOCATION names the site"
    # A three-day event is three days, not 00:00–00:00.
    (offsite,) = found["Offsite at Halvorsen"]
    assert offsite["all_day"] is True
    assert (offsite["starts_at"], offsite["ends_at"]) == (
        "2026-12-14T00:00:00+00:00",
        "2026-12-16T00:00:00+00:00",
    )
    assert len(found["Budget call"]) == 1
    assert len(report.created) == 13 and report.skipped == () and report.cancelled == ()
    assert (report.series, report.window) == (1, (TODAY, dt.date(2027, 3, 6)))
    # The same file again: nothing to do.
    again = import_calendar(ws, calendar=_read("google.ics"))
    assert again.created == () and again.updated == () and not again.changes


def test_reimporting_a_changed_series_updates_its_meetings_and_marks_excluded_ones_cancelled(
    workspace, halvorsen
):
    ws = workspace
    import_calendar(ws, calendar=_read("google.ics"))
    text = (SAMPLES / "google.ics").read_bytes()
    changed = text.replace(
        b"EXDATE;TZID=Europe/Oslo:20261228T100000\r\n",
        b"EXDATE;TZID=Europe/Oslo:20261228T100000\r\nEXDATE;TZID=Europe/Oslo:20270104T100000\r\n",
    )
    changed = changed.replace(b"Oslo:20261215T140000", b"Oslo:20261215T150000").replace(
        b"Oslo:20261215T143000", b"Oslo:20261215T153000"
    )
    changed = changed.replace(b"END:VCALENDAR", CANCELLED_OVERRIDE + b"END:VCALENDAR")
    report = import_calendar(ws, calendar=_read("google.ics", data=changed))
    assert report.created == ()
    assert report.updated == ("Pilot status (moved to Tuesday)",)
    assert report.cancelled == ("Pilot status", "Pilot status")
    moved = ws.get(kind="meeting", id=_occurrence(GOOGLE_SERIES, "2026-12-14T09:00:00+00:00"))
    assert moved["starts_at"] == "2026-12-15T14:00:00+00:00"
    for day in ("2027-01-04", "2027-01-11"):  # excluded; cancelled by an override
        gone = ws.get(kind="meeting", id=_occurrence(GOOGLE_SERIES, f"{day}T09:00:00+00:00"))
        assert gone["status"] == "cancelled" and gone.deleted_at is None
    # A person's own words stay: an agenda written here is not overwritten.
    first = _occurrence(GOOGLE_SERIES, "2026-12-07T09:00:00+00:00")
    ws.update(kind="meeting", id=first, values={"agenda": "Our agenda"})
    import_calendar(ws, calendar=_read("google.ics", data=changed))
    assert ws.get(kind="meeting", id=first)["agenda"] == "Our agenda"


CANCELLED_OVERRIDE = b"""BEGIN:VEVENT\r
UID:5k3l9v0q2h7example@google.com\r
RECURRENCE-ID;TZID=Europe/Oslo:20270111T100000\r
DTSTART;TZID=Europe/Oslo:20270111T100000\r
DTEND;TZID=Europe/Oslo:20270111T103000\r
STATUS:CANCELLED\r
SUMMARY:Pilot status\r
END:VEVENT\r
"""


def test_the_window_is_the_persons_choice(halvorsen):
    short = _read("google.ics", days=14)
    weekly = [e for e in short.events if e.title.startswith("Pilot status") and not e.cancelled]
    assert [e.starts_at.date() for e in weekly] == [dt.date(2026, 12, 7), dt.date(2026, 12, 15)]
    assert short.window == (TODAY, dt.date(2026, 12, 20))
    # Single events come in whatever their date: the window bounds what series repeat into.
    assert "Budget call" in {e.title for e in _read("google.ics", days=1).events}


def test_windows_zone_names_utf16_and_an_unknown_zone_from_exchange(workspace, halvorsen):
    ws = workspace
    calendar = read_ics(SAMPLES / "exchange_utf16.ics", today=TODAY)
    report = import_calendar(ws, calendar=calendar)
    found = _meetings(ws)
    steering = [m["starts_at"] for m in found["Steering group"]]
    # Thursdays at 09:00 Paris time until 15 Jan; 10 Dec cancelled, 24 and 31 Dec excluded.
    assert steering == ["2026-12-17T08:00:00+00:00", "2027-01-07T08:00:00+00:00", "2027-01-14T08:00:00+00:00"]
    assert found["Quarterly business review"][0]["starts_at"] == "2026-12-17T12:00:00+00:00"
    (skipped,) = report.skipped
    assert skipped.title == "Contract renewal"
    assert skipped.uid == "040000008200E00074C5B7101A82E00800000000EXCHANGE0000000002"
    assert "'Customized Time Zone 1' is unknown" in skipped.reason
    assert "Contract renewal" not in found, "never imported at a guessed time"


def test_outlook_in_cp1252_with_windows_zones_and_its_all_day_flag(workspace, halvorsen):
    ws = workspace
    import_calendar(ws, calendar=_read("outlook_cp1252.ics"))
    found = _meetings(ws)
    offers = found["Tilbudsmøte – Ågotnes"]
    assert len(offers) == 6 and offers[0]["starts_at"] == "2026-12-16T09:00:00+00:00"
    assert offers[0]["agenda"] == "Gjennomgang av tilbudet – pris og vilkår"
    (houston,) = found["Call with the Houston office"]
    assert houston["starts_at"] == "2026-12-11T16:00:00+00:00"  # Pacific Standard Time
    (day,) = found["Kundedag hos Halvorsen"]
    assert (day["all_day"], day["starts_at"], day["ends_at"]) == (
        True,
        "2026-12-18T00:00:00+00:00",
        "2026-12-18T00:00:00+00:00",
    )


def test_apple_x_wr_timezone_a_title_with_a_line_break_and_a_cancelled_occurrence(workspace, halvorsen):
    ws = workspace
    report = import_calendar(ws, calendar=_read("apple.ics"))
    found = _meetings(ws)
    assert found["Quay walk with Ingrid"][0]["starts_at"] == "2026-12-11T14:00:00+00:00"
    assert found["Lunch with Ingrid"][0]["starts_at"] == "2026-12-17T11:00:00+00:00", (
        "floating: X-WR-TIMEZONE"
    )
    reviews = found["Monthly account review"]
    # First Tuesdays at 09:00 Oslo time; January's cancelled (and never imported, so nothing to mark).
    assert [m["starts_at"] for m in reviews] == ["2027-02-02T08:00:00+00:00", "2027-03-02T08:00:00+00:00"]
    ågotnes = next(s.id for s in ws.list(kind="site") if s["name"] == "Ågotnes base")
    assert {m["site_id"] for m in reviews} == {ågotnes}
    assert report.skipped == () and report.cancelled == ()


def test_bad_events_among_good_ones_are_named_and_skipped_the_rest_go_in(workspace, halvorsen):
    ws = workspace
    report = import_calendar(ws, calendar=_read("thunderbird.ics"))
    found = _meetings(ws)
    assert len(found["Daily stand-up with the pilot team"]) == 10  # weekdays 7–18 Dec
    (visit,) = found["Site visit"]
    assert (visit["starts_at"], visit["ends_at"]) == (
        "2026-12-09T12:00:00+00:00",
        "2026-12-09T13:30:00+00:00",
    )
    reasons = {s.title: (s.uid, s.reason) for s in report.skipped}
    assert set(reasons) == {"Broken start", "Weekly sync"}
    assert reasons["Broken start"][0] == "b4d5t4rt-0000-4000-8000-000000000001"
    assert "start (DTSTART) cannot be read" in reasons["Broken start"][1]
    assert reasons["Weekly sync"][0] == "f00z0ne0-0000-4000-8000-000000000002"
    assert "time zone 'Foo Standard' is unknown" in reasons["Weekly sync"][1]
    assert str(report.skipped[0]).startswith("“Broken start” (uid b4d5t4rt-0000-4000-8000-000000000001): ")
    assert not {"Broken start", "Weekly sync"} & set(found)


SERIES_IN_UTC = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
X-WR-TIMEZONE:%s\r
BEGIN:VEVENT\r
UID:utc-series@google.com\r
DTSTART:20261019T080000Z\r
DTEND:20261019T090000Z\r
RRULE:FREQ=WEEKLY\r
SUMMARY:Weekly with Per\r
ATTENDEE;CN=Per Lunde:mailto:per@halvorsen.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:floating@google.com\r
DTSTART:20261020T120000\r
SUMMARY:Floating lunch\r
ATTENDEE;CN=Per Lunde:mailto:per@halvorsen.example\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_x_wr_timezone_keeps_a_utc_series_on_the_wall_clock_across_daylight_saving(halvorsen):
    calendar = parse_ics(SERIES_IN_UTC % b"Europe/Oslo", window_days=14, today=dt.date(2026, 10, 19))
    weekly = [
        e.starts_at.astimezone(dt.UTC).isoformat() for e in calendar.events if e.title == "Weekly with Per"
    ]
    assert weekly == ["2026-10-19T08:00:00+00:00", "2026-10-26T09:00:00+00:00"]  # 10:00 in Oslo both times
    lunch = next(e for e in calendar.events if e.title == "Floating lunch")
    assert lunch.starts_at.astimezone(dt.UTC).isoformat() == "2026-10-20T10:00:00+00:00"
    # A Windows name there works as well.
    windows = parse_ics(
        SERIES_IN_UTC % b"W. Europe Standard Time", window_days=14, today=dt.date(2026, 10, 19)
    )
    assert [e.starts_at for e in windows.events] == [e.starts_at for e in calendar.events]


def test_an_unknown_x_wr_timezone_skips_floating_events_only(halvorsen):
    calendar = parse_ics(SERIES_IN_UTC % b"Mars/Olympus", window_days=14, today=dt.date(2026, 10, 19))
    assert {e.title for e in calendar.events} == {"Weekly with Per"}
    (skipped,) = calendar.skipped
    assert skipped.title == "Floating lunch" and "X-WR-TIMEZONE 'Mars/Olympus'" in skipped.reason


def test_floating_times_without_x_wr_timezone_are_the_laptops(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        data = SERIES_IN_UTC.replace(b"X-WR-TIMEZONE:%s\r\n", b"")
        lunch = next(e for e in parse_ics(data).events if e.title == "Floating lunch")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert lunch.starts_at.astimezone(dt.UTC).isoformat() == "2026-10-20T16:00:00+00:00"


def _event(title: str, uid: str | None, **values) -> CalendarEvent:
    return CalendarEvent(
        uid=uid,
        title=title,
        starts_at=dt.datetime(2026, 12, 9, 9, tzinfo=dt.UTC),
        ends_at=None,
        location=None,
        description=None,
        attendees=(("Per Lunde", "per@halvorsen.example"),),
        **values,
    )


def test_events_the_workspace_refuses_are_skipped_one_by_one(workspace, halvorsen):
    ws = workspace
    good = _event("Fine", "fine@x")
    twice = _event("Fine again", "fine@x")
    bad = _event("Two\nlines", "bad@x")
    stranger = CalendarEvent(
        **{**_event("Stranger", "s@x").__dict__, "attendees": (("X", "x@nowhere.example"),)}
    )
    report = import_calendar(ws, calendar=CalendarRead("test.ics", (good, twice, bad, stranger)))
    assert report.created == ("Fine",)
    reasons = {s.title: s.reason for s in report.skipped}
    assert "twice" in reasons["Fine again"]
    assert "must fit on one line" in reasons["Two\nlines"]
    assert reasons["Stranger"] == UNKNOWN_CLIENT
    # Imported, then deleted here: not brought back.
    (meeting,) = ws.list(kind="meeting")
    ws.delete(kind="meeting", id=meeting.id, cascade=True)
    again = import_calendar(ws, calendar=CalendarRead("test.ics", (good,)))
    assert again.created == () and [s.reason for s in again.skipped] == [DELETED_HERE]


def test_a_series_nobody_knows_is_skipped_once_with_its_count(workspace, halvorsen):
    data = (
        (SAMPLES / "thunderbird.ics").read_bytes().replace(b"per@halvorsen.example", b"who@nowhere.example")
    )
    report = import_calendar(workspace, calendar=_read("thunderbird.ics", data=data))
    unclear = [s for s in report.skipped if s.reason == UNKNOWN_CLIENT]
    assert [(s.title, s.occurrences) for s in unclear] == [
        ("Daily stand-up with the pilot team", 10),
        ("Site visit", 1),
    ]
    assert "10 occurrences" in str(unclear[0])
    placed = import_calendar(
        workspace, calendar=_read("thunderbird.ics", data=data), client_id=halvorsen["client"]
    )
    assert len(placed.created) == 11


def test_a_series_the_library_cannot_expand_is_skipped_the_others_still_come():
    data = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
BEGIN:VEVENT\r
UID:bad-rule@x\r
DTSTART:20261207T090000Z\r
RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0\r
SUMMARY:Bad rule\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:good@x\r
DTSTART:20261207T090000Z\r
RRULE:FREQ=WEEKLY;COUNT=2\r
SUMMARY:Good\r
END:VEVENT\r
END:VCALENDAR\r
"""
    calendar = parse_ics(data, today=TODAY)
    assert [e.starts_at.date() for e in calendar.events] == [dt.date(2026, 12, 7), dt.date(2026, 12, 14)]
    (skipped,) = calendar.skipped
    assert (skipped.uid, skipped.title) == ("bad-rule@x", "Bad rule")
    assert skipped.reason.startswith("its repeats cannot be worked out: ")


def test_extra_dates_rdate_are_occurrences_too():
    data = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
BEGIN:VEVENT\r
UID:workshops@x\r
DTSTART;TZID=Europe/Oslo:20261208T130000\r
DTEND;TZID=Europe/Oslo:20261208T150000\r
RDATE;TZID=Europe/Oslo:20261215T130000,20270112T130000\r
RDATE;TZID=Europe/Oslo:20270601T130000\r
SUMMARY:Workshop\r
END:VEVENT\r
END:VCALENDAR\r
"""
    calendar = parse_ics(data, today=TODAY)
    assert calendar.series == 1
    assert [(e.starts_at.astimezone(dt.UTC).isoformat(), e.recurrence_id) for e in calendar.events] == [
        ("2026-12-08T12:00:00+00:00", "2026-12-08T12:00:00+00:00"),
        ("2026-12-15T12:00:00+00:00", "2026-12-15T12:00:00+00:00"),
        ("2027-01-12T12:00:00+00:00", "2027-01-12T12:00:00+00:00"),
    ]  # June is beyond the 90 days
    assert {e.ends_at - e.starts_at for e in calendar.events} == {dt.timedelta(hours=2)}


def test_reminders_far_dates_and_backward_events_are_named_and_skipped_while_the_rest_go_in():
    events = [
        ("s1", "Every second", "DTSTART:20261209T100000Z\r\nRRULE:FREQ=SECONDLY"),
        ("h1", "Hourly", "DTSTART:20261209T100000Z\r\nRRULE:FREQ=HOURLY"),
        ("y1", "Far", "DTSTART;VALUE=DATE:99991231"),
        ("b1", "Backwards", "DTSTART:20261210T100000Z\r\nDTEND:20261210T090000Z"),
        ("ok1", "Fine one", "DTSTART:20261211T100000Z\r\nDTEND:20261211T110000Z"),
    ]
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{title}\r\n{times}\r\nEND:VEVENT\r\n"
        for uid, title, times in events
    )
    data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}END:VCALENDAR\r\n".encode()
    read = parse_ics(data, source="odd.ics", today=dt.date(2026, 12, 7))
    assert [e.title for e in read.events] == ["Fine one"]
    reasons = {s.uid: s.reason for s in read.skipped}
    assert reasons["s1"] == "it repeats every second: that is a reminder, not a meeting"
    assert reasons["h1"].startswith("it repeats 2,102 times in the window (more than 1,000)")
    assert reasons["y1"] == "its DTSTART 9999-12-31 is outside the years 1900–2200"
    assert reasons["b1"].startswith("it ends (2026-12-10T09:00:00+00:00) before it starts")
    with pytest.raises(BundleError, match="from 1 to 730 days"):
        parse_ics(data, window_days=100_000_000)
