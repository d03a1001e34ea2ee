"""Meeting preparation benchmarks: composing a checklist and printing the brief.

    python -m tests.benchmarks.bench_meeting [--runs 20]

A meeting with 20 attendees at a client with 300 people and 200 do's and don'ts, its people with a
history of interactions and open follow-ups, two built-in templates, and an active account plan (50
objectives with measures and readings, 100 actions, 40 risks, 5 contracts, 3 of the attendees tied to
competitors). Medians; never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from tests.core.plan_records import write_plan

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


def plan_volume(ws: Workspace, *, client: str, people: list[str], attendees: list[str]) -> list[str]:
    """The client's active plan at a realistic size (50 objectives, 100 actions, 40 risks, 5 contracts,
    3 attendees tied to a competitor), and five colleagues; returns the two who attend."""
    colleagues = [new_id() for _ in range(5)]
    edits = [Edit("create", "colleague", c, {"name": f"Colleague {i}"}) for i, c in enumerate(colleagues)]
    ws.apply(edits=edits, label="benchmark colleagues", react=False)
    others = [p for p in people if p not in attendees]
    write_plan(
        ws, client_id=client, objectives=50, readings=150, actions=100, risks=40, contracts=5, ties=3,
        people=[*attendees, *others], colleagues=colleagues, today=dt.date(2026, 12, 1),
    )  # fmt: skip
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
