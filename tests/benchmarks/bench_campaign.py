"""Campaign benchmarks: drawing a campaign's targets over a 2,000-client cohort, opening a 5,000-target work list.

    python -m tests.benchmarks.bench_campaign [--runs 5] [--clients 2000]

The synthetic workspace (core/demo.load_synthetic's records: 10 people a client, 3 do's and don'ts) with
what drawing reads added here: the people's buying roles by their title (chief executive: decision
maker, chief financial officer: economic buyer, head of procurement: sponsor, IT director: technical
buyer), a preferred channel and worst and best times for every other person, and for each client one
informal-influence tie from its plant manager to its chief financial officer. The cohort holds every
client (any of the five tags); each run draws a new campaign of it (three targets a client, 6,000 in
all), and that draw is undone and redone (Ctrl+Z, Ctrl+Shift+Z: Workspace.undo of the draw's change set,
then of the undo's). The work list is that of another campaign of 5,000 targets in every status
(tests/core/campaign_records.write_targets). Medians; never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from companion.core.campaigns import draw_targets, work_list
from companion.core.cohorts import cohort_members
from companion.core.demo import synthetic_records
from companion.core.service import Workspace
from companion.model.ids import new_id
from tests.core.campaign_records import write_targets

DRAW_GOAL_MS = 1000.0
UNDO_GOAL_MS = 1000.0
WORK_LIST_GOAL_MS = 150.0
WORK_LIST_TARGETS = 5000
ROLES_BY_TITLE = {
    "Chief Executive Officer": "decision_maker",
    "Chief Financial Officer": "economic_buyer",
    "Head of Procurement": "sponsor",
    "IT Director": "technical_buyer",
}
TAGS = ["nordics", "dach", "latam", "apac", "public-sector"]


def build(ws: Workspace, *, clients: int) -> dict[str, object]:
    """The synthetic workspace with buying roles, channels and ties; a proposition and the cohort."""
    records = synthetic_records(clients=clients, seed=18)
    contacts = {c["id"]: c for c in records["contact"]}
    for n, contact in enumerate(records["contact"]):
        if n % 2 == 0:
            contact.update(preferred_channel="email", worst_times="Monday mornings", best_times="after lunch")
    by_client: dict[str, dict[str, dict]] = {}
    for position in records["position"]:
        role = ROLES_BY_TITLE.get(position["title"])
        if role:
            position["buying_role"] = role
        by_client.setdefault(position["client_id"], {})[position["title"]] = position
    ties = []
    for held in by_client.values():
        if "Plant Manager" in held and "Chief Financial Officer" in held:
            held["Plant Manager"]["stance"] = "supporter"
            ties.append({
                "id": new_id(), "from_contact_id": held["Plant Manager"]["contact_id"],
                "to_contact_id": held["Chief Financial Officer"]["contact_id"], "type": "informal_influence",
                "strength": 4,
            })  # fmt: skip
    records["relationship"] = ties
    proposition, cohort = new_id(), new_id()
    records["proposition"] = [{"id": proposition, "title": "Predictive maintenance", "status": "approved"}]
    records["cohort"] = [{"id": cohort, "name": "Everyone", "tags": TAGS}]
    ws.import_records(records=records, label="benchmark workspace")
    return {
        "proposition": proposition,
        "cohort": cohort,
        "clients": [c["id"] for c in records["client"]],
        "contacts": list(contacts),
    }


def new_campaign(ws: Workspace, built: dict[str, object], name: str) -> str:
    values = {"name": name, "proposition_id": built["proposition"], "cohort_id": built["cohort"]}
    return ws.create(kind="campaign", values={**values, "status": "running"}, react=False).created_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "workspace.sqlite")
        built = build(ws, clients=args.clients)
        members = []
        for _ in range(max(args.runs, 10)):
            start = time.perf_counter()
            cohort_members(ws, built["cohort"])
            members.append(time.perf_counter() - start)
        draws, undos, redos, drawn = [], [], [], 0
        for run in range(args.runs):
            campaign = new_campaign(ws, built, f"Draw {run}")
            start = time.perf_counter()
            changes = draw_targets(ws, campaign)
            draws.append(time.perf_counter() - start)
            drawn = len(changes)
            start = time.perf_counter()
            undone = ws.undo(changes=changes)
            undos.append(time.perf_counter() - start)
            start = time.perf_counter()
            ws.undo(changes=undone)
            redos.append(time.perf_counter() - start)
        listed = new_campaign(ws, built, "Work list")
        write_targets(
            ws, campaign_id=listed, client_ids=built["clients"], contact_ids=built["contacts"],
            count=WORK_LIST_TARGETS,
        )  # fmt: skip
        opens, rows = [], 0
        for _ in range(max(args.runs, 10)):
            start = time.perf_counter()
            rows = len(work_list(ws, listed))
            opens.append(time.perf_counter() - start)
        ws.close()
    print(
        f"cohort: {args.clients:,} clients, {len(built['contacts']):,} people; "
        f"a draw makes {drawn:,} targets; the work list shows {rows:,}"
    )
    print(f"{'measure':<44}{'median':>10}  goal")
    members_label = f"the cohort's members ({args.clients:,} clients)"
    print(f"{members_label:<44}{statistics.median(members) * 1000:>8.1f}ms  (part of drawing)")
    draw_label = f"drawing the targets ({args.clients:,} clients)"
    print(f"{draw_label:<44}{statistics.median(draws) * 1000:>8.1f}ms  ≤ {DRAW_GOAL_MS:.0f} ms")
    print(f"{'undo the draw':<44}{statistics.median(undos) * 1000:>8.1f}ms  ≤ {UNDO_GOAL_MS:.0f} ms")
    print(f"{'redo the draw':<44}{statistics.median(redos) * 1000:>8.1f}ms  ≤ {UNDO_GOAL_MS:.0f} ms")
    list_label = f"the work list ({WORK_LIST_TARGETS:,} targets)"
    print(f"{list_label:<44}{statistics.median(opens) * 1000:>8.1f}ms  ≤ {WORK_LIST_GOAL_MS:.0f} ms")


if __name__ == "__main__":
    main()
