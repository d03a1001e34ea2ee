"""Deal benchmarks: the qualification gaps, the pipeline and the early warnings over a 10,000-client workspace.

    python -m tests.benchmarks.bench_deals [--runs 5] [--clients 10000] [--every 1]

The synthetic workspace (core/demo.load_synthetic's records: 10 people a client) with buying roles by
title (as tests/benchmarks/bench_campaign.py gives them) and three deals at every client (or one client in
`--every`): two open ones (their
economic buyer the chief financial officer, their champion the plant manager on every other client, the
decision process unknown on every third) and one won. Measured: every open deal's gaps, the workspace's
pipeline, one client's pipeline, the early warnings home reads (all rules) and home's whole worklist.
Medians; never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from companion.core import attention, early_warning
from companion.core.demo import synthetic_records
from companion.core.opportunities import pipeline, qualification_gaps
from companion.core.service import Workspace
from companion.model.ids import new_id
from tests.benchmarks.bench_campaign import ROLES_BY_TITLE

TODAY = dt.date(2026, 12, 2)


def build(ws: Workspace, *, clients: int, every: int = 1) -> list[str]:
    """The workspace described above; returns its clients' ids."""
    records = synthetic_records(clients=clients, seed=18)
    held: dict[str, dict[str, str]] = {}
    for position in records["position"]:
        role = ROLES_BY_TITLE.get(position["title"])
        if role:
            position["buying_role"] = role
        held.setdefault(position["client_id"], {})[position["title"]] = position["contact_id"]
    deals = []
    for n, client in enumerate(records["client"]):
        if n % every:
            continue
        people = held.get(client["id"], {})
        for k, stage in enumerate(("qualifying", "negotiating", "won")):
            deals.append({
                "id": new_id(), "client_id": client["id"], "title": f"Deal {k + 1}", "stage": stage,
                "value": 100_000 * (k + 1), "currency": ("NOK", "EUR")[n % 2],
                "expected_close": (TODAY + dt.timedelta(days=30 * k)).isoformat(),
                "economic_buyer_id": people.get("Chief Financial Officer"),
                "champion_id": people.get("Plant Manager") if n % 2 else None,
                "decision_process_status": None if n % 3 == 0 else "partial",
                "outcome_reason": "Best references." if stage == "won" else None,
            })  # fmt: skip
    records["opportunity"] = deals
    ws.import_records(records=records, label="benchmark workspace")
    return [c["id"] for c in records["client"]]


def _median_ms(job, runs: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = job()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=1, help="deals at one client in this many")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "workspace.sqlite")
        started = time.perf_counter()
        client_ids = build(ws, clients=args.clients, every=args.every)
        built_s = time.perf_counter() - started
        gaps_ms, gaps = _median_ms(lambda: qualification_gaps(ws, today=TODAY), args.runs)
        pipe_ms, pipe = _median_ms(lambda: pipeline(ws, today=TODAY), args.runs)
        one_ms, _ = _median_ms(lambda: pipeline(ws, client_id=client_ids[0], today=TODAY), max(args.runs, 10))
        warn_ms, found = _median_ms(lambda: early_warning.warnings(ws, today=TODAY), args.runs)
        deal_rule = early_warning._RULES.pop("deal")  # the same warnings as before deals, for comparison
        try:
            before_ms, _ = _median_ms(lambda: early_warning.warnings(ws, today=TODAY), args.runs)
        finally:
            early_warning._RULES["deal"] = deal_rule
        home_ms, _ = _median_ms(lambda: attention.attention(ws, today=TODAY), args.runs)
        ws.close()
    deals = len(pipe.rows)
    print(
        f"{args.clients:,} clients, {deals:,} deals ({sum(len(g) for g in gaps.values()):,} gaps in "
        f"{len(gaps):,} open deals, {len(found):,} early warnings); built in {built_s:.0f} s"
    )
    print(f"{'measure':<44}{'median':>10}")
    for label, ms in (
        ("every open deal's gaps (the deal rules' read)", gaps_ms),
        ("the workspace's pipeline", pipe_ms),
        ("one client's pipeline", one_ms),
        ("the early warnings (all rules)", warn_ms),
        ("the early warnings without the deal rules", before_ms),
        ("home's worklist (early warnings included)", home_ms),
    ):
        print(f"{label:<44}{ms:>8.1f}ms")


if __name__ == "__main__":
    main()
