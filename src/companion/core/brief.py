"""The meeting brief: what to read in the car park, gathered in one place for the screen, PDF and calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core import checklist
from companion.core.changes import Record
from companion.core.meetings import checklist_items, gather
from companion.core.people import describe_tie, ties_of
from companion.model.kinds import get_kind
from companion.model.labels import choice_label

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# Open items beyond this many are counted, not listed: the brief stays within two pages.
OPEN_ITEMS_LISTED = 12


@dataclass(frozen=True)
class BriefPerson:
    name: str
    role: str  # "CFO · economic buyer · stance: sceptic · influence 5/5"
    stance: str | None
    cares_about: str | None
    sensitivities: str | None
    personality: str | None
    preferences: str | None
    handling: str | None  # how to handle a difficult person
    last_contact: str | None
    notes: tuple[str, ...] = ()  # "left on 2026-11-15", "culture role model"
    ties: tuple[str, ...] = ()  # "Rival of Kari Nygaard (strength 4/5): …", from this person's side


@dataclass(frozen=True)
class BriefRule:
    text: str
    must: bool
    about: str  # "" for the client, else the site or person it is about


@dataclass(frozen=True)
class Brief:
    meeting_id: str
    title: str
    client: str
    when: str
    status: str
    site: str | None
    address: str | None
    ours: tuple[str, ...]
    people: tuple[BriefPerson, ...]
    dos: tuple[BriefRule, ...]
    donts: tuple[BriefRule, ...]
    dress_code: str | None
    security: tuple[tuple[str, str], ...]
    arrival: str | None
    objectives: str | None
    agenda: str | None
    follow_ups: tuple[str, ...]
    warnings: tuple[str, ...]
    percent: int
    done: int
    total: int
    open_musts: tuple[str, ...]
    open_items: tuple[str, ...]
    more_open: int

    @property
    def summary(self) -> str:
        """A few plain lines for a calendar entry's description."""
        lines = [f"{self.client} · {self.when}"]
        if self.site:
            lines.append(f"Where: {self.site}")
        if self.people:
            lines.append(
                "Who: " + "; ".join(f"{p.name} ({p.role})" if p.role else p.name for p in self.people)
            )
        if self.dress_code:
            lines.append(f"Dress code: {self.dress_code}")
        musts = [r.text for r in (*self.dos, *self.donts) if r.must]
        if musts:
            lines.append("Must: " + "; ".join(musts))
        if self.objectives:
            lines += ["", "Objectives:", self.objectives]
        lines += ["", f"Preparation: {self.percent}% ticked ({self.done} of {self.total})"]
        return "\n".join(lines)


def format_when(starts_at: object, ends_at: object) -> str:
    """'Thu 10 Dec 2026, 09:00–11:30' in the laptop's time zone."""
    starts = dt.datetime.fromisoformat(str(starts_at)).astimezone()
    text = f"{starts:%a %d %b %Y, %H:%M}"
    if ends_at:
        ends = dt.datetime.fromisoformat(str(ends_at)).astimezone()
        text += f"–{ends:%H:%M}" if ends.date() == starts.date() else f" – {ends:%a %d %b %Y, %H:%M}"
    return text


def _person(attendee: checklist.Attendee, last_contact: str | None, ties: tuple[str, ...]) -> BriefPerson:
    contact, position = attendee.contact, attendee.position
    notes = []
    if attendee.left and position is not None:
        notes.append(f"left on {position['ended']}")
    if position is None:
        notes.append("no role recorded here")
    if position is not None and position["role_model"]:
        notes.append("culture role model")
    handling = None
    if contact["difficult"]:
        handling = str(
            contact["difficult_handling"] or "difficult; nobody has written down how to handle them"
        )
    return BriefPerson(
        name=attendee.name,
        role=checklist.role_line(position) if position is not None else "",
        stance=str(position["stance"]) if position is not None and position["stance"] else None,
        cares_about=_text(contact["motivators"]),
        sensitivities=_text(contact["sensitivities"]),
        personality=_text(contact["personality"]),
        preferences="; ".join(checklist.preference_lines(contact)) or None,
        handling=handling,
        last_contact=last_contact,
        notes=tuple(notes),
        ties=ties,
    )


