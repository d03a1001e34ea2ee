"""Reviews with the client: when each client's next review is due by its cadence, and a review's agreed actions.

A client's next review is due on its latest review's `next_review` when one was set, else on the latest
review's `held_on` plus the client's `review_every_days`. A client with a cadence and no review at all is
due from today ("never reviewed"). Former clients are never due. Read with a few narrow columns, so home
stays quick over a workspace of thousands of clients.
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


def latest_reviews(
    workspace: Workspace, *, client_id: str | None = None
) -> dict[str, tuple[str, str, str | None]]:
    """Each client's latest review (the latest held; of two on one day, the one with the later next date):
    client id → (review id, held on, next review)."""
    latest: dict[str, tuple[str, str, str | None]] = {}
    for review_id, owner, held_on, next_review in workspace.columns(
        kind="review", fields=("id", "client_id", "held_on", "next_review"), ordered=False
    ):
        if client_id is not None and owner != client_id:
            continue
        known = latest.get(owner)
        if known is None or (str(held_on), str(next_review or ""), review_id) > (
            known[1],
            str(known[2] or ""),
            known[0],
        ):
            latest[owner] = (review_id, str(held_on), next_review)
    return latest


def reviews_due(
    workspace: Workspace,
    *,
    today: dt.date,
    client_id: str | None = None,
    within_days: int | None = REVIEW_HORIZON_DAYS,
) -> list[ReviewDue]:
    """The clients whose next review is overdue or due within `within_days` (every due date when None),
    the most overdue first. Former clients are never due."""
    latest = latest_reviews(workspace, client_id=client_id)
    until = today + dt.timedelta(days=within_days) if within_days is not None else None
    found = []
    for cid, name, status, every, owner in workspace.columns(
        kind="client", fields=("id", "name", "status", "review_every_days", "owner_id"), ordered=False
    ):
        if status == "former" or (client_id is not None and cid != client_id):
            continue
        review_id, held_on, next_review = latest.get(cid, (None, None, None))
        due = next_review_due(held_on=held_on, next_review=next_review, every_days=every, today=today)
        if due is None or (until is not None and due > until):
            continue
        found.append(
            ReviewDue(
                cid,
                str(name),
                owner,
                due,
                int(every) if every else None,
                dt.date.fromisoformat(held_on) if held_on else None,
                review_id,
            )
        )
    found.sort(key=lambda r: (r.due, r.client_name.lower(), r.client_id))
    return found


def client_reviews(workspace: Workspace, *, client_id: str) -> list[Record]:
    """A client's reviews, the latest first."""
    found = workspace.list(kind="review", where={"client_id": client_id})
    return sorted(found, key=lambda r: (str(r["held_on"]), str(r["next_review"] or ""), r.id), reverse=True)


def agreed_actions(workspace: Workspace, *, review_id: str) -> list[Record]:
    """The actions agreed in a review: the open ones first (the soonest due first, undated last), then
    those done."""
    found = workspace.list(kind="action", where={"review_id": review_id})
    return sorted(
        found,
        key=lambda a: (bool(a["done"]), a["due"] is None, str(a["due"] or ""), str(a["text"]).lower(), a.id),
    )
