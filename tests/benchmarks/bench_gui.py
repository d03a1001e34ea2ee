"""Desktop app benchmarks beside a bare PySide6 window: cold start, home filled, palette latency, peak memory.

    python -m tests.benchmarks.bench_gui [--clients 10000] [--runs 5] [--against OTHER/src]

Runs offscreen. The synthetic workspace is generated once into bench-data/ and reused. `--against`
names the `src` folder of another checkout (an earlier commit: `git worktree add ../before HEAD~1`):
its start-up and memory are measured in the same runs, in turns, and shown beside this one's.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DATA = ROOT / "bench-data"
# An installed app runs from bytecode (pip and PyInstaller compile it): never time the compiler.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "QT_QPA_PLATFORM": "offscreen"
}

BARE_WINDOW = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 720)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""

# Opens the real window, shows everyone (100,000 people) and scrolls to the very end.
TABLE_SCROLLED = """
import sys
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
try:
    from companion.ui.common import theme
    from companion.ui.common.worker import DbWorker
    from companion.ui.shell.main_window import MainWindow
except ImportError:  # a checkout from before the window was split by feature (--against)
    from companion.ui import theme
    from companion.ui.main_window import MainWindow
    from companion.ui.worker import DbWorker
data = Path(sys.argv[1])
app = QApplication([])
theme.apply(app)


def open_workspace():
    from companion.core.service import Workspace  # imported on the worker, as the app does

    return Workspace.open(data / "workspace.sqlite")


worker = DbWorker(None, opener=open_workspace)
window = MainWindow(worker, QSettings(str(data / "bench-ui.ini"), QSettings.Format.IniFormat))
window.resize(1366, 768)
window.show()
window.show_directory()
directory = window.people.directory if hasattr(window, "people") else window.directory
table = directory.table
model = directory.model

steps = iter(range(0, 101, 2))


def scroll():
    # Page through the whole table as a person dragging the scroll bar would, then report.
    step = next(steps, None)
    if step is None:
        print(model.rowCount())
        app.quit()
        return
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum() * step // 100)
    QTimer.singleShot(20, scroll)


model.sig_counted.connect(lambda _n: QTimer.singleShot(0, scroll))
app.exec()
worker.stop()
"""

# Starts the window as the app does (the first paint from the driver, the services opened on the worker)
# and prints the milliseconds from the window shown to home's items set.
HOME_FILLED = """
import sys
import time
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from companion.app.opener import first_paint
from companion.ui.clients import list_panel
from companion.ui.common import theme
from companion.ui.common.worker import DbWorker
from companion.ui.shell.main_window import MainWindow
data = Path(sys.argv[1])
app = QApplication([])
theme.apply(app)


def open_workspace():
    from companion.core.service import Workspace  # imported on the worker, as the app does

    return Workspace.open(data / "workspace.sqlite")


# As start-up reads it: the first screenful of clients and the count (ui/shell/application.py); all of
# them in a checkout from before that (--against).
screenful = getattr(list_panel, "FIRST_SCREEN_ROWS", None)
columns = list_panel.FIRST_PAINT_COLUMNS
if screenful is None:
    snapshot = first_paint(data / "workspace.sqlite", client_fields=columns)
else:
    snapshot = first_paint(data / "workspace.sqlite", client_fields=columns, first=screenful)
worker = DbWorker(None, opener=open_workspace)
window = MainWindow(worker, QSettings(str(data / "bench-ui.ini"), QSettings.Format.IniFormat), first_paint=snapshot)
window.resize(1366, 768)
page = window.home.page
shown = 0.0


def filled(*_args):
    print(f"{(time.perf_counter() - shown) * 1000:.1f}")
    QTimer.singleShot(0, app.quit)


if hasattr(page, "sig_filled"):
    page.sig_filled.connect(filled)
else:  # a checkout from before the worklist (--against): home's items are set by set_items
    set_items = page.set_items

    def timed(attention):
        set_items(attention)
        filled()

    page.set_items = timed
window.show()
shown = time.perf_counter()
app.exec()
worker.stop()
"""


def _run(args: list[str], src: Path | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory (KiB) and stdout of one child process (of the code in `src`,
    when given, instead of this checkout's)."""
    env = ENV | {"PYTHONPATH": str(src)} if src is not None else ENV
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{args[:4]}… exited with {proc.returncode}")
    return elapsed, usage.ru_maxrss, out


def workspace_dir(clients: int) -> Path:
    folder = BENCH_DATA / f"synthetic-{clients}"
    if not (folder / "workspace.sqlite").exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Plain, as these figures always were (and no keyring needed); bench_encryption compares the two.
        (folder / "settings.json").write_text('{"workspace.encrypt_new": false}', encoding="utf-8")
        print(f"generating {clients} synthetic clients into {folder} (once)…", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "companion",
                "--data-dir",
                str(folder),
                "demo",
                "--synthetic",
                str(clients),
            ],
            check=True,
        )
    return folder


