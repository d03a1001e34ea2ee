"""Home's jobs on the database thread: the worklist, and settling, snoozing and waking its items, and
accepting or dismissing its early warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from companion.core import attention as _attention
from companion.core.attention import Attention, Filters
from companion.core.changes import ChangeSet


@dataclass(frozen=True)
class Worklist:
    """What home shows: the worklist after its filters, and the colleagues one may say one is."""

    attention: Attention
    colleagues: tuple[tuple[str, str], ...]  # (id, name), by name


def load_worklist(ws, *, filters: Filters) -> Worklist:
    """Today's worklist (a colleague's, a client's, snoozed items shown or not) and the colleagues."""
    colleagues = tuple((str(i), str(n)) for i, n in ws.columns(kind="colleague", fields=("id", "name")))
    return Worklist(_attention.attention(ws, filters=filters), colleagues)


def client_choices(ws) -> list[tuple[str, str]]:
    """Every client as (id, name), by name: what the client filter completes."""
    return [(str(i), str(n)) for i, n in ws.columns(kind="client", fields=("id", "name"))]


def mark_done(ws, *, kind: str, record_id: str) -> ChangeSet:
    """Settles an item (a follow-up done, a site verified today, a role model reassessed): undoable."""
    return _attention.mark_done(ws, kind=kind, record_id=record_id)


def snooze(ws, *, kind: str, record_id: str, days: int) -> str:
    """Hides an item from home on this laptop for `days` days; returns the ISO date it comes back."""
    until = dt.date.today() + dt.timedelta(days=days)
    _attention.snooze(ws, kind=kind, record_id=record_id, until=until)
    return until.isoformat()


def wake(ws, *, kind: str, record_id: str) -> None:
    """Brings a snoozed item back now."""
    _attention.wake(ws, kind=kind, record_id=record_id)


def accept_warning(ws, *, key: str) -> ChangeSet:
    """Makes an early warning a risk, with its decision: undoable as one step."""
    from companion.core import early_warning

    return early_warning.accept(ws, key)


def dismiss_warning(ws, *, key: str) -> ChangeSet:
    """Dismisses an early warning: it is not proposed again (undoable)."""
    from companion.core import early_warning

    return early_warning.dismiss(ws, key)
