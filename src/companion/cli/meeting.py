"""`companion meeting VERB`: upcoming meetings; a meeting's checklist, brief, calendar file and log."""

from __future__ import annotations

import sys
from pathlib import Path

from companion.cli.common import EXIT_OK, require_exports, summarise, workspace


def add_parsers(sub) -> None:
    p = sub.add_parser("meeting", help="meetings: checklist, brief (PDF), calendar files, logging")
    p.set_defaults(handler=_cmd_meeting)
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    v = verbs.add_parser("list", help="meetings from today on, with how far their preparation is")
    v.add_argument("--all", action="store_true", help="past, held and cancelled ones too")
    v = verbs.add_parser("checklist", help="the meeting's composed checklist, brought up to date")
    v.add_argument("id")
    v = verbs.add_parser("brief", help="the meeting brief as Markdown, or as a PDF")
    v.add_argument("id")
    v.add_argument("--pdf", metavar="FILE.pdf", help="write a print-ready PDF instead")
    v.add_argument("--page-size", choices=("a4", "letter"), default="a4")
    v = verbs.add_parser(
        "ics", help="the meeting as an iCalendar event, or (--all) every upcoming meeting as a feed"
    )
    v.add_argument("id", nargs="?")
    v.add_argument(
        "--all", action="store_true", help="every meeting from today on (cancelled ones marked so)"
    )
    v.add_argument("--out", metavar="FILE.ics", help="write to a file instead of standard output")
    v = verbs.add_parser(
        "import-ics", help="import meetings from an .ics file; events that cannot go in are named, skipped"
    )
    v.add_argument("file")
    v.add_argument("--client", metavar="ID", help="the client of events whose attendees are unknown")
    v.add_argument(
        "--days",
        type=int,
        default=None,
        metavar="N",
        help="recurring series become their meetings of the next N days (default 90)",
    )
    v = verbs.add_parser("log", help="log what happened: an interaction with the attendees; marks it held")
    v.add_argument("id")
    v.add_argument("--summary", required=True)
    v.add_argument("--sentiment", choices=("positive", "neutral", "negative", "mixed"))
    v.add_argument(
        "--follow-up", action="append", default=[], metavar="TEXT[@YYYY-MM-DD]", help="repeat for each"
    )


def _cmd_meeting(args) -> int:
    ws = workspace(args)
    try:
        return MEETING_VERBS[args.verb](ws, args)
    finally:
        ws.close()


def _meeting_list(ws, args) -> int:
    import datetime as dt

    from companion.core import checklist, meetings
    from companion.core.brief import format_when

    since = dt.datetime.combine(dt.date.today(), dt.time()).astimezone()
    rows = ws.columns(kind="meeting", fields=("id", "title", "starts_at", "ends_at", "status", "all_day"))
    rows = sorted(rows, key=lambda r: str(r[2]))
    shown = 0
    for meeting_id, title, starts_at, ends_at, status, all_day in rows:
        upcoming = status in meetings.OPEN_STATUSES and dt.datetime.fromisoformat(str(starts_at)) >= since
        if not (args.all or upcoming):
            continue
        state = checklist.readiness(meetings.checklist_items(ws, meeting_id))
        print(
            f"{meeting_id}  {format_when(starts_at, ends_at, all_day=all_day)}  {status or 'planned'}"
            f"  {state.percent:>3}%  {title}"
        )
        shown += 1
    if not shown:
        print("No upcoming meetings." if not args.all else "No meetings.")
    return EXIT_OK


def _meeting_checklist(ws, args) -> int:
    from companion.core import checklist, meetings

    meetings.recompose(ws, meeting_id=args.id)
    items = checklist.shown(meetings.checklist_items(ws, args.id))
    state = checklist.readiness(items)
    print(f"{state.percent}% ticked ({state.done} of {state.total}); {len(state.open_musts)} must-items open")
    section = None
    for item in items:
        if checklist.section_of(item) != section:
            section = checklist.section_of(item)
            print(f"\n{section}")
        mark = "x" if item["done"] else " "
        must = " (must)" if item["must"] else ""
        print(f"  [{mark}] {item['text']}{must}")
    return EXIT_OK


