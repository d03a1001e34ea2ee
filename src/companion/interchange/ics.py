"""iCalendar: meetings out as .ics events (one, or a feed of every upcoming one); .ics files in as events."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import icalendar
import recurring_ical_events
import x_wr_timezone
from icalendar.timezone import tzp

from companion import __version__
from companion.core.calendar_import import (
    DEFAULT_LENGTH,
    DEFAULT_WINDOW_DAYS,
    MAX_OCCURRENCES,
    MAX_WINDOW_DAYS,
    YEARS,
    CalendarEvent,
    CalendarRead,
    SkippedEvent,
    meeting_uid,
)
from companion.core.meeting_invite import MeetingInvite, meeting_invite, upcoming_invites
from companion.interchange.text_files import decode_text, read_file
from companion.model.errors import BundleError
from companion.model.values import moved

FEED_NAME = "Companion meetings"
# How often a calendar subscribed to the feed file reads it again.
FEED_REFRESH = dt.timedelta(hours=1)

# --- out -------------------------------------------------------------------------------------------


def _calendar(**extra: object) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Companion//Companion {__version__}//EN")
    calendar.add("version", "2.0")
    for name, value in extra.items():
        calendar.add(name.replace("_", "-"), value)
    return calendar


def invite_event(invite: MeetingInvite, *, stamp: dt.datetime | None = None) -> icalendar.Event:
    """The meeting as a VEVENT: its time (dates for an all-day one), place, organiser, attendees with an
    address (the others are named in the description), and the summary the client's people may read."""
    meeting = invite.meeting
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting.id))
    event.add("dtstamp", stamp or dt.datetime.now(dt.UTC).replace(microsecond=0))
    starts = dt.datetime.fromisoformat(str(meeting["starts_at"])).astimezone(dt.UTC)
    ends = (
        dt.datetime.fromisoformat(str(meeting["ends_at"])).astimezone(dt.UTC) if meeting["ends_at"] else None
    )
    if meeting["all_day"]:
        # Its days are the UTC dates, the last one included; iCalendar's DTEND is the day after.
        last = ends.date() if ends is not None else starts.date()
        event.add("dtstart", starts.date())
        event.add("dtend", moved(max(last, starts.date()), dt.timedelta(days=1)))
    else:
        event.add("dtstart", starts)
        event.add("dtend", ends if ends is not None else moved(starts, DEFAULT_LENGTH))
    event.add("summary", str(meeting["title"]))
    if invite.location:
        event.add("location", invite.location)
    event.add("description", invite.description)
    event.add("status", "CANCELLED" if meeting["status"] == "cancelled" else "CONFIRMED")
    if meeting.updated_at:
        event.add("last-modified", dt.datetime.fromisoformat(meeting.updated_at).astimezone(dt.UTC))
    if invite.organizer is not None:
        name, email = invite.organizer
        organizer = icalendar.vCalAddress(f"mailto:{email}")
        organizer.params["cn"] = icalendar.vText(name)
        event.add("organizer", organizer, encode=0)
    for attendee in invite.attendees:
        if attendee.email:
            address = icalendar.vCalAddress(f"mailto:{attendee.email}")
            address.params["cn"] = icalendar.vText(attendee.name)
            event.add("attendee", address, encode=0)
    return event


def invite_to_ics(invite: MeetingInvite) -> bytes:
    """One meeting as an .ics file."""
    calendar = _calendar()
    calendar.add_component(invite_event(invite))
    return calendar.to_ical()


def meeting_calendar(workspace, *, meeting_id: str) -> bytes:
    """The meeting as an .ics file (its owner the organiser, a summary the client's people may read)."""
    return invite_to_ics(meeting_invite(workspace, meeting_id=meeting_id))


def meetings_feed(workspace, *, since: dt.datetime | None = None) -> bytes:
    """Every meeting from `since` (default: the start of today) on as one .ics file that calendar
    programs subscribe to; cancelled ones are in it, marked CANCELLED, so subscribers drop them."""
    since = since or dt.datetime.combine(dt.date.today(), dt.time()).astimezone()
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    calendar = _calendar(method="PUBLISH", name=FEED_NAME, x_wr_calname=FEED_NAME)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH)
    for invite in upcoming_invites(workspace, since=since):
        calendar.add_component(invite_event(invite, stamp=stamp))
    return calendar.to_ical()


