"""Reviews with the client: when each client's next review is due by its cadence, and a review's agreed actions.

A client's next review is due on its latest review's `next_review` when one was set, else on the latest
review's `held_on` plus the client's `review_every_days`. A client with a cadence and no review at all is
due from today ("never reviewed"). Former clients are never due. `next_review_due` says the rule;
`reviews_due` reads it in one SQL query (store/review_cadence.py), so home stays quick over a workspace of
10,000 clients.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.changes import Record

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# Home lists the reviews overdue and those due within this many days.
REVIEW_HORIZON_DAYS = 14


@dataclass(frozen=True)
class ReviewDue:
    """A client whose next review is due (or soon), and what that date was worked out from."""

    client_id: str
    client_name: str
    owner_id: str | None  # the client's account owner
    due: dt.date
    every_days: int | None  # the client's cadence; None when only a review's next date says when
    last_held: dt.date | None  # the latest review's date; None: never reviewed
    last_review_id: str | None

    def days_late(self, today: dt.date) -> int:
        """How many days overdue (negative: due in that many days)."""
        return (today - self.due).days

    def phrase(self, today: dt.date) -> str:
        """ "never reviewed (every 90 days)", "last review Mon 01 Jun 2026, every 90 days · overdue 12 days"."""
        cadence = f"every {_days(self.every_days)}" if self.every_days else "date set at the last review"
        if self.last_held is None:
            return f"never reviewed ({cadence})"
        late = self.days_late(today)
        if late > 0:
            when = f"overdue {_days(late)} (due {self.due:%a %d %b})"
        elif late == 0:
            when = "due today"
        else:
            when = f"due in {_days(-late)} ({self.due:%a %d %b})"
        return f"last review {self.last_held:%a %d %b %Y}, {cadence} · {when}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def next_review_due(
    *, held_on: str | None, next_review: str | None, every_days: int | None, today: dt.date
) -> dt.date | None:
    """When the next review is due, from the latest review's date and next date and the cadence: its next
    date when set, else its date plus the cadence; with no review, today when there is a cadence; None when
    nothing says when."""
    if next_review:
        return dt.date.fromisoformat(str(next_review))
    if held_on is None:
        return today if every_days else None
    if every_days:
        return dt.date.fromisoformat(str(held_on)) + dt.timedelta(days=int(every_days))
    return None


def reviews_due(
    workspace: Workspace,
    *,
    today: dt.date,
    client_id: str | None = None,
    within_days: int | None = REVIEW_HORIZON_DAYS,
) -> list[ReviewDue]:
    """The clients whose next review is overdue or due within `within_days` (every due date when None),
    the most overdue first. Former clients are never due. Worked out in SQL (store/review_cadence.py, the
    rule of `next_review_due`): of 10,000 clients only those due come back."""
    from companion.store.review_cadence import reviews_due_rows

    until = (today + dt.timedelta(days=within_days)).isoformat() if within_days is not None else None
    with workspace.db.reading() as conn:
        rows = reviews_due_rows(conn, today=today.isoformat(), until=until, client_id=client_id)
    found = [
        ReviewDue(
            cid,
            str(name),
            owner,
            dt.date.fromisoformat(due),
            int(every) if every else None,
            dt.date.fromisoformat(held_on) if held_on else None,
            review_id,
        )
        for cid, name, owner, every, review_id, held_on, due in rows
    ]
    found.sort(key=lambda r: (r.due, r.client_name.lower(), r.client_id))
    return found


def client_reviews(workspace: Workspace, *, client_id: str) -> list[Record]:
    """A client's reviews, the latest first."""
    found = workspace.list(kind="review", where={"client_id": client_id})
    return sorted(found, key=lambda r: (str(r["held_on"]), str(r["next_review"] or ""), r.id), reverse=True)


def agreed_actions(workspace: Workspace, *, review_id: str) -> list[Record]:
    """The actions agreed in a review: the open ones first (the soonest due first, undated last), then
    those done."""
    return sorted(workspace.list(kind="action", where={"review_id": review_id}), key=agreed_order)


def agreed_order(action: Record) -> tuple:
    """Open actions first, the soonest due first and undated last, then those done."""
    return (
        bool(action["done"]),
        action["due"] is None,
        str(action["due"] or ""),
        str(action["text"]).lower(),
        action.id,
    )
