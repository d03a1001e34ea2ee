"""Meeting preparation benchmarks: composing a checklist and printing the brief.

    python -m tests.benchmarks.bench_meeting [--runs 20]

A meeting with 20 attendees at a client with 300 people and 200 do's and don'ts, its people with a
history of interactions and open follow-ups, two built-in templates, and an active account plan (50
objectives with measures and readings, 100 actions, 40 risks, 5 contracts, 3 of the attendees tied to
competitors). Medians; never asserted in tests.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from companion.core import checklist, meetings
from companion.core.brief import build_brief
from companion.core.changes import Edit
from companion.core.service import Workspace
from companion.core.templates import ensure_built_in_templates
from companion.model.ids import new_id
from companion.render.brief import brief_markdown
from companion.render.pdf import write_pdf

COMPOSE_GOAL_MS = 50.0
PDF_GOAL_MS = 1000.0


def build(ws: Workspace, *, contacts: int = 300, guidelines: int = 200, attendees: int = 20) -> str:
    """The client (300 people in a reporting tree, 200 do's and don'ts, 900 interactions) and a meeting."""
    rng = random.Random(7)
    ensure_built_in_templates(ws)
    client = new_id()
    edits = [Edit("create", "client", client, {"name": "Halvorsen Offshore", "protocols": "Arrive early."})]
    site = new_id()
    edits.append(
        Edit(
            "create",
            "site",
            site,
            {
                "client_id": client,
                "name": "Ågotnes base",
                "dress_code": "Work clothes",
                "security_id": "Passport",
                "security_ppe": "S3 boots",
                "last_verified": "2025-01-01",
            },
        )
    )
    groups = [new_id() for _ in range(10)]
    for i, group in enumerate(groups):
        parent = groups[0] if i else None
        edits.append(
            Edit(
                "create", "sub_group", group, {"client_id": client, "name": f"Team {i}", "parent_id": parent}
            )
        )
    people = [new_id() for _ in range(contacts)]
    positions = [new_id() for _ in range(contacts)]
    for i, person in enumerate(people):
        edits.append(
            Edit(
                "create",
                "contact",
                person,
                {
                    "name": f"Person {i:03d}",
                    "personality": "Direct, likes numbers. " * 3,
                    "sensitivities": "Being rushed.",
                    "motivators": "Uptime.",
                    "preferred_channel": "phone",
                    "difficult": i % 7 == 0,
                },
            )
        )
        edits.append(
            Edit(
                "create",
                "position",
                positions[i],
                {
                    "contact_id": person,
                    "client_id": client,
                    # A tree, each reporting to someone before them: a real org chart to draw.
                    "reports_to_id": positions[(i - 1) // 4] if i else None,
                    "title": f"Role {i}",
                    "stance": rng.choice(("champion", "neutral", "sceptic")),
                    "influence": rng.randint(1, 5),
                    "sub_group_id": rng.choice(groups),
                    "role_model": i % 25 == 0,
                },
            )
        )
    for i in range(guidelines):
        scope = ("client", "sub_group", "site", "contact")[i % 4]
        values = {"client_id": client, "polarity": ("do", "dont")[i % 2], "text": f"Rule {i}", "scope": scope}
        values["severity"] = "must" if i % 5 == 0 else "should"
        if scope == "sub_group":
            values["sub_group_id"] = rng.choice(groups)
        elif scope == "site":
            values["site_id"] = site
        elif scope == "contact":
            values["contact_id"] = rng.choice(people)
        edits.append(Edit("create", "guideline", None, values))
    for i in range(900):
        interaction = new_id()
        involved = rng.sample(people, 3)
        edits.append(
            Edit(
                "create",
                "interaction",
                interaction,
                {
                    "client_id": client,
                    "date": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
                    "channel": "call",
                    "contact_ids": involved,
                    "summary": f"Talked about item {i}",
                },
            )
        )
        if i % 3 == 0:
            edits.append(
                Edit("create", "follow_up", None, {"interaction_id": interaction, "text": f"Promise {i}"})
            )
    ws.apply(edits=edits, label="benchmark data")
    templates = [t.id for t in ws.list(kind="checklist_template")][:2]
    chosen = rng.sample(people, attendees)
    ours = plan_volume(ws, client=client, people=people, attendees=chosen)
    values = {
        "client_id": client,
        "site_id": site,
        "title": "Quarterly review",
        "starts_at": MEETING_STARTS,
        "contact_ids": chosen,
        "colleague_ids": ours,
        "template_ids": templates,
        "objectives": "- Agree the pilot",
    }
    return meetings.plan_meeting(ws, values=values).ids("meeting")[0]


MEETING_STARTS = "2026-12-20T09:00:00+01:00"


def plan_volume(
    ws: Workspace,
    *,
    client: str,
    people: list[str],
    attendees: list[str],
    objectives: int = 50,
    actions: int = 100,
    risks: int = 40,
    contracts: int = 5,
    ties: int = 3,
) -> list[str]:
    """The client's active plan at a realistic size, and five colleagues; returns the two who attend."""
    rng = random.Random(17)  # its own, so the rest of the data stays as it was before plans
    edits = []
    colleagues = [new_id() for _ in range(5)]
    for i, colleague in enumerate(colleagues):
        edits.append(Edit("create", "colleague", colleague, {"name": f"Colleague {i}"}))
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
                "strategy": "Become their renewables partner.\nWin the wind IMR frame first.",
            },
        )
    )
    objective_ids = [new_id() for _ in range(objectives)]
    statuses = ("not_started", "on_track", "at_risk", "off_track", "achieved", "dropped")
    for i, objective in enumerate(objective_ids):
        edits.append(
            Edit(
                "create",
                "objective",
                objective,
                {
                    "plan_id": plan,
                    "title": f"Objective {i}",
                    "owner_id": rng.choice(colleagues),
                    "stakeholder_id": rng.choice(people),
                    "due": f"2027-{rng.randint(1, 12):02d}-15",
                    "status": rng.choice(statuses),
                },
            )
        )
        for m in range(1 + i % 2):
            measure = new_id()
            edits.append(
                Edit(
                    "create",
                    "measure",
                    measure,
                    {
                        "objective_id": objective,
                        "name": f"Measure {i}.{m}",
                        "unit": ("number", "currency", "percent")[m],
                        "currency": "NOK" if m == 1 else None,
                        "baseline": 10.0,
                        "target": 20.0,
                    },
                )
            )
            for month in range(1, 4):
                edits.append(
                    Edit(
                        "create",
                        "measure_reading",
                        None,
                        {"measure_id": measure, "date": f"2026-{month + 8:02d}-01", "value": 10.0 + month},
                    )
                )
    risk_ids = [new_id() for _ in range(risks)]
    for i, risk in enumerate(risk_ids):
        edits.append(
            Edit(
                "create",
                "risk",
                risk,
                {
                    "client_id": client,
                    "title": f"Risk {i}",
                    "likelihood": rng.randint(1, 5),
                    "impact": rng.randint(1, 5),
                    "mitigation": "Keep close to the sponsor.",
                    "owner_id": rng.choice(colleagues),
                    "contact_ids": rng.sample(people, 2),
                    "status": rng.choice(("open", "open", "watching", "closed")),
                },
            )
        )
    for i in range(actions):
        toward = {"objective_id": rng.choice(objective_ids)} if i % 3 else {"risk_id": rng.choice(risk_ids)}
        values = {
            **toward,
            "text": f"Action {i}",
            "owner_id": rng.choice(colleagues),
            "contact_id": rng.choice(people),
            "due": f"2026-{rng.randint(10, 12):02d}-{rng.randint(1, 28):02d}",
            "done": i % 4 == 0,
        }
        edits.append(Edit("create", "action", None, values))
    for i in range(contracts):
        notice = f"2027-{1 + i * 2:02d}-15"
        values = {
            "client_id": client,
            "title": f"Contract {i}",
            "starts": "2024-01-01",
            "notice_by": notice,
            "ends": f"2027-{1 + i * 2:02d}-28",
            "value": 1_000_000.0 * (i + 1),
            "currency": "NOK",
            "renewal_status": "to_review",
        }
        edits.append(Edit("create", "contract", None, values))
    competitors = [new_id() for _ in range(2)]
    for i, competitor in enumerate(competitors):
        edits.append(Edit("create", "competitor", competitor, {"name": f"Competitor {i}"}))
        edits.append(
            Edit("create", "competitor_presence", None, {"competitor_id": competitor, "client_id": client})
        )
    for i, person in enumerate(attendees[:ties]):
        values = {
            "competitor_id": competitors[i % 2],
            "contact_id": person,
            "tie": ("worked_there", "relative_there", "champion")[i % 3],
        }
        edits.append(Edit("create", "competitor_tie", None, values))
    ws.apply(edits=edits, label="benchmark plan", react=False)
    return colleagues[:2]


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "workspace.sqlite")
        meeting_id = build(ws)
        meeting = ws.get(kind="meeting", id=meeting_id)
        items = meetings.checklist_items(ws, meeting_id)

        def compose():
            return checklist.compose(meetings.gather(ws, meeting))

        def recompose_unchanged():
            return meetings.recompose(ws, meeting_id=meeting_id)

        def first_composition():
            fresh = ws.apply(
                edits=[Edit("create", "meeting", None, {**meeting.values, "status": "planned"})], label="copy"
            ).ids("meeting")[0]
            meetings.recompose(ws, meeting_id=fresh)

        pdf = Path(folder) / "brief.pdf"

        def brief_pdf():
            brief = build_brief(ws, meeting_id=meeting_id)
            write_pdf(brief_markdown(brief), pdf)

        compose_ms = _median_ms(compose, args.runs)
        unchanged_ms = _median_ms(recompose_unchanged, args.runs)
        first_ms = _median_ms(first_composition, max(3, args.runs // 4))
        brief_pdf()  # fonts load once per process
        pdf_ms = _median_ms(brief_pdf, max(3, args.runs // 2))
        ws.close()
    print(
        "meeting: 20 attendees; client with 300 people, 200 do's and don'ts, a plan of 50 objectives, "
        f"100 actions, 40 risks, 5 contracts, 3 ties; {len(items)} checklist items"
    )
    print(f"{'measure':<52}{'median':>10}  goal")
    print(f"{'compose (read inputs + compose)':<52}{compose_ms:>8.1f}ms  ≤ {COMPOSE_GOAL_MS:.0f} ms")
    print(f"{'recompose, nothing changed (read, compose, compare)':<52}{unchanged_ms:>8.1f}ms")
    print(f"{'first composition, items written':<52}{first_ms:>8.1f}ms")
    print(f"{'brief: gather, Markdown, PDF written':<52}{pdf_ms:>8.1f}ms  ≤ {PDF_GOAL_MS:.0f} ms")


if __name__ == "__main__":
    main()
