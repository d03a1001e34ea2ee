"""Review benchmarks: the review pack of a client with a full scorecard, and reviews due over many clients.

    python -m tests.benchmarks.bench_review [--runs 7] [--clients 10000]

(a) One client with an active plan of 30 measures read monthly for 3 years, 500 survey responses, quarterly
reviews with success-factor ratings and interactions (tests/core/scorecard_records.py `rich_client`), its
latest review with internal notes and agreed actions: the pack as Markdown (`build_review_document`), the
PDF of that Markdown with every trend drawn (`write_review_pdf`), and both, what `companion review --pdf`
does after opening the workspace: goal ≤ 1 s.
(b) `reviews_due` over `--clients` clients with a cadence and two reviews each, what home reads on every
change. Medians over at least 7 runs; never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from companion.core.review_document import build_review_document
from companion.core.reviews import reviews_due
from companion.core.service import Workspace
from companion.render.pdf import ensure_gui_application
from companion.render.review import write_review_pdf
from tests.core.scorecard_records import ScorecardRecords, rich_client

TODAY = dt.date(2026, 12, 2)
GOAL_MS = 1000


def _median_ms(job, runs: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = job()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, result


def _review_data(clients: int) -> tuple[ScorecardRecords, str]:
    data = ScorecardRecords()
    rich = rich_client(data, today=TODAY)
    latest = data.add(
        "review", client_id=rich, title="Q4 business review", kind="quarterly", held_on=TODAY.isoformat(),
        period_from="2026-09-01", period_to="2026-11-30", our_rating=4, their_rating=3,
        went_well="Uptime of the subsea pumps.", went_badly="Two late spare-part deliveries.",
        internal_notes="Their CFO distrusts our delivery lead.",
    )  # fmt: skip
    for n in range(8):
        data.add(
            "action", review_id=latest, text=f"Agreed action {n}", due=TODAY.isoformat(), done=n % 2 == 0
        )
    for n in range(clients - 1):
        client = data.client(f"Client {n:05d}", review_every_days=(30, 91, 182)[n % 3])
        for days in (400, 100 + n % 90):
            on = (TODAY - dt.timedelta(days=days)).isoformat()
            data.add("review", client_id=client, title=f"Review {on}", kind="quarterly", held_on=on)
    return data, rich


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--clients", type=int, default=10_000)
    args = parser.parse_args()
    runs = max(args.runs, 7)
    ensure_gui_application()
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "workspace.sqlite")
        started = time.perf_counter()
        data, rich = _review_data(args.clients)
        data.write(ws)
        built_s = time.perf_counter() - started
        pdf = Path(folder) / "pack.pdf"
        document = build_review_document(ws, client_id=rich, today=TODAY)
        markdown_ms, _ = _median_ms(lambda: build_review_document(ws, client_id=rich, today=TODAY), runs)
        pdf_ms, _ = _median_ms(lambda: write_review_pdf(document, pdf), runs)

        def whole() -> Path:
            return write_review_pdf(build_review_document(ws, client_id=rich, today=TODAY), pdf)

        whole_ms, _ = _median_ms(whole, runs)
        shared = build_review_document(ws, client_id=rich, for_client=True, today=TODAY)
        shared_ms, _ = _median_ms(lambda: write_review_pdf(shared, pdf), runs)
        pdf_kb = pdf.stat().st_size / 1024
        due_ms, due = _median_ms(lambda: reviews_due(ws, today=TODAY), runs)
        ws.close()
    print(
        f"{args.clients:,} clients ({sum(len(v) for v in data.records.values()):,} records), built in"
        f" {built_s:.0f} s; the pack holds {len(document.charts)} charts, {len(document.markdown):,}"
        f" characters of Markdown, {pdf_kb:.0f} KB of PDF; {len(due):,} reviews due"
    )
    print(f"{'measure':<56}{'median':>10}{'goal':>10}")
    for label, ms, goal in (
        ("the pack as Markdown (scorecard included)", markdown_ms, ""),
        ("its PDF, every trend drawn", pdf_ms, ""),
        ("the review PDF, Markdown and PDF (companion review)", whole_ms, f"{GOAL_MS}ms"),
        ("the client's version's PDF", shared_ms, ""),
        (f"reviews due over {args.clients:,} clients", due_ms, ""),
    ):
        print(f"{label:<56}{ms:>8.1f}ms{goal:>10}")


if __name__ == "__main__":
    main()
