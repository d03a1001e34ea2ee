"""The people feature's jobs on the database thread: the directory of everyone, moving a person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: start-up needs none of it
    from companion.core.changes import ChangeSet


def count_contacts(ws) -> int:
    """Reads how many people the workspace knows: the directory's rows."""
    return ws.count(kind="contact")


def contacts_page(ws, *, offset: int, limit: int) -> list[tuple]:
    """Reads one page of people in name order with the directory's columns (the view with no search and
    the name order: the index makes any page cheap)."""
    ids = [row[0] for row in ws.page(kind="contact", fields=("name",), offset=offset, limit=limit)]
    return ws.directory_rows(ids=ids)


def directory_ids(ws, *, text: str, order: str, descending: bool) -> list[str]:
    """Reads the ids of the people a search finds, in a column's order."""
    return ws.directory_ids(text=text, order=order, descending=descending)


def directory_rows(ws, *, ids: Sequence[str]) -> list[tuple]:
    """Reads the directory's columns of these people, in this order."""
    return ws.directory_rows(ids=ids)


def move_person(
    ws, *, contact_id: str, from_position_id: str, to_client_id: str, title: str | None, on_date: str
) -> ChangeSet:
    """Writes a person's move as one step: their role here ends on the day, a new one starts at the other
    client."""
    from companion.core.people import move_person as move

    return move(
        ws,
        contact_id=contact_id,
        from_position_id=from_position_id,
        to_client_id=to_client_id,
        title=title,
        on_date=on_date,
    )
