"""The Portfolio page's read of the ranking on the database thread."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the page is built before the services are loaded
    from companion.core.scorecard import PortfolioRow


def ranking(ws, *, by: str | None, today: dt.date | None = None) -> list[PortfolioRow]:
    """Every client that is not a former one, best first by the perspective `by` (None: overall)."""
    from companion.core.scorecard import portfolio

    return portfolio(ws, today=today, by=by)
