"""Home's jobs on the database thread."""

from __future__ import annotations

from companion.core.attention import Attention, attention


def attention_today(ws) -> Attention:
    """What needs attention today: overdue people, stale sites, follow-ups, meetings."""
    return attention(ws)
