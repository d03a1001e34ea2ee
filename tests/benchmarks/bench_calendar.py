"""Calendar benchmark: a calendar of 200 recurring series read, expanded over 90 days and imported.

    python -m tests.benchmarks.bench_calendar [--runs 3] [--series 200] [--days 90]

The calendar is made here as real programs write them: series since September, weekly (most), every
other week, every weekday and monthly; one in four with excluded dates (EXDATE), one in five with a moved
occurrence and one in ten with a cancelled one (RECURRENCE-ID overrides); zones by IANA name with their
VTIMEZONE (as Google and Thunderbird write them) and by Windows name (as Outlook and Exchange do). Each
series has two or three of a client's people and one of ours as attendees, so every occurrence finds its
client. Measured, as medians: reading the file and expanding the series over the window
(interchange/ics.parse_ics), importing it into an empty workspace (the meetings and their checklists,
core/calendar_import), and importing it again (every meeting compared, nothing to write). The goal: read
and expanded in at most 2 s. Never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from companion.core.calendar_import import import_calendar
from companion.core.service import Workspace
from companion.interchange.ics import parse_ics

TODAY = dt.date(2026, 12, 7)
GOAL_S = 2.0
CLIENTS = 20
PEOPLE = 5
ZONES = (
    ("Europe/Oslo", True),
    ("W. Europe Standard Time", False),
    ("America/New_York", True),
    ("Pacific Standard Time", False),
    ("Romance Standard Time", False),
    ("Asia/Singapore", True),
)
RULES = (
    "FREQ=WEEKLY;BYDAY={day}",
    "FREQ=WEEKLY;BYDAY={day}",
    "FREQ=WEEKLY;BYDAY={day}",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
    "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=MONTHLY;BYDAY=1{day}",
    "FREQ=WEEKLY;BYDAY={day}",
    "FREQ=MONTHLY;BYMONTHDAY=15",
    "FREQ=WEEKLY;BYDAY={day}",
    "FREQ=WEEKLY;BYDAY={day}",
)
DAYS = ("MO", "TU", "WE", "TH", "FR")


def _vtimezone(zone: str) -> list[str]:
    """A VTIMEZONE as calendar programs write it: from the zone's own rules, not a fixed offset."""
    import icalendar

    return icalendar.Timezone.from_tzid(zone).to_ical().decode().strip().splitlines()


