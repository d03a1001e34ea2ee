"""Calendar events in as meetings: one per occurrence, matched to people by email, updated on re-import."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core import checklist
from companion.core.changes import ChangeSet, Edit, Record
from companion.core.meetings import UPDATE_LABEL, gather
from companion.core.person_matching import normal_email
from companion.model.errors import ValidationError
from companion.model.kinds import get_kind
from companion.model.rules import check_record, normalise_fields
from companion.model.values import is_uuid

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# Recurring series become the meetings of this many days from today unless the person chooses otherwise.
DEFAULT_WINDOW_DAYS = 90
# A series repeats for ever: more than two years of its meetings help nobody prepare.
MAX_WINDOW_DAYS = 730
# More occurrences than this in the window is no meeting series (a reminder every hour, say): skipped.
MAX_OCCURRENCES = 1000
# The years a calendar's events may fall in: a date outside them is a typo or a made-up stand-in (9999).
YEARS = (1900, 2200)
# Our own meetings carry their id in the UID, so an exported and re-imported meeting is the same one.
UID_DOMAIN = "companion"
UNKNOWN_CLIENT = "none of its attendees is known here, so its client is unclear"
DELETED_HERE = "it was imported before and deleted since"
# Meetings from other calendars get ids made from their UID (and, for an occurrence of a series, its
# RECURRENCE-ID), so importing the same file again updates the meetings it made instead of adding them.
CALENDAR_NAMESPACE = uuid.UUID("1c7b8f0e-5f4a-4d7e-9a0c-0b6f2e9d4c31")
# What an exported meeting without an end says its length is (interchange/ics.py writes it).
DEFAULT_LENGTH = dt.timedelta(hours=1)
_LABEL = "Import meetings"


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting as a calendar file describes it (read by interchange/ics.py): a single event or one
    occurrence of a series. An all-day event starts at 00:00 UTC of its first day and ends at 00:00 UTC of
    its last day (included), as the meeting's `all_day` field reads them."""

    uid: str | None
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    location: str | None
    description: str | None
    attendees: tuple[tuple[str | None, str], ...]  # (name, email)
    organizer: str | None = None
    cancelled: bool = False
    all_day: bool = False
    # Which occurrence of a series it is: its original start (UTC ISO form; a date for an all-day
    # series; ISO without offset for a floating one). None for a single event.
    recurrence_id: str | None = None


@dataclass(frozen=True)
class SkippedEvent:
    """An event left out, named by its UID and summary, and why (`occurrences`: of one series, alike)."""

    uid: str | None
    title: str
    reason: str
    occurrences: int = 1

    def __str__(self) -> str:
        uid = f" (uid {self.uid})" if self.uid else ""
        many = f", {self.occurrences} occurrences" if self.occurrences > 1 else ""
        return f"“{self.title}”{uid}{many}: {self.reason}"


@dataclass(frozen=True)
class CalendarRead:
    """What a calendar file holds: its events (series expanded over `window`), and those it could not read."""

    source: str
    events: tuple[CalendarEvent, ...]
    skipped: tuple[SkippedEvent, ...] = ()
    series: int = 0  # recurring series expanded
    window: tuple[dt.date, dt.date] | None = None  # first and last day (included) series were expanded over


@dataclass(frozen=True)
class CalendarImport:
    """What importing a calendar did, and what it could not place."""

    changes: ChangeSet
    created: tuple[str, ...]  # meeting titles
    updated: tuple[str, ...]
    unmatched: tuple[tuple[str, str], ...]  # (event title, "Name <email>") nobody here has
    skipped: tuple[SkippedEvent, ...]
    cancelled: tuple[str, ...] = ()  # meetings marked cancelled because the calendar cancelled them
    series: int = 0
    window: tuple[dt.date, dt.date] | None = None
    source: str = ""  # the file's name


def meeting_uid(meeting_id: str) -> str:
    """The UID our own meetings go out with."""
    return f"{meeting_id}@{UID_DOMAIN}"


def own_meeting_id(uid: str | None) -> str | None:
    """The id of our own meeting an event is (its UID made by `meeting_uid`), else None."""
    head, _, domain = (uid or "").partition("@")
    return head.lower() if domain == UID_DOMAIN and is_uuid(head) else None


def meeting_id_for(event: CalendarEvent) -> str:
    """The meeting an event is, the same on every import: ours by its UID, else made from UID and
    RECURRENCE-ID (from title and start when it has no UID)."""
    own = own_meeting_id(event.uid)
    if own is not None:
        return own
    if event.uid:
        key = event.uid if event.recurrence_id is None else f"{event.uid}|{event.recurrence_id}"
        return str(uuid.uuid5(CALENDAR_NAMESPACE, key))
    return str(uuid.uuid5(CALENDAR_NAMESPACE, f"{event.title}|{event.starts_at.isoformat()}"))


