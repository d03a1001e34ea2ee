"""`companion campaign draw|worklist|feedback` and `companion cohort members`, end to end on a real workspace."""

from __future__ import annotations

import json

import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from companion.core.campaigns import log_approach, work_list
from tests.cli.test_cli import assert_bad_input, ok, run
from tests.core.campaign_records import build_sales


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def sales(data_dir) -> dict[str, str]:
    ws = open_workspace(workspace_path(data_dir))
    try:
        return build_sales(ws)
    finally:
        ws.close()


def test_draw_by_name_then_again_adds_nothing(data_dir, sales):
    assert ok(data_dir, "campaign", "draw", "predictive maintenance") == (
        "Predictive maintenance, winter: drew 4 new targets\n"
    )
    assert ok(data_dir, "campaign", "draw", sales["campaign"], "--today", "2026-12-06") == (
        "Predictive maintenance, winter: drew 0 new targets\n"
    )


def test_the_work_list_in_its_order_with_routes_and_reasons(data_dir, sales):
    ok(data_dir, "campaign", "draw", "winter")
    ws = open_workspace(workspace_path(data_dir))
    try:
        per = next(r for r in work_list(ws, sales["campaign"]) if r.contact_name == "Per Lunde")
        log_approach(
            ws, per.id, date="2026-12-01", channel="meeting", summary="No.", status="declined",
            reason="No budget  this year",
        )  # fmt: skip
    finally:
        ws.close()
    assert ok(data_dir, "campaign", "worklist", "Winter").splitlines() == [
        "   2  To approach   Halvorsen Offshore: Ingrid Dahl, CFO · economic buyer",
        "      through Siri Moe",
        "   3  To approach   Nordlys Subsea: Lars Vik, VP subsea · sponsor",
        "   4  To approach   Fjord Drilling: (find who)",
        "   1  Declined      Halvorsen Offshore: Per Lunde, COO · decision maker",
        "      why: No budget this year",
    ]
    rows = json.loads(ok(data_dir, "campaign", "worklist", "winter", "--json"))
    assert [r["contact_id"] for r in rows][:2] == [sales["ingrid"], sales["lars"]]
    assert rows[0]["approach"].startswith("- Through Siri Moe")


def test_feedback_of_a_proposition(data_dir, sales):
    before = ok(data_dir, "campaign", "feedback", "subsea maintenance").splitlines()
    assert before == ["Predictive subsea maintenance: no campaign has approached anyone with it yet"]
    ok(data_dir, "campaign", "draw", "winter")
    ws = open_workspace(workspace_path(data_dir))
    try:
        for target in work_list(ws, sales["campaign"])[:2]:
            log_approach(
                ws, target.id, date="2026-12-01", channel="call", summary="No.", status="declined",
                reason="No budget",
            )  # fmt: skip
    finally:
        ws.close()
    lines = ok(data_dir, "campaign", "feedback", "subsea maintenance").splitlines()
    assert lines[0] == "Predictive subsea maintenance: 2 declined, 0 not relevant of 4 targets"
    assert lines[1:5] == ["By reason:", "     2  No budget", "By cohort (declines of targets):",
                          "     2 of 4    North Sea operators"]  # fmt: skip
    result = json.loads(ok(data_dir, "campaign", "feedback", sales["proposition"], "--json"))
    assert (result["declined"], result["targets"], result["by_reason"]) == (2, 4, [["No budget", 2]])


def test_cohort_members_marks_the_added_ones(data_dir, sales):
    ws = open_workspace(workspace_path(data_dir))
    try:
        ws.update(kind="cohort", id=sales["cohort"], values={"added_ids": [sales["bakeri"]]})
    finally:
        ws.close()
    assert ok(data_dir, "cohort", "members", "north sea").splitlines() == [
        "+ Bakeri Berg (Food)",
        "  Fjord Drilling (active)",
        "  Halvorsen Offshore (Oil & Gas, active)",
        "  Nordlys Subsea (oil  & gas, prospect)",
    ]
    rows = json.loads(ok(data_dir, "cohort", "members", sales["cohort"], "--json"))
    assert [(r["name"], r["added"]) for r in rows][:2] == [("Bakeri Berg", True), ("Fjord Drilling", False)]


def test_unknown_or_ambiguous_names_are_one_line_of_bad_input(data_dir, sales):
    assert_bad_input(run(data_dir, "campaign", "draw", "spring"), "no campaign 'spring'")
    assert_bad_input(run(data_dir, "campaign", "draw", "winter", "--today", "soon"), "--today", "soon")
    ws = open_workspace(workspace_path(data_dir))
    try:
        ws.create(kind="cohort", values={"name": "North Sea wind", "tags": ["wind"]})
    finally:
        ws.close()
    assert_bad_input(run(data_dir, "cohort", "members", "north sea"), "names 2 cohorts", "Give the id")
    assert_bad_input(run(data_dir, "campaign", "feedback", "  "), "Name a proposition")
