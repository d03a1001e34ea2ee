"""Scorecard benchmarks: one rich client's scorecard, and the portfolio over 1,000 clients.

    python -m tests.benchmarks.bench_scorecard [--runs 15] [--clients 1000]

(a) One client with an active plan of 30 measures read monthly for 3 years, 500 survey responses with an
NPS and a CSAT answer each, quarterly reviews, success-factor ratings every quarter and interactions
(tests/core/scorecard_records.py `rich_client`): `scorecard()`, goal ≤ 100 ms.
(b) The portfolio over 1,000 clients with some of everything (`portfolio_clients`), the rich client among
them: `portfolio()`, goal ≤ 300 ms. Medians; never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from companion.core.scorecard import portfolio, scorecard
from companion.core.service import Workspace
from tests.core.scorecard_records import ScorecardRecords, portfolio_clients, rich_client

TODAY = dt.date(2026, 12, 2)
GOALS_MS = {"scorecard": 100, "portfolio": 300}


def _median_ms(job, runs: int) -> tuple[float, float, object]:
    """The median wall-clock and CPU milliseconds of `runs` runs (CPU time shows the cost when other work
    shares the machine), and the last result."""
    timings, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = job()
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(timings) * 1000, statistics.median(cpu) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--clients", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "workspace.sqlite")
        started = time.perf_counter()
        data = ScorecardRecords()
        rich = rich_client(data, today=TODAY)
        portfolio_clients(data, today=TODAY, clients=args.clients - 1)
        data.write(ws)
        built_s = time.perf_counter() - started
        runs = max(args.runs, 15)
        card_ms, card_cpu, card = _median_ms(lambda: scorecard(ws, client_id=rich, today=TODAY), runs)
        rows_ms, rows_cpu, rows = _median_ms(lambda: portfolio(ws, today=TODAY), runs)
        ws.close()
    figures = sum(len(p.figures) for p in card.perspectives)
    print(
        f"{len(rows):,} clients ({sum(len(v) for v in data.records.values()):,} records); the rich client's"
        f" scorecard holds {figures} figures; built in {built_s:.0f} s"
    )
    print(f"{'measure':<44}{'median':>10}{'CPU':>10}{'goal':>10}")
    for label, ms, cpu, goal in (
        ("one rich client's scorecard", card_ms, card_cpu, GOALS_MS["scorecard"]),
        (f"the portfolio of {len(rows):,} clients", rows_ms, rows_cpu, GOALS_MS["portfolio"]),
    ):
        print(f"{label:<44}{ms:>8.1f}ms{cpu:>8.1f}ms{goal:>8}ms")


if __name__ == "__main__":
    main()
