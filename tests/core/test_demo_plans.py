"""The demo workspace's account plans show what the plan section is for, and the synthetic workspaces have plans."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from companion.core.demo import load_demo, load_synthetic, synthetic_records
from companion.core.seed import slug_id
from companion.model.kinds import PERSPECTIVES, PLAN_STATUSES, PLAN_TYPES, SWOT_QUADRANTS

TODAY = dt.date(2026, 11, 22)


def _date(value: object) -> dt.date:
    return dt.date.fromisoformat(str(value))


@pytest.fixture
def demo(workspace):
    load_demo(workspace, today=TODAY)
    return workspace


def _by(records, field: str) -> dict[str, list]:
    grouped = defaultdict(list)
    for record in records:
        grouped[str(record[field])].append(record)
    return grouped


def test_every_client_has_a_plan_of_its_own_kind_and_state(demo):
    plans = _by(demo.list(kind="account_plan"), "client_id")
    clients = demo.list(kind="client")
    assert len(clients) == 5
    for client in clients:
        assert plans[client.id], f"{client['name']} has no account plan"
        assert sum(p["status"] == "active" for p in plans[client.id]) <= 1, client["name"]
        assert all(p["strategy"] for p in plans[client.id]), client["name"]
    every = [p for group in plans.values() for p in group]
    assert {p["type"] for p in every} == set(PLAN_TYPES)
    assert {p["status"] for p in every} == set(PLAN_STATUSES)
    reviews = [_date(p["next_review"]) for p in every if p["status"] == "active" and p["next_review"]]
    assert any(TODAY <= day <= TODAY + dt.timedelta(days=14) for day in reviews), reviews


def test_active_plans_have_a_swot_and_scorecard_objectives_with_owners_and_stakeholders(demo):
    active = [p for p in demo.list(kind="account_plan") if p["status"] == "active"]
    assert len(active) == 5
    swot = _by(demo.list(kind="swot_item"), "plan_id")
    objectives = _by(demo.list(kind="objective"), "plan_id")
    for plan in active:
        quadrants = _by(swot[plan.id], "quadrant")
        for quadrant in SWOT_QUADRANTS:
            assert 2 <= len(quadrants[quadrant]) <= 4, (plan["title"], quadrant)
        assert any(item["candid"] for item in swot[plan.id]), plan["title"]
        assert len(objectives[plan.id]) >= 3, plan["title"]
        for objective in objectives[plan.id]:
            assert objective["owner_id"] and objective["stakeholder_id"], objective["title"]
    perspectives = {o["perspective"] for plan in active for o in objectives[plan.id]}
    assert perspectives == set(PERSPECTIVES)
    contacts = {c.id for c in demo.list(kind="contact")}
    colleagues = {c.id for c in demo.list(kind="colleague")}
    for objective in demo.list(kind="objective"):
        assert objective["owner_id"] in colleagues and objective["stakeholder_id"] in contacts


def _behind(measure, readings) -> bool:
    """The latest reading falls short of the target, judged by the measure's direction."""
    latest = float(readings[-1]["value"])
    target = float(measure["target"])
    return latest > target if measure["direction"] == "down_is_good" else latest < target


def test_a_measure_is_clearly_behind_its_target_with_months_of_readings(demo):
    readings = _by(demo.list(kind="measure_reading"), "measure_id")
    behind = []
    for measure in demo.list(kind="measure"):
        history = sorted(readings[measure.id], key=lambda r: str(r["date"]))
        if len(history) < 4 or measure["target"] is None or measure["direction"] is None:
            continue
        span = (_date(history[-1]["date"]) - _date(history[0]["date"])).days
        if span >= 60 and _behind(measure, history):
            behind.append(measure["name"])
    assert behind
    # And one that met its target, so "behind" is told apart from "met".
    met = [
        m
        for m in demo.list(kind="measure")
        if readings[m.id] and not _behind(m, sorted(readings[m.id], key=lambda r: str(r["date"])))
    ]
    assert met
    money = [m for m in demo.list(kind="measure") if m["unit"] == "currency"]
    assert any(m["currency"] in ("EUR", "NOK") for m in money)


def test_actions_are_overdue_done_and_tied_to_objectives_and_risks(demo):
    actions = demo.list(kind="action")
    overdue = [a for a in actions if not a["done"] and a["due"] and _date(a["due"]) < TODAY]
    assert overdue
    assert any(a["done"] for a in actions)
    assert any(a["objective_id"] for a in actions) and any(a["risk_id"] for a in actions)


