"""A client's plan section is gathered whole, and one active plan per client is the rule."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.account_plan import is_high, load_plan_section, notice_is_near
from companion.model.errors import ValidationError
from tests.core.helpers import Maker


def test_the_section_gathers_the_shown_plan_and_the_clients_records(workspace):
    maker = Maker(workspace)
    client_id = maker.id("client")
    colleague = maker.id("colleague")
    contact = maker.id("position") and maker.id("contact")
    old = workspace.create(
        kind="account_plan", values={"client_id": client_id, "title": "Plan 2025", "status": "closed"}
    ).created_id
    plan = maker.id("account_plan")
    objective = workspace.create(
        kind="objective",
        values={
            "plan_id": plan,
            "title": "Grow the wind fleet",
            "owner_id": colleague,
            "stakeholder_id": contact,
        },
    ).created_id
    measure = workspace.create(
        kind="measure",
        values={"objective_id": objective, "name": "Vessels", "unit": "number", "baseline": 11, "target": 14},
    ).created_id
    for day, value in (("2026-10-01", 12), ("2026-08-01", 11.5)):
        workspace.create(kind="measure_reading", values={"measure_id": measure, "date": day, "value": value})
    risk = workspace.create(
        kind="risk",
        values={
            "client_id": client_id,
            "title": "Sponsor retires",
            "status": "open",
            "likelihood": 3,
            "impact": 4,
        },
    ).created_id
    workspace.create(
        kind="action", values={"risk_id": risk, "text": "Meet the successor", "due": "2026-12-01"}
    )
    workspace.create(kind="action", values={"objective_id": objective, "text": "Site tour", "done": True})
    competitor = maker.id("competitor")
    workspace.create(kind="competitor_presence", values={"competitor_id": competitor, "client_id": client_id})
    maker.id("competitor_tie")
    workspace.create(kind="swot_item", values={"plan_id": old, "quadrant": "threat", "text": "Old threat"})
    workspace.create(
        kind="swot_item", values={"plan_id": plan, "quadrant": "weakness", "text": "Few references"}
    )

    section = load_plan_section(workspace, client_id=client_id)

    assert section.plan.id == plan and [p.id for p in section.plans] == [plan, old]
    assert [i["text"] for i in section.swot["weakness"]] == ["Few references"] and not section.swot["threat"]
    (view,) = section.objectives
    (measure_view,) = view.measures
    assert [r["value"] for r in measure_view.readings] == [11.5, 12.0]
    assert measure_view.current == 12.0 and measure_view.met is False
    assert measure_view.progress == pytest.approx(1 / 3)
    assert [a["text"] for a in section.actions] == ["Meet the successor", "Site tour"]
    assert is_high(section.risks[0])
    assert section.name(colleague) == "Mira Tan" and section.name(contact) == "Ingrid Dahl"
    assert len(section.presences) == 1 and len(section.ties) == 1
    assert load_plan_section(workspace, client_id=client_id, plan_id=old).swot["threat"]


def test_one_active_plan_per_client(workspace):
    maker = Maker(workspace)
    first = maker.id("account_plan")
    values = {"client_id": maker.id("client"), "title": "Plan 2028", "status": "active"}
    with pytest.raises(ValidationError, match=r"Plan 2027.*is the active account plan already") as refused:
        workspace.create(kind="account_plan", values=values)
    assert refused.value.field == "status"
    assert workspace.count(kind="account_plan") == 1
    second = workspace.create(kind="account_plan", values={**values, "status": "draft"}).created_id
    # Closing the old and activating the new in one change is allowed, and undone together.
    from companion.core.changes import Edit

    swap = workspace.apply(
        edits=[
            Edit("update", "account_plan", first, {"status": "closed"}),
            Edit("update", "account_plan", second, {"status": "active"}),
        ]
    )
    workspace.undo(changes=swap)
    assert workspace.get(kind="account_plan", id=first)["status"] == "active"
    with pytest.raises(ValidationError, match="one may be active at a time"):
        workspace.update(kind="account_plan", id=second, values={"status": "active"})


def test_a_contract_near_notice():
    from companion.core.changes import Record

    today = dt.date(2026, 12, 6)

    def contract(notice, renewal=None):
        return Record("contract", "c", {"notice_by": notice, "renewal_status": renewal}, "", "")

    assert notice_is_near(contract("2027-02-01"), today)
    assert not notice_is_near(contract("2027-06-01"), today)
    assert not notice_is_near(contract("2026-12-01"), today)
    assert not notice_is_near(contract("2027-01-01", "renewed"), today)


def test_numbers_and_currency_codes_are_checked_naming_the_field(workspace):
    maker = Maker(workspace)
    values = {"client_id": maker.id("client"), "title": "Frame", "value": 1_250_000, "currency": "eur"}
    contract = workspace.create(kind="contract", values=values).created_id
    stored = workspace.get(kind="contract", id=contract)
    assert stored["value"] == 1_250_000.0 and stored["currency"] == "EUR"
    with pytest.raises(
        ValidationError, match=r"Contract · Currency \(currency\): 'EU1' is not a currency code"
    ):
        workspace.update(kind="contract", id=contract, values={"currency": "eu1"})
    with pytest.raises(ValidationError, match=r"Contract · Value \(value\): expected a number"):
        workspace.update(kind="contract", id=contract, values={"value": "lots"})


def test_two_active_plans_met_in_a_sync_can_each_still_be_edited(workspace):
    maker = Maker(workspace)
    first = maker.id("account_plan")
    # As a pull writes it: another laptop's active plan of the same client, past the laptop's own rules.
    second = "0193a3c2-0000-7000-8000-0000000000a2"
    stamp = "2026-12-01T09:00:00.000000Z"
    workspace.apply_pulled(
        records=[
            {
                "kind": "account_plan",
                "id": second,
                "seq": 1,
                "created_at": stamp,
                "updated_at": stamp,
                "deleted_at": None,
                "fields": {
                    "client_id": maker.id("client"),
                    "title": "Plan from the other laptop",
                    "status": "active",
                },
            }
        ],
        team_id=None,
        meta={},
        live_before=0,
    )
    workspace.update(kind="account_plan", id=first, values={"strategy": "Still editable"})
    workspace.update(kind="account_plan", id=second, values={"status": "closed"})
    with pytest.raises(ValidationError, match="one may be active at a time"):
        workspace.update(kind="account_plan", id=second, values={"status": "active"})


def test_merging_two_clients_with_an_active_plan_each_keeps_one_active(workspace):
    from companion.core.duplicates import merge_clients

    kept = workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    twin = workspace.create(kind="client", values={"name": "Halvorsen Offshore AS"}).created_id
    for client, title in ((kept, "Plan A"), (twin, "Plan B")):
        workspace.create(
            kind="account_plan", values={"client_id": client, "title": title, "status": "active"}
        )
    merged = merge_clients(workspace, keep_id=kept, duplicate_id=twin)
    plans = {
        str(p["title"]): p["status"] for p in workspace.list(kind="account_plan", where={"client_id": kept})
    }
    assert plans == {"Plan A": "active", "Plan B": "draft"}
    workspace.undo(changes=merged)
    assert (
        workspace.get(
            kind="account_plan", id=workspace.list(kind="account_plan", where={"client_id": twin})[0].id
        )["status"]
        == "active"
    )


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1 250 000", 1_250_000), ("1,250,000", 1_250_000), ("1.250.000", 1_250_000), ("1.250.000,5", 1_250_000.5),
     ("12,5", 12.5), ("0,125", 0.125), ("12.5%", 12.5), ("-3", -3), ("1250.5", 1250.5)],
)  # fmt: skip
def test_numbers_are_read_as_people_write_them(typed, value):
    from companion.model.kinds import get_kind
    from companion.model.values import parse_text

    contract = get_kind("contract")
    assert parse_text(contract, contract.field("value"), typed) == value


@pytest.mark.parametrize("typed", ["1.250", "1,250", "-2.500"])
def test_a_number_that_reads_two_ways_is_refused_saying_both(typed):
    from companion.model.kinds import get_kind
    from companion.model.values import parse_text

    contract = get_kind("contract")
    with pytest.raises(ValidationError, match=r"could mean .* or .*: write the one you mean"):
        parse_text(contract, contract.field("value"), typed)


@settings(max_examples=500, deadline=None)
@given(st.floats(-(10**14), 10**14, allow_nan=False, allow_infinity=False))
def test_a_number_written_back_reads_as_the_same_number(number):
    """What a form shows of a stored number is read back unchanged when the person leaves the field."""
    from companion.model.kinds import get_kind
    from companion.model.values import format_number, parse_text

    contract = get_kind("contract")
    assert parse_text(contract, contract.field("value"), format_number(number)) == number


def test_a_currency_code_is_three_plain_letters(workspace):
    maker = Maker(workspace)
    with pytest.raises(ValidationError, match="is not a currency code"):
        workspace.create(
            kind="contract", values={"client_id": maker.id("client"), "title": "F", "currency": "ßx"}
        )
