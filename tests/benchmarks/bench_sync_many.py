"""50 laptops syncing at once against `companion serve` on PostgreSQL (a throwaway cluster), over loopback:
errors and latency.

    python -m tests.benchmarks.bench_sync_many [--laptops 50] [--rounds 3]

Each laptop adds and edits records, then all sync at the same moment; repeated for a few rounds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from companion.core.service import Workspace
from companion.server import admin, db
from companion.sync.client import SyncClient
from tests.sync.live import serving_process
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
        with engine.connect().execution_options(write=True) as conn, conn.begin():
            team_id = admin.add_team(conn, "North")
            admin.add_account(conn, "mira")
            admin.add_member(conn, team_name="North", user_name="mira")
            tokens = [
                admin.issue_token(conn, user_name="mira", device=f"l{n}")[1] for n in range(args.laptops)
            ]
        latencies: list[float] = []
        errors: list[str] = []
        engine.dispose()
        with (
            tempfile.TemporaryDirectory() as tmp,
            serving_process(Path(tmp) / "server", database=f"{base}/bench") as url,
        ):
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

                def run(client, barrier=barrier):
                    barrier.wait()
                    start = time.perf_counter()
                    try:
                        client.sync()
                    except Exception as exc:  # counted and reported
                        errors.append(repr(exc))
                        return
                    latencies.append((time.perf_counter() - start) * 1000)

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
    finally:
        cluster.stop()
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] if ordered else float("nan")
    print(
        f"{args.laptops} laptops × {args.rounds} rounds against PostgreSQL; every laptop ends with {counts}"
    )
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"sync latency under load (ms): median {statistics.median(latencies):.0f}, p99 {p99:.0f}")


if __name__ == "__main__":
    main()