def _email_index(workspace: Workspace) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
    """Contacts and colleagues by lower-cased email, and each contact's current clients."""
    contacts: dict[str, str] = {}
    for contact_id, emails in workspace.columns(kind="contact", fields=("id", "emails")):
        for email in emails or ():
            contacts.setdefault(normal_email(str(email)), contact_id)
    for contact_id, email in workspace.columns(kind="position", fields=("contact_id", "work_email")):
        if email:
            contacts.setdefault(normal_email(str(email)), contact_id)
    colleagues = {
        normal_email(str(email)): colleague_id
        for colleague_id, email in workspace.columns(kind="colleague", fields=("id", "email"))
        if email
    }
    return contacts, colleagues, workspace.current_position_holders()


class _Importer:
    """Decides, event by event, what to write; collects the report."""

    def __init__(self, workspace: Workspace, client_id: str | None):
        self.workspace = workspace
        self.client_id = client_id
        self.kind = get_kind("meeting")
        self.contacts, self.colleagues, self.works_at = _email_index(workspace)
        self._sites: dict[str, dict[str, str]] = {}
        self.edits: list[Edit] = []
        self.created: list[str] = []
        self.new_ids: list[str] = []
        self.unmatched: dict[tuple[str, str], None] = {}
        self.skipped: dict[tuple[str | None, str, str], int] = {}

    def skip(self, event: CalendarEvent, reason: str, count: int = 1) -> None:
        key = (event.uid, event.title, reason)
        self.skipped[key] = self.skipped.get(key, 0) + count

    def sites(self, client_id: str) -> dict[str, str]:
        if client_id not in self._sites:
            listed = self.workspace.list(kind="site", where={"client_id": client_id})
            self._sites[client_id] = {str(s["name"]).casefold(): s.id for s in listed}
        return self._sites[client_id]

    def site_for(self, client_id: str, location: str | None) -> str | None:
        place = (location or "").casefold()
        if not place:
            return None
        return next(
            (sid for name, sid in self.sites(client_id).items() if name in place or place in name), None
        )

    def attendees(self, event: CalendarEvent) -> tuple[list[str], list[str]]:
        """(their contact ids, our colleague ids); the addresses nobody here has are noted."""
        theirs, ours = [], []
        for name, email in event.attendees:
            key = normal_email(email)
            if key in self.colleagues:
                ours.append(self.colleagues[key])
            elif key in self.contacts:
                theirs.append(self.contacts[key])
            elif event.organizer is None or key != normal_email(event.organizer):
                self.unmatched[(event.title, f"{name} <{email}>" if name else email)] = None
        return list(dict.fromkeys(theirs)), list(dict.fromkeys(ours))

    def client_of(self, theirs: list[str]) -> str | None:
        """The client most of the known attendees work at, else the one given for strangers."""
        votes: dict[str, int] = {}
        for contact_id in theirs:
            for at in self.works_at.get(contact_id, ()):
                votes[at] = votes.get(at, 0) + 1
        return max(sorted(votes), key=lambda c: votes[c], default=None) or self.client_id

    def checked(self, event: CalendarEvent, record: dict) -> dict | None:
        """The meeting as it would be stored, if it passes the rules; a refusal skips this event only."""
        try:
            stored = normalise_fields(self.kind, record)
            check_record(self.kind, stored)
        except ValidationError as exc:
            self.skip(event, str(exc))
            return None
        return stored

    def cancel(self, event: CalendarEvent, meeting_id: str, held: Record | None) -> None:
        # A cancelled event never imported here is nothing to import; one imported before is kept,
        # marked cancelled (a meeting held already stays held).
        if held is not None and held.deleted_at is None and held["status"] not in ("cancelled", "held"):
            self.edits.append(Edit("update", "meeting", meeting_id, {"status": "cancelled"}))

    def update(self, event: CalendarEvent, meeting_id: str, held: Record) -> None:
        # The calendar owns the time and the title; what people wrote here stays, the attendee lists only
        # grow, and an empty agenda or site is filled in.
        kept: dict[str, object] = {
            "title": event.title[:200],
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "all_day": event.all_day or (None if held["all_day"] is None else False),
        }
        if own_meeting_id(event.uid) is not None:
            # Our own export: an end it made up for a meeting without one is not a new end, and its
            # description is our summary, not an agenda.
            if held["ends_at"] is None and event.ends_at == _made_up_end(event):
                kept["ends_at"] = None
        else:
            theirs, ours = self.attendees(event)
            for name, found in (("contact_ids", theirs), ("colleague_ids", ours)):
                kept[name] = list(dict.fromkeys([*(held[name] or ()), *found])) or None
            if not held["agenda"] and event.description:
                kept["agenda"] = event.description
            if not held["site_id"]:
                site_id = self.site_for(str(held["client_id"]), event.location)
                if site_id:
                    kept["site_id"] = site_id
        stored = self.checked(event, {**held.values, **kept})
        if stored is not None and any(stored[name] != held[name] for name in kept):
            self.edits.append(Edit("update", "meeting", meeting_id, kept))

    def create(self, event: CalendarEvent, meeting_id: str) -> None:
        theirs, ours = self.attendees(event)
        client = self.client_of(theirs)
        if client is None:
            self.skip(event, UNKNOWN_CLIENT)
            return
        values = {
            "client_id": client,
            "title": event.title[:200],
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "all_day": True if event.all_day else None,
            "contact_ids": theirs or None,
            "colleague_ids": ours or None,
            "agenda": event.description,
            "site_id": self.site_for(client, event.location),
            "status": "planned",
        }
        if self.checked(event, values) is not None:
            self.edits.append(Edit("create", "meeting", meeting_id, values))
            self.created.append(event.title)
            self.new_ids.append(meeting_id)


