"""What needs attention today: overdue people, role models to reassess, stale sites, follow-ups, meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

Reason = Literal["overdue_contact", "role_model_due", "stale_site", "follow_up_due", "upcoming_meeting"]

FOLLOW_UP_HORIZON_DAYS = 7
MEETING_HORIZON_DAYS = 14


@dataclass(frozen=True)
class AttentionItem:
    """One thing a person should look at, with the record to open and why."""

    reason: Reason
    kind: str
    record_id: str
    title: str
    detail: str
    due: str  # ISO date the item became (or becomes) due; the list is sorted by it
    client_id: str | None = None


def _days(a: dt.date, b: dt.date) -> int:
    return (a - b).days


@dataclass(frozen=True)
class Attention:
    """The attention list: at most `PER_REASON` items of each reason, and how many there are in all."""

    items: tuple[AttentionItem, ...]
    totals: dict[str, int]

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


# A list of 100,000 overdue people helps nobody: show the most urgent, count the rest.
PER_REASON = 50


def attention(
    workspace: Workspace, *, today: dt.date | None = None, per_reason: int = PER_REASON
) -> Attention:
    """Everything due, most overdue first."""
    from companion.core.staleness import SITE_STALE_DAYS  # here: start-up need not load it

    today = today or dt.date.today()
    items: list[AttentionItem] = []
    overdue, overdue_total = workspace.overdue_contacts(today=today.isoformat(), limit=per_reason)
    for contact_id, name, every, seen, client_id, due in overdue:
        if seen is None:
            detail = f"never contacted; wants contact every {every} days"
        else:
            days = _days(today, dt.date.fromisoformat(due))
            detail = f"last contact {seen}, {days} days overdue (every {every} days)"
        items.append(AttentionItem("overdue_contact", "contact", contact_id, name, detail, due, client_id))
    role_models = [
        p
        for p in workspace.list(kind="position", where={"role_model": True, "ended": None})
        if p["role_model_reassess_by"] is not None and str(p["role_model_reassess_by"]) <= today.isoformat()
    ]
    people = workspace.get_many(kind="contact", ids=[str(p["contact_id"]) for p in role_models])
    for position in role_models:
        person = people.get(str(position["contact_id"]))
        name = str(person["name"]) if person else str(position["title"] or "Role model")
        due = str(position["role_model_reassess_by"])
        items.append(
            AttentionItem(
                "role_model_due",
                "position",
                position.id,
                name,
                f"culture role model; reassess by {due}",
                due,
                str(position["client_id"]),
            )
        )
    horizon = (today - dt.timedelta(days=SITE_STALE_DAYS)).isoformat()
    for site_id, name, verified, client_id in workspace.columns(
        kind="site", fields=("id", "name", "last_verified", "client_id")
    ):
        if verified is not None and verified > horizon:
            continue
        if verified:
            detail = f"security notes last verified {verified}"
            due = (dt.date.fromisoformat(verified) + dt.timedelta(days=SITE_STALE_DAYS)).isoformat()
        else:
            detail, due = "security notes never verified", today.isoformat()
        items.append(AttentionItem("stale_site", "site", site_id, name, detail, due, client_id))
    soon = (today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS)).isoformat()
    for follow_id, text, due, done in workspace.columns(
        kind="follow_up", fields=("id", "text", "due", "done")
    ):
        if done or due is None or due > soon:
            continue
        state = "overdue since" if due < today.isoformat() else "due"
        items.append(AttentionItem("follow_up_due", "follow_up", follow_id, text, f"{state} {due}", due))
    until = today + dt.timedelta(days=MEETING_HORIZON_DAYS)
    upcoming = []
    for meeting_id, title, starts_at, status, client_id in workspace.columns(
        kind="meeting", fields=("id", "title", "starts_at", "status", "client_id")
    ):
        starts = dt.datetime.fromisoformat(starts_at).astimezone()
        if status in (None, "planned", "ready") and today <= starts.date() <= until:
            upcoming.append((meeting_id, title, starts, status, client_id))
    from companion.core.checklist import readiness

    checklists: dict[str, list] = {}
    for item in workspace.list(kind="meeting_checklist_item", where={"meeting_id": [m[0] for m in upcoming]}):
        checklists.setdefault(str(item["meeting_id"]), []).append(item)
    for meeting_id, title, starts, status, client_id in upcoming:
        state = readiness(checklists.get(meeting_id, ()))
        prepared = "ready" if status == "ready" else f"{state.percent}% prepared"
        items.append(
            AttentionItem(
                "upcoming_meeting",
                "meeting",
                meeting_id,
                title,
                f"{starts:%a %d %b %H:%M} · {prepared}",
                starts.date().isoformat(),
                client_id,
            )
        )
    items.sort(key=lambda item: (item.reason == "upcoming_meeting", item.due, item.title))
    totals: dict[str, int] = {}
    for item in items:
        totals[item.reason] = totals.get(item.reason, 0) + 1
    if overdue_total:
        totals["overdue_contact"] = overdue_total
    kept: list[AttentionItem] = []
    shown: dict[str, int] = {}
    for item in items:
        shown[item.reason] = shown.get(item.reason, 0) + 1
        if shown[item.reason] <= per_reason:
            kept.append(item)
    return Attention(tuple(kept), totals)
