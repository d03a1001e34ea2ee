"""A client's whitespace: its buying centres × the approved propositions, each cell's state and fit."""

from __future__ import annotations

import pytest

from companion.core.campaigns import draw_targets, log_approach, work_list
from companion.core.whitespace import WHOLE_CLIENT, grid
from tests.core.campaign_records import build_sales


@pytest.fixture
def sales(workspace) -> dict[str, str]:
    return build_sales(workspace)


def deal(workspace, sales, *, stage: str, group: str | None = None, proposition: str | None = None, **more):
    values = {
        "client_id": sales["halvorsen"],
        "title": f"Deal {stage}",
        "stage": stage,
        "proposition_id": proposition or sales["proposition"],
        "sub_group_id": sales[group] if group else None,
        **more,
    }
    return workspace.create(kind="opportunity", values=values).created_id


def test_rows_are_the_whole_client_then_its_sub_groups_and_columns_the_approved_propositions(
    workspace, sales
):
    workspace.create(kind="proposition", values={"title": "Asset register", "status": "approved"})
    workspace.create(kind="proposition", values={"title": "Draft idea", "status": "draft"})
    space = grid(workspace, sales["halvorsen"])
    assert space.sub_groups == [
        (None, WHOLE_CLIENT),
        (sales["finance"], "Finance"),
        (sales["operations"], "Operations"),
    ]
    assert [title for _id, title in space.propositions] == ["Asset register", "Predictive subsea maintenance"]
    assert len(space.cells) == 6
    assert {cell.state for cell in space.cells.values()} == {"empty"}


def test_fit_by_function_and_for_the_whole_client_by_tags_or_industry(workspace, sales):
    space = grid(workspace, sales["halvorsen"])
    proposition = sales["proposition"]
    assert space.cells[(sales["finance"], proposition)].fits  # fits "Finance", the sub-group's "finance"
    assert not space.cells[(sales["operations"], proposition)].fits
    assert space.cells[(None, proposition)].fits  # the tag offshore
    assert space.cells[(None, proposition)].detail == "Nothing proposed yet: it fits here."
    assert space.cells[(sales["operations"], proposition)].detail == "Nothing proposed yet."
    workspace.update(
        kind="proposition", id=proposition, values={"fit_tags": None, "fit_industries": ["OIL & GAS"]}
    )
    assert grid(workspace, sales["halvorsen"]).cells[(None, proposition)].fits
    workspace.update(kind="proposition", id=proposition, values={"fit_industries": ["Retail"]})
    assert not grid(workspace, sales["halvorsen"]).cells[(None, proposition)].fits


def test_won_before_open_before_declined_at_the_sub_group_of_the_deal(workspace, sales):
    proposition = sales["proposition"]
    lost = deal(workspace, sales, stage="lost", group="finance", outcome_reason="Price")
    cell = grid(workspace, sales["halvorsen"]).cells[(sales["finance"], proposition)]
    assert (cell.state, cell.opportunity_ids, cell.detail) == (
        "declined",
        (lost,),
        "Declined: Deal lost (lost): Price",
    )
    open_ = deal(workspace, sales, stage="proposing", group="finance")
    cell = grid(workspace, sales["halvorsen"]).cells[(sales["finance"], proposition)]
    assert (cell.state, cell.opportunity_ids, cell.detail) == (
        "open",
        (open_, lost),
        "Open: Deal proposing (proposing)",
    )
    won = deal(workspace, sales, stage="won", group="finance", outcome_reason="Fit")
    cell = grid(workspace, sales["halvorsen"]).cells[(sales["finance"], proposition)]
    assert (cell.state, cell.opportunity_ids[0], cell.detail) == ("won", won, "Won: Deal won")
    # Elsewhere nothing changed; a deal without a sub-group is the whole client's.
    space = grid(workspace, sales["halvorsen"])
    assert space.cells[(sales["operations"], proposition)].state == "empty"
    assert space.cells[(None, proposition)].state == "empty"
    deal(workspace, sales, stage="qualifying")
    assert grid(workspace, sales["halvorsen"]).cells[(None, proposition)].state == "open"


def test_a_withdrawn_deal_leaves_the_cell_empty(workspace, sales):
    deal(workspace, sales, stage="withdrawn", group="operations")
    assert (
        grid(workspace, sales["halvorsen"]).cells[(sales["operations"], sales["proposition"])].state
        == "empty"
    )


def test_a_declined_target_marks_the_sub_group_of_the_persons_position(workspace, sales):
    draw_targets(workspace, sales["campaign"])
    ingrid = next(r for r in work_list(workspace, sales["campaign"]) if r.contact_name == "Ingrid Dahl")
    log_approach(
        workspace, ingrid.id, date="2026-12-01", channel="email", summary="No.", status="declined",
        reason="Happy with  today's supplier",
    )  # fmt: skip
    space = grid(workspace, sales["halvorsen"])
    cell = space.cells[(sales["finance"], sales["proposition"])]
    assert cell.state == "declined"
    assert cell.opportunity_ids == ()
    assert (
        cell.detail == "Declined: Ingrid Dahl in Predictive maintenance, winter: Happy with today's supplier"
    )
    assert space.cells[(None, sales["proposition"])].state == "empty"


def test_a_competitor_shows_where_nothing_of_ours_is(workspace, sales):
    workspace.create(
        kind="competitor_presence",
        values={
            "competitor_id": sales["competitor"],
            "client_id": sales["halvorsen"],
            "footprint": "Runs the  maintenance contract",
        },
    )
    won = deal(workspace, sales, stage="won", group="finance", outcome_reason="Fit")
    space = grid(workspace, sales["halvorsen"])
    assert space.cells[(sales["finance"], sales["proposition"])].opportunity_ids == (won,)
    cell = space.cells[(sales["operations"], sales["proposition"])]
    assert (cell.state, cell.detail) == (
        "competitor",
        "Nordkyst Services is here: Runs the maintenance contract",
    )
    assert space.cells[(None, sales["proposition"])].state == "competitor"
    # Another client's deals and competitors are not this one's.
    assert {c.state for c in grid(workspace, sales["nordlys"]).cells.values()} == {"empty"}