def palette_latency(folder: Path, queries: list[str]) -> list[float]:
    """Milliseconds from a keystroke in the palette to its results on screen."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from companion.core.service import Workspace
    from companion.ui.common.worker import DbWorker
    from companion.ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    # Built as the app builds it: the services open on the worker at first use.
    worker = DbWorker(None, opener=lambda: Workspace.open(folder / "workspace.sqlite"))
    window = MainWindow(worker, QSettings(str(folder / "bench-ui.ini"), QSettings.Format.IniFormat))
    window.show()
    # Measure typing, not start-up: wait until the window has settled (home list loaded).
    deadline = time.perf_counter() + 30
    while (not window.home.page.items or worker.is_busy()) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)
    palette = window.search.palette
    palette.open_palette()
    timings: list[float] = []
    for query in queries:
        palette.input.clear()
        for end in range(1, len(query) + 1):
            loop = QEventLoop()
            palette.sig_results_shown.connect(loop.quit)
            QTimer.singleShot(2000, loop.quit)
            start = time.perf_counter()
            palette.input.setText(query[:end])
            loop.exec()
            timings.append((time.perf_counter() - start) * 1000)
            SLOWEST.append((timings[-1], query[:end]))
            palette.sig_results_shown.disconnect(loop.quit)
    window.close()
    worker.stop()
    app.processEvents()
    return timings


SLOWEST: list[tuple[float, str]] = []


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, metavar="SRC", help="another checkout's src folder")
    args = parser.parse_args()
    folder = workspace_dir(args.clients)
    compileall.compile_dir(ROOT / "src" / "companion", quiet=1)
    if args.against:
        compileall.compile_dir(args.against / "companion", quiet=1)

    with tempfile.TemporaryDirectory() as script_dir:
        bare_script = Path(script_dir) / "bare.py"
        bare_script.write_text(BARE_WINDOW)
        table_script = Path(script_dir) / "table.py"
        table_script.write_text(TABLE_SCROLLED)
        home_script = Path(script_dir) / "home.py"
        home_script.write_text(HOME_FILLED)
        # Taken in turns, so all see the same machine (a shared one drifts over a minute).
        start_up = [sys.executable, "-m", "companion", "--data-dir", str(folder), "gui", "--quit-after-ready"]
        bare, app, other = [], [], []
        for _ in range(args.runs):
            bare.append(_run([sys.executable, str(bare_script)]))
            app.append(_run(start_up))
            if args.against:
                other.append(_run(start_up, args.against))
        table, other_table = [], []
        for _ in range(max(1, args.runs // 2)):
            table.append(_run([sys.executable, str(table_script), str(folder)]))
            if args.against:
                other_table.append(_run([sys.executable, str(table_script), str(folder)], args.against))
        home, other_home = [], []
        for _ in range(args.runs):
            home.append(float(_run([sys.executable, str(home_script), str(folder)])[2]))
            if args.against:
                other_home.append(
                    float(_run([sys.executable, str(home_script), str(folder)], args.against)[2])
                )

    queries = ["ingrid dahl", "zoe", "maria", "budget review", "sa", "k", "nordic", "pilot", "xu", "ödeg"]
    latency = palette_latency(folder, queries * 3)

    bare_wall = statistics.median(t for t, _m, _o in bare)
    bare_mem = statistics.median(m for _t, m, _o in bare) / 1024
    app_wall = statistics.median(t for t, _m, _o in app)
    app_mem = statistics.median(m for _t, m, _o in app) / 1024
    table_mem = statistics.median(m for _t, m, _o in table) / 1024
    rows = table[0][2].strip()
    print()
    print(f"workspace: {args.clients} clients; medians of {args.runs} runs")
    print(f"{'measure':<44}{'Companion':>12}{'bare window':>14}{'ratio':>8}  goal")
    print(
        f"{'cold start to ready (s)':<44}{app_wall:>12.2f}{bare_wall:>14.2f}{app_wall / bare_wall:>8.2f}  ≤ 2×"
    )
    print(f"{'peak memory at ready (MiB)':<44}{app_mem:>12.0f}{bare_mem:>14.0f}{app_mem / bare_mem:>8.2f}")
    print(
        f"{'peak memory, ' + rows + '-row table scrolled (MiB)':<44}{table_mem:>12.0f}{bare_mem:>14.0f}"
        f"{table_mem / bare_mem:>8.2f}  ≤ 2.5×"
    )
    home_ms = statistics.median(home)
    print(f"{'window shown to home filled (ms)':<44}{home_ms:>12.0f}{'':>14}{'':>8}  ≤ 1000 ms")
    print(
        f"{'palette keystroke to results (ms) p50/p99':<44}{_pct(latency, 50):>7.1f}/{_pct(latency, 99):<5.1f}"
        f"{'':>14}{'':>8}  p99 ≤ 16 ms"
    )
    slow = ", ".join(f"{text!r} {ms:.1f}" for ms, text in sorted(SLOWEST, reverse=True)[:5])
    print(f"  slowest keystrokes (ms): {slow}")
    if args.against:
        print()
        print(f"beside {args.against} (medians of the same turns)")
        print(f"{'measure':<44}{'this':>12}{'other':>14}{'ratio':>8}")
        other_wall = statistics.median(t for t, _m, _o in other)
        other_mem = statistics.median(m for _t, m, _o in other) / 1024
        other_table_mem = statistics.median(m for _t, m, _o in other_table) / 1024
        print(
            f"{'cold start to ready (s)':<44}{app_wall:>12.3f}{other_wall:>14.3f}{app_wall / other_wall:>8.3f}"
        )
        print(
            f"{'peak memory at ready (MiB)':<44}{app_mem:>12.1f}{other_mem:>14.1f}{app_mem / other_mem:>8.3f}"
        )
        print(
            f"{'peak memory, table scrolled (MiB)':<44}{table_mem:>12.1f}{other_table_mem:>14.1f}"
            f"{table_mem / other_table_mem:>8.3f}"
        )
        other_home_ms = statistics.median(other_home)
        print(
            f"{'window shown to home filled (ms)':<44}{home_ms:>12.0f}{other_home_ms:>14.0f}"
            f"{home_ms / other_home_ms:>8.3f}"
        )


if __name__ == "__main__":
    main()
