"""The clients feature's jobs on the database thread: the client list, a client's page, what they write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from companion.ui.clients.list_panel import CLIENT_COLUMNS

if TYPE_CHECKING:  # imported where used: start-up reads only the client list
    from companion.core.account_plan import PlanSection
    from companion.core.changes import ChangeSet, Edit
    from companion.core.client_view import ClientPage
    from companion.core.meetings import FollowUp
    from companion.core.people import Career, Person


def client_list(ws) -> tuple[list[tuple], list[tuple]]:
    """Every client (CLIENT_COLUMNS) and every colleague (id, name): the list and its owner filter."""
    return (
        ws.columns(kind="client", fields=CLIENT_COLUMNS),
        [tuple(r) for r in ws.columns(kind="colleague", fields=("id", "name"))],
    )


def client_page(ws, *, client_id: str) -> ClientPage:
    """Everything a client's page shows, in one read."""
    from companion.core.client_view import load_client_page

    return load_client_page(ws, client_id=client_id)


def plan_section(ws, *, client_id: str, plan_id: str | None = None) -> PlanSection:
    """A client's account plan (the one asked for, else the one shown first) and what stands around it."""
    from companion.core.account_plan import load_plan_section

    return load_plan_section(ws, client_id=client_id, plan_id=plan_id)


def plan_of(ws, *, kind: str, record_id: str) -> str | None:
    """The plan a record is part of, if it is part of one."""
    from companion.core.account_plan import plan_of as find

    return find(ws, kind=kind, record_id=record_id)


def career(ws, *, contact_id: str) -> Career:
    """A person, their roles here and elsewhere: the contact card."""
    from companion.core.people import career_of

    return career_of(ws, contact_id=contact_id)


def current_people(ws, *, client_id: str) -> list[Person]:
    """The people who work at a client now (past roles left out): who took part in an interaction."""
    from companion.core.people import people_at

    return people_at(ws, client_id=client_id, include_past=False)


def log_meeting(
    ws,
    *,
    meeting_id: str,
    summary: str | None,
    sentiment: str | None,
    follow_ups: Sequence[FollowUp],
    contact_ids: Sequence[str],
    on_date: str,
) -> ChangeSet:
    """Writes what happened at a meeting: the interaction with the people who came, its follow-ups, and
    the meeting marked held, as one step."""
    from companion.core.meetings import log_meeting as log

    return log(
        ws,
        meeting_id=meeting_id,
        summary=summary,
        sentiment=sentiment,
        follow_ups=follow_ups,
        contact_ids=contact_ids,
        on_date=on_date,
    )


def write(ws, *, edits: Sequence[Edit], label: str) -> ChangeSet:
    """Several edits made as one step a person can undo (a new person with their role, an interaction
    with its follow-ups)."""
    return ws.apply(edits=list(edits), label=label)


def snooze_follow_up(ws, *, follow_up_id: str, days: int = 7) -> ChangeSet:
    """Puts a follow-up off: due `days` later than it was, or than today when it was due already."""
    import datetime as dt

    from companion.core.changes import Edit

    follow_up = ws.get(kind="follow_up", id=follow_up_id)
    today = dt.date.today()
    due = dt.date.fromisoformat(str(follow_up["due"])) if follow_up["due"] else today
    new_due = max(due, today) + dt.timedelta(days=days)
    return ws.apply(
        edits=[Edit("update", "follow_up", follow_up_id, {"due": new_due.isoformat()})],
        label="Snooze follow-up",
    )