# --- in --------------------------------------------------------------------------------------------

_TIMES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
_TOO_OFTEN = {"SECONDLY": "second", "MINUTELY": "minute"}
_NEEDED = {
    "DTSTART": "start (DTSTART)",
    "DTEND": "end (DTEND)",
    "DURATION": "length (DURATION)",
    "RECURRENCE-ID": "occurrence (RECURRENCE-ID)",
    "RRULE": "repeat rule (RRULE)",
    "RDATE": "extra dates (RDATE)",
    "EXDATE": "excluded dates (EXDATE)",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Outlook and Exchange say "all day" beside a DTSTART at midnight instead of writing a date.
_ALL_DAY_FLAGS = ("X-MICROSOFT-CDO-ALLDAYEVENT", "X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT")


def zone_named(name: str) -> dt.tzinfo | None:
    """A time zone by its IANA name, its Windows name or a globally unique TZID; None when unknown."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a guessed vendor prefix is a fine guess here
        try:
            return tzp.timezone(name.strip())
        except (ValueError, OSError):  # not a possible zone key at all
            return None


def _values(component: icalendar.Event, name: str) -> list:
    found = component.get(name)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def _repair(component: icalendar.Event) -> None:
    """Reads again, without the spaces, values whose stray spaces made them unreadable
    ("PT1H 30M"); those that still fail stay broken."""
    factory = icalendar.Event.types_factory
    for name in _NEEDED:
        values = _values(component, name)
        if not any(isinstance(v, icalendar.vBroken) for v in values):
            continue
        mended = []
        for value in values:
            if isinstance(value, icalendar.vBroken):
                kind = factory.for_property(name, value.params.value)
                tzid = value.params.get("TZID") if name in _TIMES else None
                compact = "".join(str(value).split())
                try:
                    parsed = kind.from_ical(compact, tzid) if tzid else kind.from_ical(compact)
                except (ValueError, TypeError):
                    mended.append(value)
                    continue
                value, params = kind(parsed), value.params
                value.params = params
            mended.append(value)
        del component[name]
        for value in mended:
            component.add(name, value, encode=0)


def _moments(value: object) -> Iterator[tuple[object, str | None]]:
    """Each date or time a property holds, with the TZID it was written with."""
    tzid = getattr(value, "params", {}).get("TZID")
    items = value.dts if isinstance(value, icalendar.vDDDLists) else [value]
    for item in items:
        moment = getattr(item, "dt", None)
        if isinstance(moment, tuple):  # a PERIOD: its start counts
            moment = moment[0]
        yield moment, getattr(item, "params", {}).get("TZID") or tzid


def _problem(component: icalendar.Event, *, floating_problem: str | None) -> str | None:
    """Why the event cannot be imported, or None."""
    _repair(component)
    for name, label in _NEEDED.items():
        for value in _values(component, name):
            if isinstance(value, icalendar.vBroken):
                return f"its {label} cannot be read ({str(value)!r}: {value.parse_error})"
    if component.get("DTSTART") is None:
        return "it has no start (DTSTART)"
    rule = component.get("RRULE")
    frequency = str((rule.get("FREQ") or [""])[0]).upper() if isinstance(rule, icalendar.vRecur) else ""
    if frequency in _TOO_OFTEN:
        return f"it repeats every {_TOO_OFTEN[frequency]}: that is a reminder, not a meeting"
    for name in _TIMES:
        for value in _values(component, name):
            for moment, tzid in _moments(value):
                if isinstance(moment, dt.date) and not YEARS[0] <= moment.year <= YEARS[1]:
                    return f"its {name} {moment.isoformat()} is outside the years {YEARS[0]}–{YEARS[1]}"
                if not isinstance(moment, dt.datetime) or moment.tzinfo is not None:
                    continue
                if tzid:
                    return (
                        f"its time zone '{tzid}' is unknown (neither defined in the file nor an IANA or "
                        "Windows zone name), so its time is unclear"
                    )
                if floating_problem:
                    return floating_problem
    return _ends_before_it_starts(component)


def _ends_before_it_starts(component: icalendar.Event) -> str | None:
    """A DTEND before the DTSTART (of the same kind: two days, or two zoned times): no way to tell which
    of the two the writer meant, so the event is named rather than guessed at."""
    if component.get("DTEND") is None:
        return None
    start, end = component.decoded("DTSTART"), component.decoded("DTEND")
    same_kind = isinstance(start, dt.datetime) == isinstance(end, dt.datetime)
    if isinstance(start, dt.datetime) and same_kind and (start.tzinfo is None) != (end.tzinfo is None):
        return None
    if same_kind and end < start:
        return f"it ends ({end.isoformat()}) before it starts ({start.isoformat()})"
    return None


def _title(component: icalendar.Event) -> str:
    # A line break in a title is the calendar program's way of wrapping it, not part of the name.
    return " ".join(_CONTROL.sub(" ", str(component.get("summary") or "")).split()) or "Meeting"


def _uid(component: icalendar.Event) -> str | None:
    return " ".join(str(component.get("uid") or "").split()) or None


def _address(value: object) -> str:
    text = str(value).strip()
    return text[7:].strip() if text.lower().startswith("mailto:") else text


def _aware(moment: dt.datetime) -> dt.datetime:
    # A floating time (no zone, and no X-WR-TIMEZONE to give it one) is by definition the wall clock
    # wherever the calendar is read: here, the laptop's zone.
    return moment if moment.tzinfo is not None else moment.astimezone()


def _occurrence_key(moment: object) -> str:
    """A RECURRENCE-ID in the form meeting ids are made from: UTC ISO; a date; a floating time as written
    (the same on every laptop)."""
    if isinstance(moment, dt.datetime):
        return moment.astimezone(dt.UTC).isoformat() if moment.tzinfo is not None else moment.isoformat()
    return moment.isoformat() if isinstance(moment, dt.date) else str(moment)


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _event(component: icalendar.Event, *, recurrence_id: object = None) -> CalendarEvent:
    """A readable VEVENT (or an occurrence of one) as a CalendarEvent."""
    start = component.decoded("dtstart")
    end: object = None
    if component.get("dtend") is not None:
        end = component.decoded("dtend")
    elif component.get("duration") is not None:
        end = start + component.decoded("duration")
    flagged = any(str(component.get(flag) or "").upper() == "TRUE" for flag in _ALL_DAY_FLAGS)
    if flagged and isinstance(start, dt.datetime) and start.time() == dt.time():
        start = start.date()
        end = end.date() if isinstance(end, dt.datetime) else end
    if isinstance(start, dt.datetime):
        starts = _aware(start)
        if isinstance(end, dt.datetime):
            ends = _aware(end)
        elif isinstance(end, dt.date):
            ends = dt.datetime.combine(end, dt.time(), starts.tzinfo)
        else:
            ends = None
        all_day, ends = False, ends if ends is not None and ends > starts else None
    else:
        # iCalendar's end date is the day after; the meeting's is its last day.
        first = start
        end = end.date() if isinstance(end, dt.datetime) else end
        last = end - dt.timedelta(days=1) if isinstance(end, dt.date) else first
        starts, ends, all_day = _midnight_utc(first), _midnight_utc(max(first, last)), True
    attendees = []
    for address in _values(component, "attendee"):
        email = _address(address)
        if email:
            name = " ".join(str(address.params.get("cn") or "").split()) or None
            attendees.append((name, email))
    organizer = component.get("organizer")
    location = " ".join(_CONTROL.sub(" ", str(component.get("location") or "")).split())
    description = _CONTROL.sub("", str(component.get("description") or "")).strip()
    return CalendarEvent(
        uid=_uid(component),
        title=_title(component),
        starts_at=starts,
        ends_at=ends,
        location=location or None,
        description=description or None,
        attendees=tuple(attendees),
        organizer=_address(organizer) if organizer is not None else None,
        cancelled=str(component.get("status") or "").upper() == "CANCELLED",
        all_day=all_day,
        recurrence_id=_occurrence_key(recurrence_id) if recurrence_id is not None else None,
    )


def _is_series(components: Sequence[icalendar.Event]) -> bool:
    return any(
        c.get("recurrence-id") is None and (c.get("rrule") is not None or c.get("rdate") is not None)
        for c in components
    )


class _Reader:
    """Reads one file's events: singles as they are, series expanded over the window."""

    def __init__(self, source: str, first: dt.date, last: dt.date):
        self.source = source
        self.first, self.last = first, last
        self.events: list[CalendarEvent] = []
        self.skipped: list[SkippedEvent] = []
        self.series = 0

    def skip(self, component: icalendar.Event, reason: str, occurrences: int = 1) -> None:
        self.skipped.append(SkippedEvent(_uid(component), _title(component), reason, occurrences))

    def read(self, calendar: icalendar.Calendar) -> None:
        zone, floating_problem = None, None
        named = str(calendar.get("x-wr-timezone") or "").strip()
        if named:
            zone = zone_named(named)
            if zone is None:
                floating_problem = (
                    f"its time has no zone, and the calendar's zone (X-WR-TIMEZONE '{named}') is unknown"
                )
        groups: dict[object, list[icalendar.Event]] = {}
        for component in calendar.walk("VEVENT"):
            groups.setdefault(_uid(component) or id(component), []).append(component)
        good = icalendar.Calendar()
        for components in groups.values():
            problems = [(c, _problem(c, floating_problem=floating_problem)) for c in components]
            bad = [(c, why) for c, why in problems if why]
            if bad and _is_series(components):
                # One unreadable part of a series would put its occurrences at the wrong times: none go in.
                self.skip(bad[0][0], bad[0][1])
                continue
            for component, why in bad:
                self.skip(component, why)
            for component, why in problems:
                if not why:
                    good.add_component(component)
        if zone is not None:
            # Google writes the calendar's zone here: floating times are in it, and UTC ones follow its
            # daylight saving when they repeat.
            good = x_wr_timezone.to_standard(good, timezone=zone)
        groups = {}
        for component in good.walk("VEVENT"):
            groups.setdefault(_uid(component) or id(component), []).append(component)
        series = []
        for key, components in groups.items():
            if not _is_series(components):
                for component in components:
                    self.single(component)
            elif isinstance(key, str):
                series.append(components)
            else:  # the library tells series apart by UID: one without stays on its own
                self.expand(components)
        self.expand_all(series)

    def single(self, component: icalendar.Event) -> None:
        recurrence = component.get("recurrence-id")
        try:
            self.events.append(_event(component, recurrence_id=recurrence.dt if recurrence else None))
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            self.skip(component, f"it cannot be read: {exc}")

    def expand_all(self, groups: list[Sequence[icalendar.Event]]) -> None:
        """Every series in one pass of the library; should that fail, each on its own, so that only the
        series it cannot expand is skipped."""
        if not groups:
            return
        try:
            found = self.occurrences([c for components in groups for c in components])
        except Exception:  # which series it was is found out below, one by one
            for components in groups:
                self.expand(components)
            return
        self.events += found
        for components in groups:
            self.excluded(components)

    def expand(self, components: Sequence[icalendar.Event]) -> None:
        """One series' occurrences within the window, or the reason it cannot be expanded."""
        try:
            found = self.occurrences(components)
        except Exception as exc:  # one series the library cannot expand must not stop the file
            master = next(c for c in components if c.get("recurrence-id") is None)
            self.skip(master, f"its repeats cannot be worked out: {exc}")
            return
        self.events += found
        self.excluded(components)

    def occurrences(self, components: Sequence[icalendar.Event]) -> list[CalendarEvent]:
        """The occurrences within the window, each its own event, moved ones where they were moved to."""
        series = icalendar.Calendar()
        for component in components:
            series.add_component(component)
        end = self.last + dt.timedelta(days=1)
        occurrences = recurring_ical_events.of(series).between(self.first, end)
        found = [_event(o, recurrence_id=_recurrence(o)) for o in occurrences]
        counts: dict[str | None, int] = {}
        for event in found:
            counts[event.uid] = counts.get(event.uid, 0) + 1
        crowded = {uid for uid, count in counts.items() if count > MAX_OCCURRENCES}
        for component in components:
            if _uid(component) in crowded and component.get("recurrence-id") is None:
                self.skip(
                    component,
                    f"it repeats {counts[_uid(component)]:,} times in the window (more than "
                    f"{MAX_OCCURRENCES:,}): that is a reminder, not a meeting",
                    counts[_uid(component)],
                )
        return [event for event in found if event.uid not in crowded]

    def excluded(self, components: Sequence[icalendar.Event]) -> None:
        """A series' excluded dates as cancelled occurrences, so meetings imported for them before are
        marked cancelled."""
        self.series += 1
        master = next(c for c in components if c.get("recurrence-id") is None)
        for value in _values(master, "exdate"):
            for moment, _tzid in _moments(value):
                if isinstance(moment, dt.date):
                    self.events.append(_excluded(master, moment))


def _recurrence(occurrence: icalendar.Event) -> object:
    recurrence = occurrence.get("recurrence-id")
    return recurrence.dt if recurrence is not None else occurrence.decoded("dtstart")


def _excluded(master: icalendar.Event, moment: dt.date) -> CalendarEvent:
    """An excluded date of a series as a cancelled occurrence."""
    if isinstance(moment, dt.datetime):
        starts, all_day = _aware(moment), False
    else:
        starts, all_day = _midnight_utc(moment), True
    return CalendarEvent(
        uid=_uid(master),
        title=_title(master),
        starts_at=starts,
        ends_at=None,
        location=None,
        description=None,
        attendees=(),
        cancelled=True,
        all_day=all_day,
        recurrence_id=_occurrence_key(moment),
    )


def _window(window_days: int, today: dt.date | None) -> tuple[dt.date, dt.date]:
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise BundleError(f"The window must be from 1 to {MAX_WINDOW_DAYS} days (it was {window_days}).")
    first = today or dt.date.today()
    return first, first + dt.timedelta(days=window_days - 1)


def _calendars(text: str, source: str) -> list[icalendar.Calendar]:
    if "BEGIN:VCALENDAR" not in text[:4096].upper():
        raise BundleError(f"{source} is not an iCalendar (.ics) file: it has no BEGIN:VCALENDAR.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # what icalendar guesses is checked event by event
            found = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # whatever the parser stumbles on, the file cannot be read as a calendar
        reason = " ".join(str(exc).split()) or type(exc).__name__
        reason = reason if len(reason) <= 160 else reason[:159] + "…"
        raise BundleError(f"{source} is not an iCalendar (.ics) file that can be read: {reason}") from None
    calendars = [c for c in found if getattr(c, "name", "") == "VCALENDAR"]
    if not calendars:
        raise BundleError(f"{source} is not an iCalendar (.ics) file: it has no VCALENDAR.")
    return calendars


def parse_ics(
    data: bytes,
    *,
    source: str = "the file",
    window_days: int = DEFAULT_WINDOW_DAYS,
    today: dt.date | None = None,
) -> CalendarRead:
    """The events of an iCalendar file (UTF-8, UTF-16 or cp1252): single events as they are, recurring
    series expanded into their occurrences from `today` over `window_days` days. An event that cannot
    be read is skipped with its reason; BundleError (nothing read) when the file is no iCalendar at all
    or holds no events."""
    first, last = _window(window_days, today)
    calendars = _calendars(decode_text(data), source)
    if not any(calendar.walk("VEVENT") for calendar in calendars):
        raise BundleError(f"{source} holds no events (VEVENT): nothing to import.")
    reader = _Reader(source, first, last)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for calendar in calendars:
            reader.read(calendar)
    return CalendarRead(
        source=source,
        events=tuple(sorted(reader.events, key=lambda e: e.starts_at)),
        skipped=tuple(reader.skipped),
        series=reader.series,
        window=(first, last),
    )


def read_ics(
    path: Path, *, window_days: int = DEFAULT_WINDOW_DAYS, today: dt.date | None = None
) -> CalendarRead:
    """`parse_ics` of a file; one that cannot be read is a BundleError naming it."""
    path = Path(path)
    data = read_file(path, expected="a calendar (an .ics file)")
    return parse_ics(data, source=path.name, window_days=window_days, today=today)


def count_series(data: bytes) -> int:
    """How many recurring series a calendar file holds, by a quick look at its lines (no parsing): what
    the window asks the person about before importing."""
    count, in_event, repeats, override = 0, False, False, False
    for line in _unfolded(decode_text(data)):
        name = line.split(":", 1)[0].split(";", 1)[0].strip().upper()
        if name == "BEGIN" and line.strip().upper() == "BEGIN:VEVENT":
            in_event, repeats, override = True, False, False
        elif name == "END" and line.strip().upper() == "END:VEVENT":
            count += in_event and repeats and not override
            in_event = False
        elif in_event and name in ("RRULE", "RDATE"):
            repeats = True
        elif in_event and name == "RECURRENCE-ID":
            override = True
    return count


def _unfolded(text: str) -> Iterable[str]:
    return text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "").split("\n")