def calendar(series: int) -> bytes:
    """The .ics file described above."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Companion//bench_calendar//EN"]
    for zone, iana in ZONES:
        if iana:
            lines += _vtimezone(zone)
    start = dt.date(2026, 9, 1)
    for n in range(series):
        zone, _iana = ZONES[n % len(ZONES)]
        first = start + dt.timedelta(days=n % 7)
        hour = 8 + n % 9
        at = f"{first:%Y%m%d}T{hour:02d}0000"
        ends = f"{first:%Y%m%d}T{hour:02d}4500"
        uid = f"series-{n}@bench.example"
        client = n % CLIENTS
        people = [f"p{client}-{(n + k) % PEOPLE}@client{client}.example" for k in range(2 + n % 2)]
        rule = RULES[n % len(RULES)].format(day=DAYS[n % len(DAYS)])
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{TODAY:%Y%m%d}T080000Z",
            f"DTSTART;TZID={zone}:{at}",
            f"DTEND;TZID={zone}:{ends}",
            f"RRULE:{rule}",
            f"SUMMARY:Series {n} with client {client}",
            f"LOCATION:Site {client}",
            "DESCRIPTION:Standing meeting.\\nAgenda in the shared folder.",
            f"ORGANIZER;CN=Colleague {n % 4}:mailto:c{n % 4}@ourco.example",
            f"ATTENDEE;CN=Colleague {n % 4}:mailto:c{n % 4}@ourco.example",
            *(f"ATTENDEE;CN=Person {p}:mailto:{p}" for p in people),
        ]
        if n % 4 == 0:
            excluded = first + dt.timedelta(weeks=15)
            lines.append(f"EXDATE;TZID={zone}:{excluded:%Y%m%d}T{hour:02d}0000")
        lines.append("END:VEVENT")
        for weeks, cancelled in ((16, False), (18, True)):
            if (n % 5 == 0 and not cancelled) or (n % 10 == 0 and cancelled):
                day = first + dt.timedelta(weeks=weeks)
                moved = f"{day:%Y%m%d}T{(hour + 1) % 24:02d}0000"
                lines += [
                    "BEGIN:VEVENT",
                    f"UID:{uid}",
                    f"DTSTAMP:{TODAY:%Y%m%d}T080000Z",
                    f"RECURRENCE-ID;TZID={zone}:{day:%Y%m%d}T{hour:02d}0000",
                    f"DTSTART;TZID={zone}:{day:%Y%m%d}T{hour:02d}0000"
                    if cancelled
                    else f"DTSTART;TZID={zone}:{moved}",
                    f"SUMMARY:Series {n} with client {client}" + ("" if cancelled else " (moved)"),
                    *(["STATUS:CANCELLED"] if cancelled else []),
                    *(f"ATTENDEE;CN=Person {p}:mailto:{p}" for p in people),
                    "END:VEVENT",
                ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def people(ws: Workspace) -> None:
    """The clients, their people (with the work emails the calendar invites) and our colleagues."""
    for c in range(4):
        ws.create(kind="colleague", values={"name": f"Colleague {c}", "email": f"c{c}@ourco.example"})
    for n in range(CLIENTS):
        client = ws.create(kind="client", values={"name": f"Client {n}"}).created_id
        ws.create(kind="site", values={"client_id": client, "name": f"Site {n}"})
        for p in range(PEOPLE):
            contact = ws.create(kind="contact", values={"name": f"Person {n}-{p}"}).created_id
            ws.create(
                kind="position",
                values={
                    "contact_id": contact,
                    "client_id": client,
                    "work_email": f"p{n}-{p}@client{n}.example",
                },
            )


def _median_s(job, runs: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = job()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--series", type=int, default=200)
    parser.add_argument("--days", type=int, default=90)
    args = parser.parse_args()
    data = calendar(args.series)
    read_s, read = _median_s(lambda: parse_ics(data, window_days=args.days, today=TODAY), args.runs)
    occurrences = sum(not e.cancelled for e in read.events)
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.sqlite"
        ws = Workspace.open(empty)
        people(ws)
        ws.close()
        imports, again, report = [], [], None
        for run in range(args.runs):
            path = Path(folder) / f"run{run}.sqlite"
            shutil.copyfile(empty, path)
            ws = Workspace.open(path)
            started = time.perf_counter()
            report = import_calendar(ws, calendar=parse_ics(data, window_days=args.days, today=TODAY))
            imports.append(time.perf_counter() - started)
            started = time.perf_counter()
            import_calendar(ws, calendar=parse_ics(data, window_days=args.days, today=TODAY))
            again.append(time.perf_counter() - started)
            ws.close()
    checklist_items = sum(c.kind == "meeting_checklist_item" for c in report.changes.changes)
    print(
        f"{args.series} series over {args.days} days: {occurrences:,} occurrences "
        f"({len(read.events) - occurrences} cancelled or excluded), {len(data) / 1024:.0f} KiB; "
        f"imported as {len(report.created):,} meetings with {checklist_items:,} checklist items, "
        f"{len(report.skipped)} skipped; median of {args.runs}"
    )
    print(f"{'measure':<52}{'median':>9}{'goal':>8}")
    print(f"{'read and expanded (parse_ics)':<52}{read_s:>8.2f}s{GOAL_S:>7.1f}s")
    for label, timings in (
        ("read, expanded and imported into an empty workspace", imports),
        ("the same file imported again (nothing to write)", again),
    ):
        print(f"{label:<52}{statistics.median(timings):>8.2f}s{'':>8}")


if __name__ == "__main__":
    main()