def _compose_checklists(workspace: Workspace, meeting_ids: list[str]) -> ChangeSet:
    """The checklists of new meetings, as one write. The occurrences of a series share their client,
    site and people, so what their checklists are made of is read once for all of them."""
    gathered: dict[tuple, checklist.MeetingInputs] = {}
    edits: list[Edit] = []
    for meeting in workspace.get_many(kind="meeting", ids=meeting_ids).values():
        key = tuple(
            str(meeting[name]) if not isinstance(meeting[name], list) else tuple(meeting[name])
            for name in ("client_id", "site_id", "contact_ids", "colleague_ids", "template_ids")
        )
        if key not in gathered:
            gathered[key] = gather(workspace, meeting)
        inputs = dataclasses.replace(gathered[key], meeting=meeting)
        edits += checklist.reconcile(meeting.id, (), checklist.compose(inputs))
    return workspace.apply(edits=edits, label=UPDATE_LABEL, react=False) if edits else ChangeSet((), "")


def _made_up_end(event: CalendarEvent) -> dt.datetime:
    """The end an export gives a meeting that has none: a day for an all-day one, else DEFAULT_LENGTH."""
    return event.starts_at if event.all_day else event.starts_at + DEFAULT_LENGTH


def import_calendar(
    workspace: Workspace, *, calendar: CalendarRead, client_id: str | None = None
) -> CalendarImport:
    """Turns a calendar's events into meetings as one change: new ones created with their checklists,
    those imported before updated, those the calendar cancelled marked cancelled. Attendees are matched
    to people by email; the client is the one most matched attendees work at, else `client_id` (for
    events none of whose attendees is known here). An event that cannot be placed or stored is skipped
    with its reason, beside those the file reader skipped; the rest go in."""
    if client_id is not None:
        workspace.get(kind="client", id=client_id)  # a clear error for a wrong id
    importer = _Importer(workspace, client_id)
    ids = [meeting_id_for(event) for event in calendar.events]
    held_before = workspace.get_many(kind="meeting", ids=list(dict.fromkeys(ids)))
    seen: set[str] = set()
    for event, meeting_id in zip(calendar.events, ids, strict=True):
        if meeting_id in seen:
            importer.skip(
                event, "the file holds it twice (the same UID and occurrence); the first one is taken"
            )
            continue
        seen.add(meeting_id)
        held = held_before.get(meeting_id)
        if event.cancelled:
            importer.cancel(event, meeting_id, held)
        elif held is not None and held.deleted_at is not None:
            importer.skip(event, DELETED_HERE)
        elif held is not None:
            importer.update(event, meeting_id, held)
        else:
            importer.create(event, meeting_id)
    edits = importer.edits
    changes = workspace.apply(edits=edits, label=_LABEL, react=False) if edits else ChangeSet((), "")
    titles = {e.id: str(e.values.get("title") or held_before[e.id]["title"]) for e in edits}
    updated, cancelled = [], []
    for change in changes.changes:
        if change.kind == "meeting" and change.op == "update":
            now_cancelled = change.after.get("status") == "cancelled" != change.before.get("status")
            (cancelled if now_cancelled else updated).append(titles[change.id])
    composed = _compose_checklists(workspace, importer.new_ids)
    skipped = [*calendar.skipped]
    for (uid, title, reason), count in importer.skipped.items():
        skipped.append(SkippedEvent(uid, title, reason, count))
    # The meetings made here were composed just now: only what changed besides them has reactions due.
    new = set(importer.new_ids)
    rest = ChangeSet(tuple(c for c in changes.changes if c.id not in new), _LABEL)
    reacted = workspace.react(rest)
    return CalendarImport(
        changes=ChangeSet(changes.changes + composed.changes, _LABEL, reactions=reacted.reactions),
        created=tuple(importer.created),
        updated=tuple(updated),
        unmatched=tuple(importer.unmatched),
        skipped=tuple(skipped),
        cancelled=tuple(cancelled),
        series=calendar.series,
        window=calendar.window,
        source=calendar.source,
    )
