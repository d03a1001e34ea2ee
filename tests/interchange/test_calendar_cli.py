"""`companion meeting import-ics` and `meeting ics --all` end to end: real processes on a real workspace."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from tests.cli.test_cli import assert_bad_input, ok, run, snapshot

SAMPLES = Path(__file__).parent / "samples" / "calendars"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    ws = open_workspace(workspace_path(folder))
    try:
        client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
        per = ws.create(kind="contact", values={"name": "Per Lunde"}).created_id
        values = {
            "contact_id": per,
            "client_id": client,
            "title": "CTO",
            "work_email": "per@halvorsen.example",
        }
        ws.create(kind="position", values=values)
    finally:
        ws.close()
    return folder


def test_import_names_each_skipped_event_and_why_and_the_feed_goes_out_whole(data_dir, tmp_path):
    # The stand-ups go on every weekday: a week of them is five, whatever day today is.
    calendar = tmp_path / "thunderbird.ics"
    calendar.write_bytes((SAMPLES / "thunderbird.ics").read_bytes().replace(b";UNTIL=20261218T080000Z", b""))
    out = ok(data_dir, "meeting", "import-ics", str(calendar), "--days", "7")
    lines = out.splitlines()
    assert lines[0] == "6 meetings added, 0 updated"  # five stand-ups and the site visit
    assert lines[1].startswith("1 recurring series: their meetings from ")
    assert "skipped from thunderbird.ics, and why (2):" in lines
    assert (
        "  “Broken start” (uid b4d5t4rt-0000-4000-8000-000000000001): its start (DTSTART) cannot be read"
        in out
    )
    assert (
        "  “Weekly sync” (uid f00z0ne0-0000-4000-8000-000000000002): its time zone 'Foo Standard' is unknown"
        in out
    )
    # Every meeting from today on, in one file a calendar program subscribes to.
    feed = tmp_path / "companion.ics"
    assert ok(data_dir, "meeting", "ics", "--all", "--out", str(feed)) == f"wrote {feed}\n"
    events = icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT")
    today = dt.date.today()
    titles = [str(e["summary"]) for e in events if e.decoded("dtstart").date() >= today]
    assert len(titles) == len(events) and titles.count("Daily stand-up with the pilot team") == 5
    assert not list(tmp_path.glob(".companion.ics.*")), "no temporary file left beside it"


def test_bad_input_is_one_line_and_writes_nothing(data_dir, tmp_path):
    before = snapshot(data_dir)
    bad = tmp_path / "invite.ics"
    bad.write_bytes(b"BEGIN:VCARD\r\nFN:Per\r\nEND:VCARD\r\n")
    assert_bad_input(run(data_dir, "meeting", "import-ics", str(bad)), "invite.ics", "not an iCalendar")
    assert_bad_input(
        run(data_dir, "meeting", "import-ics", str(SAMPLES / "google.ics"), "--days", "0"), "--days"
    )
    assert_bad_input(run(data_dir, "meeting", "ics"), "--all")
    assert snapshot(data_dir) == before
