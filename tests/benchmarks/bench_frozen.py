"""Frozen start-up beside the same version run from source: `companion gui --quit-after-ready`, offscreen.

    python -m tests.benchmarks.bench_frozen [--bundle build/dist/companion] [--clients 10000] [--runs 7]

Build the bundle first (`make dist`). Both run the synthetic workspace of bench_gui (generated once into
bench-data/), from bytecode, in turns so both see the same machine. Medians; never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.benchmarks.bench_gui import ENV, ROOT, workspace_dir


def _timed(command: list[str], data: Path) -> float:
    start = time.perf_counter()
    subprocess.run([*command, "--data-dir", str(data), "gui", "--quit-after-ready"], env=ENV, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bundle", type=Path, default=ROOT / "build" / "dist" / "companion")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    frozen = args.bundle / "companion"
    if not frozen.exists():
        sys.exit(f"no frozen app at {frozen}: run `make dist` first")
    data = workspace_dir(args.clients)
    source = [sys.executable, "-m", "companion"]
    for command in (source, [str(frozen)]):
        _timed(command, data)  # warm the page cache and write bytecode once
    times: dict[str, list[float]] = {"source": [], "frozen": []}
    for _ in range(args.runs):
        times["source"].append(_timed(source, data))
        times["frozen"].append(_timed([str(frozen)], data))
    src, frz = statistics.median(times["source"]), statistics.median(times["frozen"])
    size = sum(p.stat().st_size for p in args.bundle.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    print(f"workspace: {args.clients} clients; medians of {args.runs} runs; bundle {size:.0f} MB on disk")
    print(f"{'cold start to ready, from source (s)':<44}{src:>8.2f}")
    print(f"{'cold start to ready, frozen (s)':<44}{frz:>8.2f}   ratio {frz / src:.2f}  (goal ≤ 1.2)")


if __name__ == "__main__":
    main()
