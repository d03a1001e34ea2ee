"""An all-day meeting (as a calendar brings it) shows as its days wherever a meeting's time is shown: the
brief, home's worklist, the meeting and client pages' line (format_when), the day its checklist counts to."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from companion.core import attention, meetings
from companion.core.brief import build_brief, format_when
from companion.core.checklist import MeetingInputs
from companion.core.meetings import gather


@pytest.fixture
def west_coast(monkeypatch):
    """The laptop in a zone where 00:00 UTC is the evening before: an all-day meeting keeps its UTC day."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_format_when_gives_an_all_day_meeting_its_days(west_coast):
    one = ("2026-12-14T00:00:00+00:00", "2026-12-14T00:00:00+00:00")
    assert format_when(*one, all_day=True) == "Mon 14 Dec 2026 (all day)"
    assert format_when(one[0], None, all_day=True) == "Mon 14 Dec 2026 (all day)"
    assert format_when("2026-12-14T00:00:00+00:00", "2026-12-16T00:00:00+00:00", all_day=True) == (
        "Mon 14 Dec 2026 – Wed 16 Dec 2026"
    )
    # Not all day: the laptop's wall clock, as before.
    assert (
        format_when("2026-12-14T17:00:00+00:00", "2026-12-14T18:00:00+00:00")
        == "Mon 14 Dec 2026, 09:00–10:00"
    )


def test_the_brief_home_and_the_checklist_take_its_day(workspace, west_coast):
    ws = workspace
    client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    values = {
        "client_id": client,
        "title": "Supplier days",
        "starts_at": "2026-12-14T00:00:00+00:00",
        "ends_at": "2026-12-15T00:00:00+00:00",
        "all_day": True,
    }
    meeting_id = meetings.plan_meeting(ws, values=values).ids("meeting")[0]
    assert build_brief(ws, meeting_id=meeting_id).when == "Mon 14 Dec 2026 – Tue 15 Dec 2026"
    meeting = ws.get(kind="meeting", id=meeting_id)
    inputs: MeetingInputs = gather(ws, meeting)
    assert inputs.meeting_date == dt.date(2026, 12, 14)  # not the 13th, as the laptop's clock would have it
    worklist = attention.attention(ws, today=dt.date(2026, 12, 13))
    (item,) = [i for g in worklist.groups for i in g.items if i.record_id == meeting_id]
    assert item.detail.startswith("tomorrow all day · ")
    assert item.due == "2026-12-14"
