"""The team's jobs on the database thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.core.changes import Record


def colleagues(ws) -> list[Record]:
    """Reads every colleague, by name."""
    return sorted(ws.list(kind="colleague"), key=lambda c: str(c["name"]).casefold())
