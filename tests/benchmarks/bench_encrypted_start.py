"""Start-up to a ready window on the demo workspace, plain against encrypted with its key in a real
Secret Service (gnome-keyring in a D-Bus session of its own, as tests/secret_service.py runs it).

    python -m tests.benchmarks.bench_encrypted_start [--runs 15]

Both kinds take turns; medians are printed. Not collected by pytest: timings are never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.secret_service import run_in_session


def _inside(runs: int, root: Path) -> None:
    """In the session: make both workspaces, then time `companion gui --quit-after-ready` on each."""
    plain, encrypted = root / "plain", root / "encrypted"
    plain.mkdir()
    (plain / "settings.json").write_text('{"workspace.encrypt_new": false}', encoding="utf-8")
    for data in (plain, encrypted):
        subprocess.run([sys.executable, "-m", "companion", "--data-dir", str(data), "demo"], check=True,
                       capture_output=True)  # fmt: skip
    times: dict[str, list[float]] = {"plain": [], "encrypted": []}
    for _ in range(runs):
        for name, data in (("plain", plain), ("encrypted", encrypted)):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "companion", "--data-dir", str(data), "gui", "--quit-after-ready"],
                           check=True, capture_output=True)  # fmt: skip
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["plain"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<10} start to ready {median * 1000:6.0f} ms  ({median / base:.2f}× plain)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--inside", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside is not None:
        _inside(args.runs, args.inside)
        return 0
    with tempfile.TemporaryDirectory(prefix="companion-bench-start-") as tmp:
        root = Path(tmp)
        (root / "data").mkdir()
        done = run_in_session(
            root / "home",
            [sys.executable, "-m", "tests.benchmarks.bench_encrypted_start", "--runs", str(args.runs),
             "--inside", str(root / "data")],
            unlocked=True, env={"QT_QPA_PLATFORM": "offscreen", **_pythonpath()}, timeout=3600,
        )  # fmt: skip
    print(done.stdout, end="")
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
    return done.returncode


def _pythonpath() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


if __name__ == "__main__":
    sys.exit(main())
