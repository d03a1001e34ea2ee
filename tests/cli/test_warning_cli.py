"""`companion warning`: listing early warnings (all, one client's by name or id, as JSON), accepting one as
a risk and dismissing one, in real processes on a real workspace; refusals are one line with exit 2 (bad
input) or 1 (nothing to decide)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from tests.cli.test_cli import assert_bad_input, ok, run


def _day(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def seeded(data_dir) -> dict[str, str]:
    """Halvorsen, whose decision maker does not back us; Aurora, whose contract's notice date is near."""
    ws = open_workspace(workspace_path(data_dir))
    try:
        make = lambda kind, **values: ws.create(kind=kind, values=values).created_id  # noqa: E731
        ids = {"halvorsen": make("client", name="Halvorsen Offshore", status="active")}
        ids["aurora"] = make("client", name="Aurora Retail", status="active")
        ingrid = make("contact", name="Ingrid Dahl")
        make(
            "position", contact_id=ingrid, client_id=ids["halvorsen"], title="CFO",
            buying_role="decision_maker", stance="sceptic",
        )  # fmt: skip
        ids["contract"] = make(
            "contract", client_id=ids["aurora"], title="Frame agreement", notice_by=_day(30), ends=_day(200)
        )
    finally:
        ws.close()
    ids["no_supporter"] = f"no_supporter:{ids['halvorsen']}"
    ids["notice"] = f"contract_notice:{ids['contract']}:{_day(30)}"
    return ids


def _records(data_dir: Path, kind: str) -> list:
    ws = open_workspace(workspace_path(data_dir))
    try:
        return ws.list(kind=kind)
    finally:
        ws.close()


def test_list_shows_every_warning_or_one_client_s(data_dir, seeded):
    out = ok(data_dir, "warning", "list")
    assert seeded["no_supporter"] in out and seeded["notice"] in out
    assert "  Halvorsen Offshore: No decision maker supports us\n" in out
    assert "  Aurora Retail: Notice for “Frame agreement” due in 30 days\n" in out
    by_name = ok(data_dir, "warning", "list", "--client", "aurora")
    assert seeded["notice"] in by_name and seeded["no_supporter"] not in by_name
    assert ok(data_dir, "warning", "list", "--client", seeded["halvorsen"]).startswith(seeded["no_supporter"])
    (listed,) = json.loads(ok(data_dir, "warning", "list", "--client", "Halvorsen Offshore", "--json"))
    assert listed["key"] == seeded["no_supporter"] and listed["rule"] == "no_supporter"
    assert listed["about"] == {"kind": "client", "id": seeded["halvorsen"]}
    assert (listed["risk"]["likelihood"], listed["risk"]["impact"]) == (3, 5)


def test_accept_makes_a_risk_and_the_warning_leaves_the_list(data_dir, seeded):
    out = ok(data_dir, "warning", "accept", seeded["notice"])
    (risk,) = _records(data_dir, "risk")
    assert out == f"accepted: risk {risk.id} “{risk['title']}”\n"
    assert risk["warning"] == seeded["notice"] and risk["category"] == "contractual"
    (decision,) = _records(data_dir, "warning_decision")
    assert (decision["decision"], decision["risk_id"]) == ("accepted", risk.id)
    assert seeded["notice"] not in ok(data_dir, "warning", "list")
    again = run(data_dir, "warning", "accept", seeded["notice"])
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr.strip().splitlines() == [
        f"companion: The early warning “{seeded['notice']}” was accepted as a risk already."
    ]


def test_dismiss_is_remembered(data_dir, seeded):
    assert (
        ok(data_dir, "warning", "dismiss", seeded["no_supporter"]) == f"dismissed: {seeded['no_supporter']}\n"
    )
    (decision,) = _records(data_dir, "warning_decision")
    assert (decision["warning"], decision["decision"]) == (seeded["no_supporter"], "dismissed")
    assert _records(data_dir, "risk") == []
    assert ok(data_dir, "warning", "list", "--client", "halvorsen") == "No early warnings.\n"


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("warning", "accept", "weather:today"), ("weather:today", "not an early warning's key")),
        (("warning", "list", "--client", "Nobody Inc"), ("Nobody Inc",)),
        (("warning", "list", "--client", "r"), ("names 2 clients", "Aurora Retail", "Halvorsen Offshore")),
    ],
)
def test_bad_input_exits_2_with_one_line(data_dir, seeded, args, names):
    assert_bad_input(run(data_dir, *args), *names)


def test_a_warning_that_is_not_pending_exits_2_and_writes_nothing(data_dir, seeded):
    gone = run(data_dir, "warning", "dismiss", "champion_left:0190c7e5-0000-7000-8000-000000000000")
    assert gone.returncode == 2 and "what it was about is gone" in gone.stderr
    assert len(gone.stderr.strip().splitlines()) == 1
    assert _records(data_dir, "warning_decision") == []