def _text(value: object) -> str | None:
    return str(value).strip() if value and str(value).strip() else None


def build_brief(workspace: Workspace, *, meeting_id: str, today: dt.date | None = None) -> Brief:
    meeting = workspace.get(kind="meeting", id=meeting_id)
    inputs = gather(workspace, meeting, today=today)
    site = inputs.site
    names = {a.contact.id: a.name for a in inputs.attendees}
    dos, donts = [], []
    for rule, source in checklist.applicable_rules(inputs):
        about = ""
        if source == "site" and site is not None:
            about = str(site["name"])
        elif source == "attendee":
            about = names.get(str(rule["contact_id"]), "")
        entry = BriefRule(checklist.rule_text(rule), rule["severity"] == "must", about)
        (dos if rule["polarity"] == "do" else donts).append(entry)
    site_kind = get_kind("site")
    security = tuple(
        (site_kind.field(name).label, str(site[name]).strip())  # type: ignore[union-attr]
        for name in (
            "security_id",
            "security_escort",
            "security_ppe",
            "security_devices",
            "security_photography",
        )
        if site is not None and site[name]
    )
    last = workspace.last_contact_dates(contact_ids=list(names))
    promises = []
    seen: set[str] = set()
    for attendee in inputs.attendees:
        for follow_up, _interaction in attendee.open_follow_ups:
            if follow_up.id not in seen:
                seen.add(follow_up.id)
                due = f" (due {follow_up['due']})" if follow_up["due"] else ""
                promises.append(f"{follow_up['text']}{due}")
    items = checklist_items(workspace, meeting_id)
    state = checklist.readiness(items)
    shown = checklist.shown(items)
    warnings = tuple(str(i["text"]) for i in shown if i["source"] == "warning")
    # Site, rule and attendee items are in the brief's own sections: the checklist part lists the rest.
    to_do = [i for i in shown if not i["done"] and i["source"] in ("template", "manual", None)]
    musts = [i for i in to_do if i["must"]]
    still_open = [i for i in to_do if not i["must"]]
    colleagues = workspace.get_many(kind="colleague", ids=[str(c) for c in meeting["colleague_ids"] or ()])
    return Brief(
        meeting_id=meeting_id,
        title=str(meeting["title"]),
        client=str(inputs.client["name"]),
        when=format_when(meeting["starts_at"], meeting["ends_at"]),
        status=choice_label(str(meeting["status"] or "planned")),
        site=str(site["name"]) if site is not None else None,
        address=_text(site["address"]) if site is not None else None,
        ours=tuple(str(c["name"]) for c in colleagues.values() if c.deleted_at is None),
        people=tuple(
            _person(
                a,
                last.get(a.contact.id),
                tuple(map(describe_tie, ties_of(workspace, contact_id=a.contact.id))),
            )
            for a in inputs.attendees
        ),
        dos=tuple(dos),
        donts=tuple(donts),
        dress_code=_text(site["dress_code"]) if site is not None else None,
        security=security,
        arrival=_text(site["arrival"]) if site is not None else None,
        objectives=_text(meeting["objectives"]),
        agenda=_text(meeting["agenda"]),
        follow_ups=tuple(promises),
        warnings=warnings,
        percent=state.percent,
        done=state.done,
        total=state.total,
        open_musts=tuple(_item_line(i) for i in musts),
        open_items=tuple(_item_line(i) for i in still_open[:OPEN_ITEMS_LISTED]),
        more_open=max(0, len(still_open) - OPEN_ITEMS_LISTED),
    )


def _item_line(item: Record) -> str:
    section = checklist.section_of(item)
    text = str(item["text"])
    return f"{section}: {text}" if section and section != checklist.ADDED_SECTION else text
