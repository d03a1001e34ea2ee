"""`companion opportunity list|gaps`: the pipeline by stage with its totals and the open deals' gaps, the
workspace's or one client's, as text or JSON, in real processes on a real workspace; refusals are one line
with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from tests.cli.test_cli import assert_bad_input, ok, run

TODAY = "2026-12-02"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def seeded(data_dir) -> dict[str, str]:
    """Halvorsen's three deals (one won) and Aurora's one; Ingrid is Halvorsen's supportive CFO."""
    ws = open_workspace(workspace_path(data_dir))
    try:
        make = lambda kind, **values: ws.create(kind=kind, values=values).created_id  # noqa: E731
        ids = {
            "halvorsen": make("client", name="Halvorsen Offshore"),
            "aurora": make("client", name="Aurora Retail"),
        }
        ids["ingrid"] = make("contact", name="Ingrid Dahl")
        make("position", contact_id=ids["ingrid"], client_id=ids["halvorsen"], stance="supporter")
        ids["pilot"] = make(
            "opportunity", client_id=ids["halvorsen"], title="Subsea pilot", stage="negotiating", value=1_250_000,
            currency="NOK", expected_close="2027-01-15", economic_buyer_id=ids["ingrid"],
            decision_process_status="confirmed", metrics_status="confirmed",
        )  # fmt: skip
        ids["frame"] = make(
            "opportunity", client_id=ids["halvorsen"], title="Service frame", stage="negotiating", value=250_000,
            currency="NOK", decision_process_status="confirmed",
        )  # fmt: skip
        make("opportunity", client_id=ids["halvorsen"], title="Fleet monitoring", stage="won", value=40_000,
             currency="EUR", outcome_reason="Proven on the pilot.")  # fmt: skip
        ids["kiosk"] = make("opportunity", client_id=ids["aurora"], title="Store kiosks", stage="idea")
    finally:
        ws.close()
    return ids


def test_the_pipeline_by_stage_with_totals(data_dir, seeded):
    out = ok(data_dir, "opportunity", "list", "--today", TODAY).splitlines()
    assert out[0] == "Idea · 1 deal"
    assert out[1].startswith("  Store kiosks") and "Aurora Retail" in out[1] and out[1].endswith("0/8  1 gap")
    assert out[2:4] == ["Qualifying · 0 deals", "Proposing · 0 deals"]
    assert out[4] == "Negotiating · 2 deals · 1,500,000 NOK"
    assert out[5].startswith("  Subsea pilot") and "1,250,000 NOK  2027-01-15  2/8" in out[5]
    assert out[6].startswith("  Service frame") and out[6].endswith("1/8  1 gap")
    assert out[7] == "Won · 1 deal · 40,000 EUR"
    assert out[-2:] == ["Lost · 0 deals", "Withdrawn · 0 deals"]


def test_one_client_s_one_stage_and_as_json(data_dir, seeded):
    out = ok(data_dir, "opportunity", "list", "--client", "halvorsen", "--stage", "Negotiating")
    lines = out.splitlines()
    assert lines[0] == "Negotiating · 2 deals · 1,500,000 NOK" and len(lines) == 3
    assert "Halvorsen" not in lines[1]  # one client's: no client column
    (stage,) = json.loads(
        ok(data_dir, "opportunity", "list", "--client", seeded["halvorsen"], "--stage", "won", "--json")
    )
    assert stage["stage"] == "won" and stage["totals"] == {"EUR": 40000.0}
    assert [d["title"] for d in stage["deals"]] == ["Fleet monitoring"] and stage["deals"][0]["gaps"] == []


def test_the_gaps_of_the_open_deals(data_dir, seeded):
    out = ok(data_dir, "opportunity", "gaps", "--today", TODAY)
    assert out == (
        "Aurora Retail · Store kiosks (idea) · 0/8 confirmed\n"
        "  - No economic buyer is named for “Store kiosks”: find out who signs off the budget.\n"
        "Halvorsen Offshore · Service frame (negotiating, 250,000 NOK) · 1/8 confirmed\n"
        "  - No economic buyer is named for “Service frame”: find out who signs off the budget.\n"
    )
    found = json.loads(ok(data_dir, "opportunity", "gaps", "--client", "Halvorsen", "--json"))
    assert [(d["id"], [g["key"] for g in d["gaps"]]) for d in found] == [
        (seeded["frame"], ["no_economic_buyer"])
    ]


def test_no_gaps_is_said_so(data_dir, seeded):
    ws = open_workspace(workspace_path(data_dir))
    try:
        for deal in ("frame", "kiosk"):
            ws.update(kind="opportunity", id=seeded[deal], values={"stage": "withdrawn"})
    finally:
        ws.close()
    assert ok(data_dir, "opportunity", "gaps") == "No qualification gaps in the open deals.\n"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("list", "--stage", "closing"), "--stage"),
        (("gaps", "--today", "tomorrow"), "--today"),
        (("list", "--client", "Nobody"), "Nobody"),
    ],
)
def test_bad_input_is_one_line(data_dir, seeded, args, named):
    assert_bad_input(run(data_dir, "opportunity", *args), named)
