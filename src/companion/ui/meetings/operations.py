"""The meetings feature's jobs on the database thread: planning, the meeting page and its checklist,
the brief and calendar files, checklist templates, importing a calendar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: start-up needs none of it
    from companion.core.meetings import CalendarImport


def import_calendar(ws, *, path: Path, client_id: str | None) -> CalendarImport:
    """Meetings from an .ics file, all or nothing; the client on screen (`client_id`) takes events whose
    attendees nobody here knows. Returns what it did and what it could not place (its `changes` are
    the undo step)."""
    from companion.core.meetings import import_calendar as import_events
    from companion.interchange.ics import read_ics

    return import_events(ws, events=read_ics(Path(path)), client_id=client_id)
