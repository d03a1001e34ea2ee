"""What needs attention today: overdue people, role models to reassess, stale sites, follow-ups, meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from companion.core.kinds import get_kind
from companion.core.service import Workspace
from companion.store import queries
from companion.store import records as rows

Reason = Literal["overdue_contact", "role_model_due", "stale_site", "follow_up_due", "upcoming_meeting"]

# A site's security notes older than this are no longer to be trusted at the gate.
STALE_SITE_DAYS = 180
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


def attention(workspace: Workspace, *, today: dt.date | None = None) -> list[AttentionItem]:
    """Everything due, most overdue first."""
    today = today or dt.date.today()
    items: list[AttentionItem] = []
    with workspace.db.reading() as conn:
        holders = queries.current_position_holders(conn)
        last = queries.last_contact_dates(conn)
        for contact in rows.select_rows(conn, get_kind("contact")):
            every = contact["visit_frequency_days"]
            if not every or contact["id"] not in holders:
                continue  # no rhythm agreed, or no longer at any client
            seen = last.get(contact["id"])
            if seen is None:
                items.append(
                    AttentionItem("overdue_contact", "contact", contact["id"], contact["name"],
                                  f"never contacted; wants contact every {every} days", today.isoformat(),
                                  holders[contact["id"]][0])
                )
                continue
            due = dt.date.fromisoformat(seen) + dt.timedelta(days=every)
            if due <= today:
                items.append(
                    AttentionItem("overdue_contact", "contact", contact["id"], contact["name"],
                                  f"last contact {seen}, {_days(today, due)} days overdue (every {every} days)",
                                  due.isoformat(), holders[contact["id"]][0])
                )
        for position in rows.select_rows(conn, get_kind("position"), where={"role_model": True}):
            due = position["role_model_reassess_by"]
            if position["ended"] or due is None or due > today.isoformat():
                continue
            person = rows.fetch(conn, get_kind("contact"), [position["contact_id"]]).get(position["contact_id"])
            name = person["name"] if person else position["title"] or "Role model"
            items.append(
                AttentionItem("role_model_due", "position", position["id"], name,
                              f"culture role model; reassess by {due}", due, position["client_id"])
            )
        horizon = today - dt.timedelta(days=STALE_SITE_DAYS)
        for site in rows.select_rows(conn, get_kind("site")):
            verified = site["last_verified"]
            if verified is not None and verified > horizon.isoformat():
                continue
            detail = f"security notes last verified {verified}" if verified else "security notes never verified"
            due = (dt.date.fromisoformat(verified) + dt.timedelta(days=STALE_SITE_DAYS)).isoformat() if verified else today.isoformat()
            items.append(AttentionItem("stale_site", "site", site["id"], site["name"], detail, due, site["client_id"]))
        soon = (today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS)).isoformat()
        for follow in rows.select_rows(conn, get_kind("follow_up")):
            if follow["done"] or follow["due"] is None or follow["due"] > soon:
                continue
            state = "overdue since" if follow["due"] < today.isoformat() else "due"
            items.append(
                AttentionItem("follow_up_due", "follow_up", follow["id"], follow["text"], f"{state} {follow['due']}", follow["due"])
            )
        until = today + dt.timedelta(days=MEETING_HORIZON_DAYS)
        for meeting in rows.select_rows(conn, get_kind("meeting")):
            if meeting["status"] not in (None, "planned", "ready"):
                continue
            starts = dt.datetime.fromisoformat(meeting["starts_at"])
            if not today <= starts.date() <= until:
                continue
            items.append(
                AttentionItem("upcoming_meeting", "meeting", meeting["id"], meeting["title"],
                              f"{starts:%a %d %b %H:%M}", starts.date().isoformat(), meeting["client_id"])
            )
    items.sort(key=lambda item: (item.reason == "upcoming_meeting", item.due, item.title))
    return items