def _meeting_brief(ws, args) -> int:
    from companion.core.meetings import recompose
    from companion.render.brief import brief_document

    recompose(ws, meeting_id=args.id)
    title, markdown = brief_document(ws, meeting_id=args.id)
    if not args.pdf:
        sys.stdout.write(markdown)
        return EXIT_OK
    require_exports(args)
    from companion.render.pdf import write_pdf

    write_pdf(markdown, Path(args.pdf), page_size=args.page_size, title=title)
    print(f"wrote {args.pdf}")
    return EXIT_OK


def _meeting_ics(ws, args) -> int:
    from companion.cli.common import bad_input
    from companion.interchange.ics import meeting_calendar, meetings_feed

    if bool(args.id) == bool(args.all):
        raise bad_input("Name one meeting (its ID) or --all for every upcoming one.")
    if args.all:
        data = meetings_feed(ws)
    else:
        from companion.core.meetings import recompose

        recompose(ws, meeting_id=args.id)
        data = meeting_calendar(ws, meeting_id=args.id)
    if args.out:
        require_exports(args)
        from companion.model.files import write_whole

        write_whole(Path(args.out), lambda part: part.write_bytes(data))
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(data.decode("utf-8"))
    return EXIT_OK


def _meeting_import_ics(ws, args) -> int:
    from companion.core.calendar_import import (
        DEFAULT_WINDOW_DAYS,
        MAX_WINDOW_DAYS,
        UNKNOWN_CLIENT,
        import_calendar,
    )
    from companion.interchange.ics import read_ics

    days = DEFAULT_WINDOW_DAYS if args.days is None else args.days
    if not 1 <= days <= MAX_WINDOW_DAYS:
        from companion.cli.common import bad_input

        raise bad_input(
            f"--days must be from 1 to {MAX_WINDOW_DAYS} (it was {days}): the meetings of how many days "
            "to import."
        )
    calendar = read_ics(Path(args.file), window_days=days)
    report = import_calendar(ws, calendar=calendar, client_id=args.client)
    for line in _import_lines(report):
        print(line)
    if any(s.reason == UNKNOWN_CLIENT for s in report.skipped):
        print("(events whose client is unclear go in with --client ID)")
    return EXIT_OK


def _import_lines(report) -> list[str]:
    """What a calendar import did, a line each: counts, the window series were expanded over, each
    event skipped with its reason, the addresses nobody here has."""
    added, updated, cancelled = len(report.created), len(report.updated), len(report.cancelled)
    said = f"{added} meeting{'' if added == 1 else 's'} added, {updated} updated"
    lines = [said + (f", {cancelled} cancelled" if cancelled else "")]
    if report.series and report.window:
        first, last = report.window
        lines.append(
            f"{report.series} recurring series: their meetings from {first:%a %d %b %Y} to {last:%a %d %b %Y}"
        )
    if report.skipped:
        lines.append(f"skipped from {report.source}, and why ({len(report.skipped)}):")
        lines += [f"  {skipped}" for skipped in report.skipped]
    for title, who in report.unmatched:
        lines.append(f"not matched to anyone here: {who} (in “{title}”)")
    return lines


def _meeting_log(ws, args) -> int:
    from companion.core.meetings import log_meeting, parse_follow_ups

    follow_ups = parse_follow_ups("\n".join(args.follow_up))
    changes = log_meeting(
        ws, meeting_id=args.id, summary=args.summary, sentiment=args.sentiment, follow_ups=follow_ups
    )
    print(summarise(changes))
    return EXIT_OK


MEETING_VERBS = {
    "list": _meeting_list,
    "checklist": _meeting_checklist,
    "brief": _meeting_brief,
    "ics": _meeting_ics,
    "import-ics": _meeting_import_ics,
    "log": _meeting_log,
}
