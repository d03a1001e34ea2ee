"""The portfolio on paper: every client ranked by a perspective of the scorecard (or overall), each status in words beside its score, and the written rules the statuses come from. QtGui only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from companion.core.markdown import escape
from companion.core.scorecard import (
    MEASURE_RULE,
    OBJECTIVES_RULE,
    PERSPECTIVE_LABELS,
    PERSPECTIVE_RULE,
    PERSPECTIVES,
    RULES,
    STATUS_LABELS,
    STATUS_SCORES,
    PortfolioRow,
    score_text,
)
from companion.render.pdf import write_pdf


def _cell(status: str, score: float | None) -> str:
    """ "Watch (50)"; "No data" alone."""
    return STATUS_LABELS[status] if score is None else f"{STATUS_LABELS[status]} ({score_text(score)})"


def ranked_by(by: str | None) -> str:
    return PERSPECTIVE_LABELS[by] if by else "the overall score"


def portfolio_markdown(
    rows: Sequence[PortfolioRow], *, by: str | None = None, today: dt.date | None = None
) -> str:
    """The ranking as Markdown: the perspective ranked by first, then the others, then the overall score."""
    today = today or dt.date.today()
    order = [by, *(p for p in PERSPECTIVES if p != by)] if by else list(PERSPECTIVES)
    lines = [
        "# Portfolio scorecard",
        "",
        f"{len(rows)} clients ranked by {ranked_by(by)}, best first (no data last),"
        f" as of {today.isoformat()}.",
        "",
        "| Rank | Client | Owner | " + " | ".join(PERSPECTIVE_LABELS[p] for p in order) + " | Overall |",
        "|---:|---|---|" + "---|" * len(order) + "---:|",
    ]
    for rank, row in enumerate(rows, 1):
        cells = [str(rank), escape(row.name), escape(row.owner) or "—"]
        cells += [_cell(row.statuses[p], row.scores[p]) for p in order]
        cells.append(score_text(row.overall) or "—")
        lines.append("| " + " | ".join(cells) + " |")
    good, watch, poor = (
        f"{STATUS_LABELS[s].lower()} {STATUS_SCORES[s]:.0f}" for s in ("good", "watch", "poor")
    )
    lines += [
        "",
        "## How the statuses are set",
        "",
        f"**A perspective's status.** {PERSPECTIVE_RULE}",
        "",
        f"**A perspective's score.** Each of its figures with data counts {good}, {watch}, {poor}; the score"
        " is their mean. The overall score is the mean of the perspectives' scores that have one.",
        "",
        "**The figures.**",
        "",
        f"- Objectives: {OBJECTIVES_RULE}",
        f"- Measures: {MEASURE_RULE}",
        *(
            f"- {text}"
            for text in (RULES[key].text for key in ("nps", "csat", "rating", "sentiment", "coverage"))
        ),
        "",
    ]
    return "\n".join(lines)


def write_portfolio_pdf(
    rows: Sequence[PortfolioRow],
    path: Path,
    *,
    by: str | None = None,
    page_size: str = "a4",
    today: dt.date | None = None,
) -> Path:
    """The ranking as a print-ready PDF (A4 or Letter), written whole or not at all."""
    markdown = portfolio_markdown(rows, by=by, today=today)
    return write_pdf(markdown, Path(path), page_size=page_size, title="Portfolio scorecard")