def test_risks_spread_over_the_grid(demo):
    risks = demo.list(kind="risk")
    cells = {(r["likelihood"], r["impact"]) for r in risks}
    assert len(cells) >= 3
    assert any(r["likelihood"] * r["impact"] >= 12 for r in risks)
    assert len({r["category"] for r in risks}) >= 4
    assert {r["status"] for r in risks} == {"open", "watching", "closed"}
    assert all(r["owner_id"] for r in risks)
    assert any(r["contact_ids"] for r in risks)
    soon = [
        r
        for r in risks
        if r["status"] != "closed"
        and r["next_review"]
        and _date(r["next_review"]) <= TODAY + dt.timedelta(days=7)
    ]
    assert soon
    clients_with_risks = {r["client_id"] for r in risks}
    assert len(clients_with_risks) == 5


def test_a_contract_needs_notice_within_90_days(demo):
    due = [
        c
        for c in demo.list(kind="contract")
        if c["notice_by"]
        and TODAY <= _date(c["notice_by"]) <= TODAY + dt.timedelta(days=90)
        and c["renewal_status"] in (None, "to_review")
    ]
    assert due
    for contract in due:
        assert _date(contract["ends"]) > _date(contract["notice_by"])
        assert contract["value"] and contract["currency"] and contract["obligations"]


def test_a_competitor_at_two_clients_has_a_person_tied_to_it_who_is_in_an_upcoming_meeting(demo):
    present_at = defaultdict(set)
    for presence in demo.list(kind="competitor_presence"):
        assert presence["footprint"]
        present_at[presence["competitor_id"]].add(presence["client_id"])
    ties = _by(demo.list(kind="competitor_tie"), "competitor_id")
    widespread = [c for c, clients in present_at.items() if len(clients) >= 2 and ties[c]]
    assert widespread
    people_at = defaultdict(set)
    for position in demo.list(kind="position"):
        if not position["ended"]:
            people_at[position["client_id"]].add(position["contact_id"])
    upcoming = [
        m
        for m in demo.list(kind="meeting")
        if m["status"] == "planned" and dt.datetime.fromisoformat(str(m["starts_at"])).date() >= TODAY
    ]
    for competitor in widespread:
        tied = {t["contact_id"] for t in ties[competitor]}
        # The tied person works at one of the clients the competitor is at, and we meet them soon.
        assert tied & set().union(*(people_at[c] for c in present_at[competitor]))
        assert any(tied & set(m["contact_ids"] or ()) for m in upcoming)


def test_the_notes_that_held_plans_and_competitors_became_records(demo):
    notes = {n.id for n in demo.list(kind="note")}
    for slug in (
        "note-halvorsen-renewal-plan",
        "note-kurobane-ringi-plan",
        "note-jonas-competitor",
        "note-paineira-competitor",
    ):
        assert slug_id(slug) not in notes, slug
    names = {c["name"] for c in demo.list(kind="competitor")}
    assert {"Nordvane", "GeloTrack"} <= names


def test_early_warning_decisions_name_their_subject(demo):
    decisions = demo.list(kind="warning_decision")
    assert {d["decision"] for d in decisions} == {"accepted", "dismissed"}
    for decision in decisions:
        rule, _, subject = str(decision["warning"]).partition(":")
        assert rule and demo.find_kind(id=subject), decision["warning"]
        if decision["decision"] == "accepted":
            assert demo.get(kind="risk", id=decision["risk_id"])["warning"] == decision["warning"]


def test_synthetic_workspaces_have_plans_for_some_clients(workspace):
    records = synthetic_records(clients=9, seed=5)
    assert records == synthetic_records(clients=9, seed=5)
    planned = {p["client_id"] for p in records["account_plan"]}
    assert len(planned) == 3
    assert records["competitor"] and records["competitor_presence"] and records["competitor_tie"]
    for kind in ("swot_item", "objective", "measure", "measure_reading", "risk", "action", "contract"):
        assert records[kind], kind
    load_synthetic(workspace, clients=9, seed=5)
    assert workspace.count(kind="account_plan") == 3
    assert {p["client_id"] for p in workspace.list(kind="account_plan")} == planned
    assert workspace.count(kind="measure_reading") == len(records["measure_reading"])
