"""Account plan benchmarks: a client with 50 objectives, 150 measure readings, 100 actions and 40 risks.

    python -m tests.benchmarks.bench_plan [--runs 10]

The client has 300 people; its plan: 50 objectives over the four perspectives with a measure each and three
readings, 80 actions on objectives and 20 on risks, 40 risks, 8 SWOT items, 3 contracts, 3 competitors
present and 30 people tied to them. Measured: gathering the plan (`load_plan_section`), opening the Plan
section (gathered, then every list of the client page's Plan tab filled and painted, offscreen), and the
PDF written from the workspace (gathered, written as Markdown, laid out, renamed into place). Medians;
never asserted in tests.
"""

from __future__ import annotations

import argparse
import random
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
from companion.model.kinds import PERSPECTIVES, RISK_CATEGORIES, SWOT_QUADRANTS

LOAD_GOAL_MS = 100.0
PDF_GOAL_MS = 1000.0
OBJECTIVES, READINGS_EACH, OBJECTIVE_ACTIONS, RISK_ACTIONS, RISKS = 50, 3, 80, 20, 40


def build_plan(ws: Workspace, *, contacts: int = 300) -> str:
    """The client, its people and its plan of the sizes above, written in one batch; returns the client."""
    rng = random.Random(17)
    client = new_id()
    edits = [Edit("create", "client", client, {"name": "Halvorsen Offshore"})]
    colleagues = [new_id() for _ in range(4)]
    edits += [Edit("create", "colleague", c, {"name": f"Colleague {i}"}) for i, c in enumerate(colleagues)]
    people = [new_id() for _ in range(contacts)]
    for i, person in enumerate(people):
        edits.append(Edit("create", "contact", person, {"name": f"Person {i:03d}"}))
        values = {"contact_id": person, "client_id": client, "title": f"Role {i}"}
        edits.append(Edit("create", "position", None, values))
    plan = new_id()
    edits.append(
        Edit(
            "create",
            "account_plan",
            plan,
            {
                "client_id": client,
                "title": "Plan 2027",
                "status": "active",
                "type": "expand",
                "period_from": "2027-01-01",
                "period_to": "2027-12-31",
                "next_review": "2027-03-15",
                "strategy": "Land the subsea frame, then expand to wind. " * 4,
                "shared_with_ids": people[:3],
            },
        )
    )
    for i in range(8):
        values = {
            "plan_id": plan,
            "quadrant": SWOT_QUADRANTS[i % 4],
            "text": f"Point {i} " * 6,
            "candid": i % 3 == 0,
        }
        edits.append(Edit("create", "swot_item", None, values))
    objectives = [new_id() for _ in range(OBJECTIVES)]
    for i, objective in enumerate(objectives):
        edits.append(
            Edit(
                "create",
                "objective",
                objective,
                {
                    "plan_id": plan,
                    "title": f"Objective {i:02d}: grow the share of the fleet work",
                    "perspective": PERSPECTIVES[i % len(PERSPECTIVES)],
                    "owner_id": rng.choice(colleagues),
                    "stakeholder_id": rng.choice(people),
                    "due": f"2027-{1 + i % 12:02d}-28",
                    "status": rng.choice(("not_started", "on_track", "at_risk", "off_track")),
                },
            )
        )
        measure = new_id()
        unit = ("number", "currency", "percent")[i % 3]
        edits.append(
            Edit(
                "create",
                "measure",
                measure,
                {
                    "objective_id": objective,
                    "name": f"Measure {i:02d}",
                    "unit": unit,
                    "currency": "EUR" if unit == "currency" else None,
                    "direction": "up_is_good",
                    "baseline": 10,
                    "target": 20 + i,
                },
            )
        )
        for month in range(READINGS_EACH):
            values = {"measure_id": measure, "date": f"2026-{month + 1:02d}-01", "value": 10 + month * 2.5}
            edits.append(Edit("create", "measure_reading", None, values))
    for i in range(OBJECTIVE_ACTIONS):
        values = {
            "objective_id": objectives[i % OBJECTIVES],
            "text": f"Action {i:02d}: book the site tour",
            "owner_id": rng.choice(colleagues),
            "contact_id": rng.choice(people),
            "due": f"2026-{1 + i % 12:02d}-15",
            "done": i % 4 == 0,
        }
        edits.append(Edit("create", "action", None, values))
    competitors = [new_id() for _ in range(3)]
    for i, competitor in enumerate(competitors):
        values = {
            "name": f"Competitor {i}",
            "strengths": "Cheap day rates.",
            "weaknesses": "Thin on safety.",
            "our_answer": "Whole-life cost.",
        }
        edits.append(Edit("create", "competitor", competitor, values))
        values = {"competitor_id": competitor, "client_id": client, "footprint": "The ROV contract."}
        edits.append(Edit("create", "competitor_presence", None, values))
    for person in people[:30]:
        values = {"competitor_id": rng.choice(competitors), "contact_id": person, "tie": "worked_there"}
        edits.append(Edit("create", "competitor_tie", None, values))
    risks = [new_id() for _ in range(RISKS)]
    for i, risk in enumerate(risks):
        edits.append(
            Edit(
                "create",
                "risk",
                risk,
                {
                    "client_id": client,
                    "title": f"Risk {i:02d}: the sponsor retires",
                    "category": RISK_CATEGORIES[i % len(RISK_CATEGORIES)],
                    "likelihood": rng.randint(1, 5),
                    "impact": rng.randint(1, 5),
                    "trigger": "A farewell party is announced.",
                    "mitigation": "Meet the successor early.",
                    "contingency": "Escalate to the CEO.",
                    "owner_id": rng.choice(colleagues),
                    "contact_ids": rng.sample(people, 2),
                    "status": ("open", "watching", "closed")[i % 3],
                    "next_review": "2027-01-10",
                },
            )
        )
    for i in range(RISK_ACTIONS):
        values = {
            "risk_id": risks[i % RISKS],
            "text": f"Risk action {i:02d}",
            "owner_id": rng.choice(colleagues),
        }
        edits.append(Edit("create", "action", None, values))
    for i in range(3):
        values = {
            "client_id": client,
            "title": f"Contract {i}",
            "starts": "2024-01-01",
            "ends": "2027-12-31",
            "notice_by": "2027-06-30",
            "value": 1_250_000,
            "currency": "EUR",
            "renewal_status": "to_review",
            "obligations": "Response within 4 hours.",
        }
        edits.append(Edit("create", "contract", None, values))
    ws.apply(edits=edits, label="benchmark plan", react=False)
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
