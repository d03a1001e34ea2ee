"""Search's jobs on the database thread."""

from __future__ import annotations

RESULTS = 30


def search_everything(ws, *, text: str) -> list:
    """Records of every kind matching the text, names first."""
    return ws.search(text=text, limit=RESULTS)
