"""Sync benchmarks over loopback (`companion serve` in its own process on 127.0.0.1, as deployed), beside a
bulk insert of the rows.

    python -m tests.benchmarks.bench_sync [--clients 2250] [--runs 5]

2,250 synthetic clients make about 100,000 records. Medians; never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from companion.core.demo import synthetic_records
from companion.core.service import Workspace
from companion.server import admin, db
from companion.sync.client import SyncClient
from tests.sync.live import serving_process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=2250)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    records = synthetic_records(clients=args.clients, seed=1)
    total = sum(len(v) for v in records.values())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "server").mkdir()
        engine = db.make_engine(f"sqlite:///{folder / 'server' / 'server.sqlite'}")
        db.migrate(engine)
        with engine.connect().execution_options(write=True) as conn, conn.begin():
            team_id = admin.add_team(conn, "North")
            admin.add_account(conn, "mira")
            admin.add_member(conn, team_name="North", user_name="mira")
            tokens = [admin.issue_token(conn, user_name="mira", device=f"d{i}")[1] for i in range(2)]
        engine.dispose()
        live = serving_process(folder / "server")
        url = live.__enter__()

        bulk = Workspace.open(folder / "bulk.sqlite")
        start = time.perf_counter()
        bulk.import_records(records=records)
        bulk_s = time.perf_counter() - start
        bulk.close()

        a = Workspace.open(folder / "a.sqlite")
        a.import_records(records=records)
        ca = SyncClient(a, server=url, token=tokens[0], team_id=team_id)
        start = time.perf_counter()
        ca.sync()
        push_s = time.perf_counter() - start
        b = Workspace.open(folder / "b.sqlite")
        cb = SyncClient(b, server=url, token=tokens[1], team_id=team_id)
        start = time.perf_counter()
        pulled = cb.sync().pulled
        pull_s = time.perf_counter() - start

        idle = []
        for _ in range(args.runs * 4):
            start = time.perf_counter()
            cb.sync()
            idle.append((time.perf_counter() - start) * 1000)

        clients = [r.id for r in a.list(kind="client", limit=100)]
        edits = []
        for run in range(args.runs):
            for n, client_id in enumerate(clients):
                a.update(kind="client", id=client_id, values={"industry": f"Industry {run}-{n}"})
            start = time.perf_counter()
            ca.sync()
            got = cb.sync().pulled
            edits.append(time.perf_counter() - start)
            assert got == len(clients), got
        a.close()
        b.close()
        live.__exit__(None, None, None)
    print(f"{total:,} records ({args.clients:,} synthetic clients); pulled {pulled:,}")
    print(f"{'measure':<52}{'value':>12}  goal")
    print(f"{'bulk insert of the rows (import), records/s':<52}{total / bulk_s:>12,.0f}")
    print(f"{'first sync, push from a laptop, records/s':<52}{total / push_s:>12,.0f}  ≥ 20,000")
    print(f"{'first sync, pull to another laptop, records/s':<52}{total / pull_s:>12,.0f}  ≥ 20,000")
    print(f"{'sync with nothing to do, median (ms)':<52}{statistics.median(idle):>12.1f}  ≤ 50")
    print(
        f"{'100 edits pushed and pulled by another, median (s)':<52}{statistics.median(edits):>12.2f}  ≤ 0.5"
    )


if __name__ == "__main__":
    main()
