"""Account plan benchmarks: a client with 50 objectives, 150 measure readings, 100 actions and 40 risks.

    python -m tests.benchmarks.bench_plan [--runs 10]

The client has 300 people; its plan (tests/core/plan_records.py): 50 objectives over the four perspectives
with a measure each and three readings, 50 actions toward objectives and 50 against risks, 40 risks, a
SWOT, 3 contracts, a competitor present and 30 people tied to it. Measured: gathering the plan (`load_plan_section`), opening the Plan
section (gathered, then every list of the client page's Plan tab filled and painted, offscreen), and the
PDF written from the workspace (gathered, written as Markdown, laid out, renamed into place). Medians;
never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from companion.core.account_plan import load_plan_section
from companion.core.changes import Edit
from companion.core.plan_document import build_plan_document
from companion.core.service import Workspace
from companion.model.ids import new_id
from tests.core.plan_records import write_plan

LOAD_GOAL_MS = 100.0
PDF_GOAL_MS = 1000.0
OBJECTIVES, READINGS, ACTIONS, RISKS = 50, 150, 100, 40


def build_plan(ws: Workspace, *, contacts: int = 300) -> str:
    """The client, its people and its plan of the sizes above, written in two batches; returns the client."""
    client = new_id()
    edits = [Edit("create", "client", client, {"name": "Halvorsen Offshore"})]
    colleagues = [new_id() for _ in range(4)]
    edits += [Edit("create", "colleague", c, {"name": f"Colleague {i}"}) for i, c in enumerate(colleagues)]
    people = [new_id() for _ in range(contacts)]
    for i, person in enumerate(people):
        edits.append(Edit("create", "contact", person, {"name": f"Person {i:03d}"}))
        values = {"contact_id": person, "client_id": client, "title": f"Role {i}"}
        edits.append(Edit("create", "position", None, values))
    ws.apply(edits=edits, label="benchmark people", react=False)
    write_plan(
        ws, client_id=client, objectives=OBJECTIVES, readings=READINGS, actions=ACTIONS, risks=RISKS,
        contracts=3, ties=30, people=people, colleagues=colleagues,
    )  # fmt: skip
    return client


def _median(job, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _pages(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from companion.render.plan import write_plan_pdf

    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "workspace.sqlite")
        client = build_plan(ws)
        target = Path(folder) / "plan.pdf"

        def load():
            load_plan_section(ws, client_id=client)

        def pdf():
            write_plan_pdf(build_plan_document(ws, client_id=client), target)

        from PySide6.QtWidgets import QApplication

        from companion.ui.clients.plan_tab import PlanTab

        app = QApplication.instance() or QApplication([])
        tab = PlanTab()
        tab.resize(1100, 640)
        tab.show()

        def open_section():
            tab.show_section(load_plan_section(ws, client_id=client))
            tab.repaint()  # painted, not only laid out
            app.processEvents()

        open_section()
        pdf()  # fonts load once per process
        load_s = _median(load, args.runs)
        open_s = _median(open_section, args.runs)
        pdf_s = _median(pdf, args.runs)
        document = build_plan_document(ws, client_id=client)
        section = load_plan_section(ws, client_id=client)
        pages = _pages(target)
        ws.close()
    readings = sum(len(m.readings) for o in section.objectives for m in o.measures)
    print(
        f"plan: {len(section.objectives)} objectives, {readings} measure readings, {len(section.actions)} actions, "
        f"{len(section.risks)} risks; {len(document.markdown):,} characters of Markdown, {pages} pages"
    )
    print(f"{'measure':<44}{'median':>10}  goal")
    print(f"{'gathering the plan (load_plan_section)':<44}{load_s * 1000:>8.1f}ms  ≤ {LOAD_GOAL_MS:.0f} ms")
    print(
        f"{'opening the Plan section (gathered and shown)':<44}{open_s * 1000:>8.1f}ms  ≤ {LOAD_GOAL_MS:.0f} ms"
    )
    print(f"{'PDF file, from the workspace':<44}{pdf_s * 1000:>8.1f}ms  ≤ {PDF_GOAL_MS:.0f} ms")


if __name__ == "__main__":
    main()
