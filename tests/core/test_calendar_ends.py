"""Meetings at the calendar's ends (year 1, year 9999) are shown in every time zone: the local time of
9999-12-31 23:00 UTC is already year 10000 in Kiritimati (+14), and of 0001-01-01 00:00 UTC still year 0
there (its local mean time was −10:29), so turning them local overflowed and took down every view that
lists them (the meeting list, home, the calendar feed) for the whole workspace."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from companion.app.config import workspace_path
from companion.cli import main
from companion.core.attention import attention
from companion.core.brief import build_brief, format_when
from companion.core.meetings import log_meeting, recompose
from companion.interchange.ics import meeting_calendar, meetings_feed
from companion.model.kinds import get_kind
from companion.model.values import format_value, local_time, moved

ZONES = ("Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York", "UTC")
ENDS = {
    "last hour": {"starts_at": "9999-12-31T23:00:00+00:00"},
    "first hour": {"starts_at": "0001-01-01T00:00:00+00:00"},
    "last day": {"starts_at": "9999-12-31T00:00:00+00:00", "all_day": True},
    "first day": {"starts_at": "0001-01-01T00:00:00+00:00", "all_day": True},
    "all of time": {"starts_at": "0001-01-01T05:00:00+00:00", "ends_at": "9999-12-31T23:59:59+00:00"},
}


@pytest.fixture(params=ZONES)
def zone(request, monkeypatch):
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def at_the_ends(workspace, client_id):
    """The workspace with a meeting today and one at each of the calendar's ends (as a bundle or a sync
    can bring them: the services store any moment the calendar holds in UTC)."""
    ids = {}
    today = dt.datetime.now(dt.UTC).replace(microsecond=0, second=0, minute=0)
    ids["today"] = workspace.create(
        kind="meeting", values={"client_id": client_id, "title": "today", "starts_at": today.isoformat()}
    ).created_id
    for title, values in ENDS.items():
        ids[title] = workspace.create(
            kind="meeting", values={"client_id": client_id, "title": title, **values}
        ).created_id
    return ids


def test_a_moment_whose_local_time_the_calendar_lacks_is_shown_in_utc(zone):
    last = dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC)
    first = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    for moment in (last, first):
        shown = local_time(moment.isoformat())
        assert shown == moment  # the same moment, whichever zone it could be shown in
    assert local_time("2026-12-10T08:00:00+00:00", dt.UTC).hour == 8
    starts = get_kind("meeting").field("starts_at")
    assert format_value(starts, last.isoformat()).startswith("9999-12-31")
    assert moved(last, dt.timedelta(hours=1)) == dt.datetime.max.replace(tzinfo=dt.UTC)
    assert moved(dt.date(1, 1, 1), -dt.timedelta(days=30)) == dt.date.min
    assert moved(dt.date(2026, 12, 31), dt.timedelta(days=1)) == dt.date(2027, 1, 1)


def test_every_view_shows_meetings_at_the_calendar_ends(zone, workspace, at_the_ends):
    for title, meeting_id in at_the_ends.items():
        meeting = workspace.get(kind="meeting", id=meeting_id)
        when = format_when(meeting["starts_at"], meeting["ends_at"], all_day=meeting["all_day"])
        year = meeting["starts_at"][:4].lstrip("0")
        assert f" {year}" in when, (title, when)
        recompose(workspace, meeting_id=meeting_id)
        assert build_brief(workspace, meeting_id=meeting_id).title
        assert b"BEGIN:VEVENT" in meeting_calendar(workspace, meeting_id=meeting_id)
    feed = meetings_feed(workspace).decode()
    assert "SUMMARY:last hour" in feed and "SUMMARY:today" in feed and "SUMMARY:first hour" not in feed
    home = attention(workspace)
    assert [item.title for group in home.groups for item in group.items if item.kind == "meeting"] == [
        "today"
    ]


def test_a_meeting_at_the_calendar_ends_can_be_logged(zone, workspace, at_the_ends):
    for title in ("last hour", "first hour"):
        log_meeting(workspace, meeting_id=at_the_ends[title], summary="Went well.")
    days = sorted(str(i["date"]) for i in workspace.list(kind="interaction"))
    assert days[0].startswith("0001-01-0") and days[1].startswith("9999-12-3")


def test_the_meeting_list_of_a_workspace_holding_them(zone, workspace, at_the_ends, capsys):
    folder = workspace.db.path.parent
    assert workspace_path(folder) == workspace.db.path
    workspace.close()
    assert main(["--data-dir", str(folder), "meeting", "list", "--all"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert [line.rsplit("  ", 1)[1] for line in out.splitlines()] == [
        "first day",
        "first hour",
        "all of time",
        "today",
        "last day",
        "last hour",
    ]
    assert main(["--data-dir", str(folder), "show", "meeting", at_the_ends["last hour"]]) == 0
    assert "9999-12-31" in capsys.readouterr().out
