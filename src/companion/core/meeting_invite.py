"""A meeting's calendar entry: its organiser, who comes, where, and a summary the client's people may read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.changes import Record
from companion.model.values import moved

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace


# People's positions are read this many at a time (a query names each of them).
_CHUNK = 900


@dataclass(frozen=True)
class Attendee:
    name: str
    title: str | None  # their role at the client, or ours
    email: str | None
    ours: bool


@dataclass(frozen=True)
class MeetingInvite:
    """Everything a calendar event of the meeting carries. Everyone invited reads it, the client's people
    too: nothing in it is an assessment of anyone."""

    meeting: Record
    organizer: tuple[str, str] | None  # (name, email) of the meeting's owner
    attendees: tuple[Attendee, ...]  # theirs, then ours
    location: str | None
    description: str


def _one_line(text: object) -> str:
    return " ".join(str(text or "").split())


@dataclass(frozen=True)
class _Known:
    """What the invites of some meetings are made of, read in a few queries for all of them."""

    clients: dict[str, Record]
    sites: dict[str, Record]
    contacts: dict[str, Record]
    roles: dict[tuple[str, str], Record]  # (contact, client): their current position there
    colleagues: dict[str, Record]


def _live(found: dict[str, Record]) -> dict[str, Record]:
    return {record_id: r for record_id, r in found.items() if r.deleted_at is None}


def _known(workspace: Workspace, meetings: list[Record]) -> _Known:
    def ids(name: str) -> list[str]:
        many = (m[name] if isinstance(m[name], list) else [m[name]] for m in meetings)
        return sorted({str(i) for values in many for i in values or () if i})

    contact_ids = ids("contact_ids")
    roles: dict[tuple[str, str], Record] = {}
    for start in range(0, len(contact_ids), _CHUNK):
        chunk = contact_ids[start : start + _CHUNK]
        for position in workspace.list(kind="position", where={"contact_id": chunk}):
            if position["ended"] is None:
                roles.setdefault((str(position["contact_id"]), str(position["client_id"])), position)
    return _Known(
        clients=_live(workspace.get_many(kind="client", ids=ids("client_id"))),
        sites=_live(workspace.get_many(kind="site", ids=ids("site_id"))),
        contacts=_live(workspace.get_many(kind="contact", ids=contact_ids)),
        roles=roles,
        colleagues=_live(workspace.get_many(kind="colleague", ids=ids("colleague_ids"))),
    )


def _attendees(meeting: Record, known: _Known) -> list[Attendee]:
    found: list[Attendee] = []
    for contact_id in (str(c) for c in meeting["contact_ids"] or ()):
        contact = known.contacts.get(contact_id)
        if contact is None:
            continue
        role = known.roles.get((contact_id, str(meeting["client_id"])))
        email = (role["work_email"] if role is not None else None) or (contact["emails"] or [None])[0]
        title = str(role["title"]) if role is not None and role["title"] else None
        found.append(Attendee(str(contact["name"]), title, email, ours=False))
    for colleague_id in (str(c) for c in meeting["colleague_ids"] or ()):
        colleague = known.colleagues.get(colleague_id)
        if colleague is not None:
            found.append(Attendee(str(colleague["name"]), colleague["role"], colleague["email"], ours=True))
    return found


def attendees(workspace: Workspace, meeting: Record) -> list[Attendee]:
    """Everyone attending, theirs then ours, with their title and the address to invite them at: a work
    email at the meeting's client first, else their first own email, else None."""
    return _attendees(meeting, _known(workspace, [meeting]))


def attendee_addresses(workspace: Workspace, meeting: Record) -> list[tuple[str, str | None]]:
    """(name, email or None) of everyone attending, theirs then ours."""
    return [(a.name, a.email) for a in attendees(workspace, meeting)]


def owner_id(meeting: Record, client: Record) -> str | None:
    """The colleague who owns the meeting: the client's account owner when they attend, else the first
    of our attendees; None when none of us attends."""
    ours = [str(c) for c in meeting["colleague_ids"] or ()]
    if client["owner_id"] and str(client["owner_id"]) in ours:
        return str(client["owner_id"])
    return ours[0] if ours else None


def client_summary(
    meeting: Record,
    *,
    client_name: str,
    site: Record | None,
    people: list[Attendee],
) -> str:
    """The event's description: the client, where, who comes (names and titles) and the agenda. Never
    our objectives (what we want out of them, "for our own eyes" in the brief), stance, influence,
    personality, sensitivities, notes or risks: the client's people read it."""
    lines = [client_name] if client_name else []
    if site is not None:
        where = ", ".join(part for part in (_one_line(site["name"]), _one_line(site["address"])) if part)
        lines.append(f"Where: {where}")
    if people:
        lines.append("Who: " + "; ".join(f"{p.name} ({p.title})" if p.title else p.name for p in people))
    agenda = str(meeting["agenda"] or "").strip()
    if agenda:
        lines += ["", "Agenda:", agenda]
    return "\n".join(lines)


def meeting_invite(workspace: Workspace, *, meeting_id: str) -> MeetingInvite:
    """The meeting's calendar entry, read from the workspace."""
    meeting = workspace.get(kind="meeting", id=meeting_id)
    return _invite(meeting, _known(workspace, [meeting]))


def _invite(meeting: Record, known: _Known) -> MeetingInvite:
    client = known.clients.get(str(meeting["client_id"]))
    site = known.sites.get(str(meeting["site_id"])) if meeting["site_id"] else None
    people = _attendees(meeting, known)
    organizer = None
    owner = known.colleagues.get(owner_id(meeting, client) or "") if client is not None else None
    if owner is not None and owner["email"]:
        organizer = (str(owner["name"]), str(owner["email"]))
    location = None
    if site is not None:
        location = ", ".join(p for p in (_one_line(site["name"]), _one_line(site["address"])) if p) or None
    description = client_summary(
        meeting, client_name=str(client["name"]) if client else "", site=site, people=people
    )
    return MeetingInvite(meeting, organizer, tuple(people), location, description)


def upcoming_invites(workspace: Workspace, *, since: dt.datetime) -> list[MeetingInvite]:
    """Every meeting that ends (or, without an end, starts) at or after `since`, cancelled ones too (so a
    calendar subscribed to them drops them), by start."""
    cutoff = since.astimezone(dt.UTC)
    chosen = []
    for meeting in workspace.list(kind="meeting"):
        last = meeting["ends_at"] or meeting["starts_at"]
        ends = dt.datetime.fromisoformat(str(last))
        if meeting["all_day"]:
            ends = moved(ends, dt.timedelta(days=1))  # its last day is taken whole
        if ends >= cutoff:
            chosen.append(meeting)
    chosen.sort(key=lambda m: (str(m["starts_at"]), m.id))
    known = _known(workspace, chosen)
    return [_invite(meeting, known) for meeting in chosen]
