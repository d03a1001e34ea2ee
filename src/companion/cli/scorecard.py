"""`companion scorecard CLIENT` and `companion portfolio`: a client's balanced scorecard, and every client ranked by a perspective, as text, CSV or PDF."""

from __future__ import annotations

from pathlib import Path

from companion.cli.common import EXIT_OK, bad_input, day_option, require_exports, workspace

# The portfolio's client column is cut to this width, with "…".
CLIENT_WIDTH = 30


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "scorecard", help="a client's balanced scorecard: four perspectives, their figures and why"
    )
    p.add_argument("client", metavar="CLIENT", help="the client's name, an alias or its id")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="read as of this day (default: today)")
    p.set_defaults(handler=_cmd_scorecard)
    p = sub.add_parser("portfolio", help="every client ranked by a perspective of the scorecard, or overall")
    p.add_argument(
        "--by",
        metavar="PERSPECTIVE",
        help="financial, customer, internal_process or learning_and_growth (default: the overall score)",
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="read as of this day (default: today)")
    p.add_argument("--csv", metavar="FILE.csv", help="write the ranking as CSV")
    p.add_argument("--pdf", metavar="FILE.pdf", help="write the ranking as a PDF")
    p.add_argument("--page-size", choices=("a4", "letter"), default="a4")
    p.set_defaults(handler=_cmd_portfolio)


def _as_of(text: str | None):
    import datetime as dt

    return day_option("--as-of", text) or dt.date.today()


def _perspective(text: str | None) -> str | None:
    from companion.core.scorecard import PERSPECTIVES

    if text is None:
        return None
    wanted = text.strip().lower().replace(" ", "_").replace("-", "_")
    if wanted not in PERSPECTIVES:
        raise bad_input(f"--by: '{text}' is not a perspective; the perspectives: {', '.join(PERSPECTIVES)}.")
    return wanted


def _cmd_scorecard(args) -> int:
    from companion.core.naming import find_client
    from companion.core.scorecard import scorecard

    today = _as_of(args.as_of)
    ws = workspace(args)
    try:
        card = scorecard(ws, client_id=find_client(ws, args.client).id, today=today)
    finally:
        ws.close()
    print(scorecard_text(card), end="")
    return EXIT_OK


def scorecard_text(card) -> str:
    """The scorecard as a person reads it at a terminal: each perspective, its status and why, its figures."""
    from companion.core.scorecard import PERSPECTIVE_RULE, STATUS_LABELS

    lines = [f"Scorecard of {card.client_name}, as of {card.as_of.isoformat()}", ""]
    for perspective in card.perspectives:
        lines.append(f"{perspective.label}: {STATUS_LABELS[perspective.status]}. {perspective.reason}")
        width = max(len(f.label) for f in perspective.figures)
        for figure in perspective.figures:
            falling = ", falling" if figure.falling else ""
            lines.append(
                f"  {figure.label:<{width}}  {figure.shown:<28}  {STATUS_LABELS[figure.status]}{falling}"
            )
        lines.append("")
    lines.append(f"How a perspective's status is set: {PERSPECTIVE_RULE}")
    return "\n".join(lines) + "\n"


def _cmd_portfolio(args) -> int:
    from companion.core.scorecard import portfolio

    by = _perspective(args.by)
    today = _as_of(args.as_of)
    if args.csv or args.pdf:
        require_exports(args)
        from companion.model.files import check_folder

        for path in (args.csv, args.pdf):
            if path:
                check_folder(Path(path))  # both before either is written
    ws = workspace(args)
    try:
        rows = portfolio(ws, today=today, by=by)
    finally:
        ws.close()
    if args.csv:
        from companion.core.scorecard import portfolio_csv
        from companion.model.files import write_whole

        text = portfolio_csv(rows)
        write_whole(Path(args.csv), lambda part: part.write_text(text, encoding="utf-8"))
        print(f"wrote {args.csv}")
    if args.pdf:
        from companion.render.portfolio import write_portfolio_pdf

        write_portfolio_pdf(rows, Path(args.pdf), by=by, page_size=args.page_size, today=today)
        print(f"wrote {args.pdf}")
    if not (args.csv or args.pdf):
        print(portfolio_text(rows, by=by), end="")
    return EXIT_OK


def portfolio_text(rows, *, by: str | None) -> str:
    """The ranking as a table: rank, client, each perspective's status and score, the overall score."""
    from companion.core.scorecard import PERSPECTIVE_LABELS, PERSPECTIVES, STATUS_LABELS, score_text

    if not rows:
        return "No clients to rank (former clients are left out).\n"
    ranked = PERSPECTIVE_LABELS[by] if by else "the overall score"
    heads = [PERSPECTIVE_LABELS[p] for p in PERSPECTIVES]
    widths = [max(len(h), 12) for h in heads]
    lines = [
        f"{len(rows)} clients ranked by {ranked}, best first",
        f"{'#':>4}  {'Client':<{CLIENT_WIDTH}}  "
        + "  ".join(f"{h:<{w}}" for h, w in zip(heads, widths, strict=True))
        + "  Overall",
    ]  # fmt: skip
    for rank, row in enumerate(rows, 1):
        name = row.name if len(row.name) <= CLIENT_WIDTH else row.name[: CLIENT_WIDTH - 1] + "…"
        cells = []
        for perspective, width in zip(PERSPECTIVES, widths, strict=True):
            score = score_text(row.scores[perspective])
            cell = STATUS_LABELS[row.statuses[perspective]] + (f" {score}" if score else "")
            cells.append(f"{cell:<{width}}")
        overall = score_text(row.overall) or "—"
        lines.append(f"{rank:>4}  {name:<{CLIENT_WIDTH}}  " + "  ".join(cells) + f"  {overall}")
    return "\n".join(lines) + "\n"
