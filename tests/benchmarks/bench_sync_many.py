"""50 laptops syncing at once against `companion serve` on PostgreSQL (a throwaway cluster), over loopback:
errors and latency.

    python -m tests.benchmarks.bench_sync_many [--laptops 50] [--rounds 3]

Each laptop adds and edits records, then all sync at the same moment; repeated for a few rounds.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from companion.core.service import Workspace
from companion.server import db
from companion.sync.client import SyncClient
from tests.sync.live import ServerProcess, team_with_devices
from tests.sync.postgres import Cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--laptops", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    cluster = Cluster()
    base = cluster.start()
    try:
        with sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT").connect() as conn:
            conn.exec_driver_sql("CREATE DATABASE bench")
        engine = db.make_engine(f"{base}/bench")
        db.migrate(engine)
        team_id, tokens = team_with_devices(engine, args.laptops)
        latencies: list[float] = []
        by_round: list[list[float]] = []
        errors: list[str] = []
        engine.dispose()
        with tempfile.TemporaryDirectory() as tmp:
            server = ServerProcess(Path(tmp) / "server", database=f"{base}/bench")
            url = server.start()
            try:
                laptops = []
                for n, token in enumerate(tokens):
                    ws = Workspace.open(Path(tmp) / f"l{n}.sqlite")
                    laptops.append(SyncClient(ws, server=url, token=token, team_id=team_id))
                for round_number in range(args.rounds):
                    for n, client in enumerate(laptops):
                        record = client.ws.create(
                            kind="client", values={"name": f"Laptop {n} round {round_number}"}
                        )
                        client.ws.update(kind="client", id=record.created_id, values={"industry": "Energy"})
                    barrier = threading.Barrier(len(laptops))
                    by_round.append([])

                    def run(client, barrier=barrier, this_round=by_round[-1]):
                        barrier.wait()
                        start = time.perf_counter()
                        try:
                            client.sync()
                        except Exception as exc:  # counted and reported
                            errors.append(repr(exc))
                            return
                        latencies.append((time.perf_counter() - start) * 1000)
                        this_round.append(latencies[-1])

                    threads = [threading.Thread(target=run, args=(c,)) for c in laptops]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()
                for client in laptops:
                    client.sync()
                counts = {len(c.ws.list(kind="client")) for c in laptops}
                for client in laptops:
                    client.ws.close()
                server_cpu = server.cpu_seconds()
            finally:
                server.stop()
    finally:
        cluster.stop()
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] if ordered else float("nan")
    print(
        f"{args.laptops} laptops × {args.rounds} rounds against PostgreSQL; every laptop ends with {counts}"
    )
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"sync latency under load (ms): median {statistics.median(latencies):.0f}, p99 {p99:.0f}")
    # The first round is every laptop's first sync; the laptops share this process (and its
    # interpreter lock), so their own work counts in the latency too.
    for number, values in enumerate(by_round):
        if values:
            print(f"  round {number + 1}: median {statistics.median(values):.0f}, slowest {max(values):.0f}")
    laptops_cpu = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"CPU seconds: the laptops' process {laptops_cpu.ru_utime + laptops_cpu.ru_stime:.1f}, "
        f"the server's {server_cpu:.1f}"
    )


if __name__ == "__main__":
    main()
