"""iCalendar: a meeting out as an .ics event carrying the brief's summary, and .ics events in as meetings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar

from companion import __version__
from companion.core.brief import Brief
from companion.core.changes import Record
from companion.core.meetings import CalendarEvent
from companion.model.errors import BundleError

# Our own meetings carry their id in the UID, so an exported and re-imported meeting is the same one.
UID_DOMAIN = "companion"
_DEFAULT_LENGTH = dt.timedelta(hours=1)


def meeting_uid(meeting_id: str) -> str:
    return f"{meeting_id}@{UID_DOMAIN}"


def meeting_to_ics(
    meeting: Record,
    brief: Brief,
    *,
    attendees: list[tuple[str, str | None]],
    location: str | None = None,
) -> bytes:
    """One VEVENT in a VCALENDAR; `attendees` are (name, email or None): those without email are named
    in the description only (an ATTENDEE must be an address)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Companion//Companion {__version__}//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting.id))
    event.add("dtstamp", dt.datetime.now(dt.UTC).replace(microsecond=0))
    starts = dt.datetime.fromisoformat(str(meeting["starts_at"]))
    ends = (
        dt.datetime.fromisoformat(str(meeting["ends_at"])) if meeting["ends_at"] else starts + _DEFAULT_LENGTH
    )
    event.add("dtstart", starts.astimezone(dt.UTC))
    event.add("dtend", ends.astimezone(dt.UTC))
    event.add("summary", str(meeting["title"]))
    if location:
        event.add("location", location)
    event.add("description", brief.summary)
    event.add("status", "CANCELLED" if meeting["status"] == "cancelled" else "CONFIRMED")
    for name, email in attendees:
        if email:
            address = icalendar.vCalAddress(f"mailto:{email}")
            address.params["cn"] = icalendar.vText(name)
            event.add("attendee", address, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def meeting_calendar(workspace, *, meeting_id: str) -> bytes:
    """The meeting as an .ics file: its time, place, attendees with an address, the brief's summary."""
    from companion.core.brief import build_brief
    from companion.core.meetings import attendee_addresses

    meeting = workspace.get(kind="meeting", id=meeting_id)
    brief = build_brief(workspace, meeting_id=meeting_id)
    location = ", ".join(part for part in (brief.site, " ".join((brief.address or "").split())) if part)
    return meeting_to_ics(
        meeting, brief, attendees=attendee_addresses(workspace, meeting), location=location or None
    )


def _address(value: object) -> str:
    text = str(value).strip()
    return text[7:].strip() if text.lower().startswith("mailto:") else text


def _datetime(value: object, name: str, title: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.astimezone()  # floating time: the laptop's
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(9, 0)).astimezone()  # an all-day event: morning
    raise BundleError(f"The event “{title}” has no usable {name}.")


def parse_ics(data: bytes, *, source: str = "the file") -> list[CalendarEvent]:
    """Every VEVENT of an iCalendar file; raises BundleError (nothing read) for anything else."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise BundleError(f"{source} is not an iCalendar (.ics) file: {exc}") from None
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise BundleError(f"{source} is not an iCalendar (.ics) file: it has no VCALENDAR.")
    events = []
    for component in calendar.walk("VEVENT"):
        title = str(component.get("summary") or "").strip() or "Meeting"
        try:
            start = component.decoded("dtstart")
        except KeyError:
            raise BundleError(f"{source}: the event “{title}” has no start (DTSTART).") from None
        except ValueError as exc:
            raise BundleError(f"{source}: the event “{title}” has an unreadable start: {exc}") from None
        starts = _datetime(start, "start", title)
        ends = None
        if component.get("dtend") is not None:
            try:
                ends = _datetime(component.decoded("dtend"), "end", title)
            except ValueError as exc:
                raise BundleError(f"{source}: the event “{title}” has an unreadable end: {exc}") from None
        elif component.get("duration") is not None:
            ends = starts + component.decoded("duration")
        attendees = component.get("attendee") or []
        if not isinstance(attendees, list):
            attendees = [attendees]
        people = tuple(
            (str(a.params.get("cn") or "").strip() or None, _address(a)) for a in attendees if _address(a)
        )
        organizer = component.get("organizer")
        events.append(
            CalendarEvent(
                uid=str(component.get("uid") or "").strip() or None,
                title=title,
                starts_at=starts,
                ends_at=ends if ends is not None and ends > starts else None,
                location=str(component.get("location") or "").strip() or None,
                description=str(component.get("description") or "").strip() or None,
                attendees=people,
                organizer=_address(organizer) if organizer is not None else None,
                cancelled=str(component.get("status") or "").upper() == "CANCELLED",
            )
        )
    if not events:
        raise BundleError(f"{source} holds no events (VEVENT): nothing to import.")
    return events


def read_ics(path: Path) -> list[CalendarEvent]:
    path = Path(path)
    return parse_ics(path.read_bytes(), source=path.name)
