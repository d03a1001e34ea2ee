"""Sync benchmarks over loopback (`companion serve` in its own process on 127.0.0.1, as deployed), beside a
bulk insert of the rows; the first sync's push with the CPU it took on each side (server and laptop).

    python -m tests.benchmarks.bench_sync [--clients 2250] [--runs 3]

2,250 synthetic clients make about 100,000 records. Each run is a first sync of its own (a new server and
new laptops); medians over the runs, never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from companion.core.demo import synthetic_records
from companion.core.service import Workspace
from companion.server import db
from companion.sync.client import SyncClient
from tests.sync.live import ServerProcess, team_with_devices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=2250)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    records = synthetic_records(clients=args.clients, seed=1)
    total = sum(len(v) for v in records.values())
    bulk, push, pull, idle, edits = [], [], [], [], []
    # CPU seconds of the push's two sides (the server process; this process, the laptop): on a machine
    # of two cores they share, the sum bounds the rate as much as either does.
    push_server_cpu, push_laptop_cpu = [], []
    pulled = 0
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            # Each run a first sync of its own: a new server, a laptop that imports, one that reads.
            folder = Path(tmp) / f"run{run}"
            (folder / "server").mkdir(parents=True)
            team_id, tokens = _new_server(folder / "server")
            server = ServerProcess(folder / "server")
            url = server.start()
            try:
                a = Workspace.open(folder / "a.sqlite")
                start = time.perf_counter()
                a.import_records(records=records)
                bulk.append(time.perf_counter() - start)
                ca = SyncClient(a, server=url, token=tokens[0], team_id=team_id)
                server_cpu, laptop_cpu = server.cpu_seconds(), time.process_time()
                start = time.perf_counter()
                ca.sync()
                push.append(time.perf_counter() - start)
                push_server_cpu.append(server.cpu_seconds() - server_cpu)
                push_laptop_cpu.append(time.process_time() - laptop_cpu)
                b = Workspace.open(folder / "b.sqlite")
                cb = SyncClient(b, server=url, token=tokens[1], team_id=team_id)
                start = time.perf_counter()
                pulled = cb.sync().pulled
                pull.append(time.perf_counter() - start)
                for _ in range(4):
                    start = time.perf_counter()
                    cb.sync()
                    idle.append((time.perf_counter() - start) * 1000)
                clients = [r.id for r in a.list(kind="client", limit=100)]
                for n, client_id in enumerate(clients):
                    a.update(kind="client", id=client_id, values={"industry": f"Industry {run}-{n}"})
                start = time.perf_counter()
                ca.sync()
                got = cb.sync().pulled
                edits.append(time.perf_counter() - start)
                assert got == len(clients), got
                a.close()
                b.close()
            finally:
                server.stop()
    print(
        f"{total:,} records ({args.clients:,} synthetic clients); pulled {pulled:,}; medians of {args.runs} runs"
    )
    print(f"{'measure':<52}{'value':>12}  goal")
    print(f"{'bulk insert of the rows (import), records/s':<52}{total / statistics.median(bulk):>12,.0f}")
    print(
        f"{'first sync, push from a laptop, records/s':<52}{total / statistics.median(push):>12,.0f}  ≥ 20,000"
    )
    per_thousand = 1000_000 / total
    print(
        f"{'  its CPU, server, ms per 1,000 records':<52}{statistics.median(push_server_cpu) * per_thousand:>12.0f}"
    )
    print(
        f"{'  its CPU, laptop, ms per 1,000 records':<52}{statistics.median(push_laptop_cpu) * per_thousand:>12.0f}"
    )
    print(
        f"{'first sync, pull to another laptop, records/s':<52}{total / statistics.median(pull):>12,.0f}  ≥ 20,000"
    )
    print(f"{'sync with nothing to do, median (ms)':<52}{statistics.median(idle):>12.1f}  ≤ 50")
    print(
        f"{'100 edits pushed and pulled by another, median (s)':<52}{statistics.median(edits):>12.2f}  ≤ 0.5"
    )


def _new_server(data_dir: Path) -> tuple[str, list[str]]:
    """A server database with one team and one member with two devices: the team id and their tokens."""
    engine = db.make_engine(f"sqlite:///{data_dir / 'server.sqlite'}")
    db.migrate(engine)
    found = team_with_devices(engine, 2)
    engine.dispose()
    return found


if __name__ == "__main__":
    main()
