"""The meetings feature's jobs on the database thread: plans, a meeting, its brief, templates, calendars."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: start-up needs none of it
    from companion.core.calendar_import import CalendarImport
    from companion.core.changes import ChangeSet, Edit, Record
    from companion.core.meetings import MeetingPage


@dataclass(frozen=True)
class LoadedMeeting:
    """A meeting's page and its brief, read after its checklist was brought up to date (`changes`: what
    that kept in step, announced as derived, not an undo step)."""

    changes: ChangeSet
    page: MeetingPage
    brief: str  # Markdown


@dataclass(frozen=True)
class PlanChoices:
    """What a meeting at a client can be planned with; `changes` are the built-in templates the workspace
    never had, made on the way (derived, not an undo step)."""

    changes: ChangeSet
    client_id: str
    sites: list[tuple[str, str]]  # (id, name)
    people: list[tuple[str, str]]  # (contact id, "Name — title"), current roles only
    colleagues: list[tuple[str, str]]
    templates: list[tuple[str, str]]


@dataclass(frozen=True)
class ChecklistTemplates:
    """Every checklist template and its items in order; `changes` are the built-in templates the
    workspace never had, made on the way (derived, not an undo step)."""

    changes: ChangeSet
    templates: list[Record]
    items: dict[str, list[Record]]  # by template id, by position then text


# --- a meeting's page ----------------------------------------------------------------------------


def meeting_page(ws, *, meeting_id: str) -> LoadedMeeting:
    """Recomposes the meeting's checklist (what is known may have changed), then reads its page and brief."""
    from companion.core.meetings import refresh_meeting_page
    from companion.render.brief import brief_document

    changes, page = refresh_meeting_page(ws, meeting_id=meeting_id)
    return LoadedMeeting(changes, page, brief_document(ws, meeting_id=meeting_id)[1])


def tick_item(ws, *, item_id: str, done: bool) -> ChangeSet:
    """Ticks or unticks one item of a meeting's checklist."""
    from companion.core.meetings import set_done

    return set_done(ws, item_id=item_id, done=done)


def add_item(ws, *, meeting_id: str, text: str, must: bool) -> ChangeSet:
    """Writes an item of the person's own to a meeting's checklist."""
    from companion.core.meetings import add_item as add

    return add(ws, meeting_id=meeting_id, text=text, must=must)


def remove_item(ws, *, item_id: str) -> ChangeSet:
    """Removes an item from a meeting's checklist (this meeting only)."""
    from companion.core.meetings import remove_item as remove

    return remove(ws, item_id=item_id)


def brief(ws, *, meeting_id: str) -> tuple[str, str]:
    """The meeting's brief (title, Markdown), its checklist recomposed first: what a PDF prints."""
    from companion.core.meetings import recompose
    from companion.render.brief import brief_document

    recompose(ws, meeting_id=meeting_id)
    return brief_document(ws, meeting_id=meeting_id)


def meeting_calendar(ws, *, meeting_id: str) -> bytes:
    """Reads the meeting as an .ics file: its owner the organiser, a summary its attendees may read."""
    from companion.interchange.ics import meeting_calendar as calendar

    return calendar(ws, meeting_id=meeting_id)


# --- planning ------------------------------------------------------------------------------------


def plan_choices(ws, *, client_id: str) -> PlanChoices:
    """Reads the client's sites and current people, every colleague and every template (writing the
    built-in templates if missing)."""
    from companion.core.people import people_at
    from companion.core.templates import ensure_built_in_templates

    added = ensure_built_in_templates(ws)
    sites = [(s.id, str(s["name"])) for s in ws.list(kind="site", where={"client_id": client_id})]
    people = []
    for person in people_at(ws, client_id=client_id, include_past=False):
        title = f" — {person.position['title']}" if person.position["title"] else ""
        people.append((person.contact.id, f"{person.name}{title}"))
    colleagues = [(str(c[0]), str(c[1])) for c in ws.columns(kind="colleague", fields=("id", "name"))]
    templates = [(str(t[0]), str(t[1])) for t in ws.columns(kind="checklist_template", fields=("id", "name"))]
    return PlanChoices(added, client_id, sites, list(dict.fromkeys(people)), colleagues, templates)


def plan_meeting(ws, *, values: Mapping[str, object]) -> ChangeSet:
    """Writes a new meeting and its composed checklist as one step."""
    from companion.core.meetings import plan_meeting as plan

    return plan(ws, values=values)


# --- checklist templates -------------------------------------------------------------------------


def checklist_templates(ws) -> ChecklistTemplates:
    """Reads every checklist template and its items (writing the built-in templates if missing)."""
    from companion.core.templates import ensure_built_in_templates

    added = ensure_built_in_templates(ws)
    templates = ws.list(kind="checklist_template")
    items: dict[str, list] = {}
    for item in ws.list(kind="checklist_template_item", where={"template_id": [t.id for t in templates]}):
        items.setdefault(str(item["template_id"]), []).append(item)
    for rows in items.values():
        rows.sort(key=lambda i: (i["position"] or 0, str(i["text"])))
    return ChecklistTemplates(added, templates, items)


def new_template(ws) -> ChangeSet:
    """Writes an empty checklist template called "New template"."""
    return ws.create(kind="checklist_template", values={"name": "New template"})


def delete_template(ws, *, template_id: str) -> ChangeSet:
    """Deletes a checklist template and its items."""
    return ws.delete(kind="checklist_template", id=template_id, cascade=True)


def add_template_item(ws, *, values: dict) -> ChangeSet:
    """Writes a new item of a checklist template (its template, text, must and position in `values`)."""
    return ws.create(kind="checklist_template_item", values=values)


def change_template_item(ws, *, item_id: str, values: dict) -> ChangeSet:
    """Writes a template item's text and whether it must be done."""
    return ws.update(kind="checklist_template_item", id=item_id, values=values)


def remove_template_item(ws, *, item_id: str) -> ChangeSet:
    """Deletes one item of a checklist template."""
    return ws.delete(kind="checklist_template_item", id=item_id)


def reorder_template_items(ws, *, edits: Sequence[Edit]) -> ChangeSet:
    """Writes template items' new positions as one step."""
    return ws.apply(edits=list(edits), label="Reorder template items")


# --- calendars -----------------------------------------------------------------------------------


def calendar_series(ws, *, path: Path) -> int:
    """How many recurring series the calendar file holds (a quick look, nothing parsed or written): the
    window is asked for only when there are some."""
    from companion.interchange.ics import count_series
    from companion.model.errors import BundleError

    try:
        return count_series(Path(path).read_bytes())
    except OSError as exc:
        raise BundleError(f"Cannot read {path}: {exc.strerror or exc}.") from None


def import_calendar(ws, *, path: Path, client_id: str | None, days: int) -> CalendarImport:
    """Meetings from an .ics file, recurring series as their meetings of the next `days` days; the
    client on screen (`client_id`) takes events whose attendees nobody here knows. Events that cannot go
    in are skipped and named in the report with why; its `changes` are the undo step. A file that is no
    calendar at all is refused whole, nothing written."""
    from companion.core.calendar_import import import_calendar as import_events
    from companion.interchange.ics import read_ics

    calendar = read_ics(Path(path), window_days=days)
    return import_events(ws, calendar=calendar, client_id=client_id)
