"""Encrypted against plain workspaces on the synthetic workspace: bulk import, open (to the first paint's
client list), search p50/p99. Goal: encrypted at most 1.3× plain on each.

    python -m tests.benchmarks.bench_encryption                 # 10,000 clients
    python -m tests.benchmarks.bench_encryption --clients 1000  # a quick run

The key is applied directly (a raw 256-bit key, as from the keyring); fetching it from the keyring is
timed on its own when one is reachable. Not collected by pytest: timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from companion.app.opener import first_paint
from companion.core.demo import synthetic_records
from companion.core.service import Workspace
from companion.store.cipher import WorkspaceKey
from companion.ui.clients.list_panel import FIRST_PAINT_COLUMNS  # what the window reads before it shows
from tests.benchmarks.bench_workspace import LIMIT, _file_mb, _log, _percentile, draw_queries, time_queries

GOAL = 1.3


def _import(records, path: Path, key: WorkspaceKey | None) -> float:
    ws = Workspace.open(path, key)
    try:
        gc.collect()
        start = time.perf_counter()
        ws.import_records(records=records)
        return time.perf_counter() - start
    finally:
        ws.close()


def _open(path: Path, key: WorkspaceKey | None) -> float:
    """What start-up does before the window shows: check the file, read the client list."""
    start = time.perf_counter()
    first_paint(path, client_fields=FIRST_PAINT_COLUMNS, key=key)
    return time.perf_counter() - start


def _keyring_fetch() -> float | None:
    """One key read from the OS keyring (None when this machine has none)."""
    import keyring
    import keyring.errors

    try:
        start = time.perf_counter()
        keyring.get_password("companion-workspace", "benchmark-probe")
        return time.perf_counter() - start
    except keyring.errors.KeyringError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="imports to take the median of")
    parser.add_argument("--opens", type=int, default=15, help="opens per round to take the median of")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the search queries")
    parser.add_argument("--queries", type=int, default=300, help="queries per search row")
    args = parser.parse_args(argv)

    _log(f"generating {args.clients} synthetic clients (seed {args.seed})…")
    records = synthetic_records(clients=args.clients, seed=args.seed)
    total = sum(len(items) for items in records.values())
    queries = draw_queries(records, count=args.queries, seed=args.seed)
    every_query = [text for rows in queries.values() for text in rows]
    keys = {"plain": None, "encrypted": WorkspaceKey.random()}
    results: dict[str, dict[str, float]] = {mode: {} for mode in keys}
    with tempfile.TemporaryDirectory(prefix="companion-bench-cipher-") as tmp_dir:
        tmp = Path(tmp_dir)
        imports: dict[str, list[float]] = {mode: [] for mode in keys}
        for run in range(args.runs):  # alternating, so a noisy minute on a shared machine hits both
            for mode, key in keys.items():
                path = tmp / f"{mode}-{run}.sqlite"
                imports[mode].append(_import(records, path, key))
                _log(f"{mode} run {run + 1}: import {imports[mode][-1]:.2f} s")
                if run > 0:
                    for stale in tmp.glob(f"{mode}-{run}.sqlite*"):
                        stale.unlink()  # keep one of each: the disk holds two, not six
        opens: dict[str, list[float]] = {mode: [] for mode in keys}
        p50s: dict[str, list[float]] = {mode: [] for mode in keys}
        p99s: dict[str, list[float]] = {mode: [] for mode in keys}
        workspaces = {mode: Workspace.open(tmp / f"{mode}-0.sqlite", key) for mode, key in keys.items()}
        try:
            for ws in workspaces.values():
                for text in every_query:  # warm the page cache and the pool
                    ws.search(text=text, limit=LIMIT)
            # One open of each in turn: this machine's memory reclaim (DAMON) drops idle file pages,
            # so batches of one kind would meet a cold cache the other kind did not.
            for _ in range(args.opens * args.rounds):
                for mode, key in keys.items():
                    opens[mode].append(_open(tmp / f"{mode}-0.sqlite", key))
            for _ in range(args.rounds):
                for mode in keys:
                    ws = workspaces[mode]
                    latencies = time_queries(lambda t, ws=ws: ws.search(text=t, limit=LIMIT), every_query)
                    p50s[mode].append(_percentile(latencies, 50))
                    p99s[mode].append(_percentile(latencies, 99))
        finally:
            for ws in workspaces.values():
                ws.close()
        for mode in keys:
            results[mode] = {
                "import": total / statistics.median(imports[mode]),
                "open": statistics.median(opens[mode]) * 1000,
                "search p50": statistics.median(p50s[mode]),
                "search p99": statistics.median(p99s[mode]),
                "size": _file_mb(tmp / f"{mode}-0.sqlite"),
            }
            _log(f"{mode}: {results[mode]}")
    fetch = _keyring_fetch()

    print(f"\nEncryption benchmark: {args.clients:,} clients, {total:,} records; medians of {args.runs} imports, "
          f"{args.opens * args.rounds} opens, {args.rounds} passes of {len(every_query)} queries, "
          "plain and encrypted taking turns")  # fmt: skip
    header = f"{'measure':<28} {'plain':>12} {'encrypted':>12} {'ratio':>7}  {'goal':<8} met"
    print(header)
    print("-" * len(header))
    rows = (
        ("bulk import (records/s)", "import", True),
        ("open to client list (ms)", "open", False),
        ("search p50 (ms)", "search p50", False),
        ("search p99 (ms)", "search p99", False),
    )
    for label, name, higher_is_better in rows:
        plain, encrypted = results["plain"][name], results["encrypted"][name]
        ratio = plain / encrypted if higher_is_better else encrypted / plain
        goal = "" if name == "search p50" else f"≤ {GOAL}×"
        met = "" if not goal else ("yes" if ratio <= GOAL else "NO")
        number = "{:>12,.0f}" if higher_is_better else "{:>12.2f}"
        print(
            f"{label:<28} {number.format(plain)} {number.format(encrypted)} {ratio:>6.2f}×  {goal:<8} {met}"
        )
    print(f"{'file size (MB)':<28} {results['plain']['size']:>12.1f} {results['encrypted']['size']:>12.1f}")
    print(f"key read from the keyring: {'none reachable' if fetch is None else f'{fetch * 1000:.1f} ms'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
