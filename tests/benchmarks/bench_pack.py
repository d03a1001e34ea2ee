"""Induction pack benchmarks: a client with 300 people (a reporting tree) and 200 do's and don'ts.

    python -m tests.benchmarks.bench_pack [--runs 5]

HTML and PDF each measured from the workspace to the file written, org chart picture included.
Medians; never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from companion.core import induction
from companion.core.people import people_at
from companion.core.service import Workspace
from tests.benchmarks.bench_meeting import build

HTML_GOAL_S = 0.5
PDF_GOAL_S = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0], "-platform", "offscreen"])  # the chart is drawn by the app's widget
    from companion.render.pack import pack_html, write_pack_pdf
    from companion.ui.people.org_picture import pack_images

    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "workspace.sqlite")
        meeting = ws.get(kind="meeting", id=build(ws))
        client_id = str(meeting["client_id"])

        def gather():
            state = induction.current(ws, client_id=client_id)
            images = pack_images(people_at(ws, client_id=client_id), candid=state.pack.candid)
            return state, images

        def html():
            state, images = gather()
            page = pack_html(state.pack, version=int(state.version["number"]), images=images)
            (Path(folder) / "pack.html").write_text(page, encoding="utf-8")

        def pdf():
            state, images = gather()
            write_pack_pdf(
                state.pack, Path(folder) / "pack.pdf", version=int(state.version["number"]), images=images
            )

        pdf()  # fonts load once per process
        timings = {}
        for name, job in (("html", html), ("pdf", pdf)):
            runs = []
            for _ in range(args.runs):
                start = time.perf_counter()
                job()
                runs.append(time.perf_counter() - start)
            timings[name] = statistics.median(runs)
        state, _images = gather()
        size = sum(len(s.markdown) for s in state.pack.sections)
        ws.close()
    del app
    print(f"pack: 300 people in a reporting tree, 200 do's and don'ts; {size:,} characters of text")
    print(f"{'measure':<44}{'median':>10}  goal")
    print(f"{'HTML file, from the workspace':<44}{timings['html']:>9.2f}s  ≤ {HTML_GOAL_S} s")
    print(f"{'PDF file, from the workspace':<44}{timings['pdf']:>9.2f}s  ≤ {PDF_GOAL_S} s")


if __name__ == "__main__":
    main()
