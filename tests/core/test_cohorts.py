"""A cohort holds the clients matching all its filters, plus its additions, minus its exclusions."""

from __future__ import annotations

import pytest

from companion.core.cohorts import (
    Member,
    cohort_members,
    include_client,
    leave_out_client,
    matching_clients,
    member_rows,
)
from companion.model.errors import NotFoundError, ValidationError
from tests.core.campaign_records import build_sales


@pytest.fixture
def sales(workspace) -> dict[str, str]:
    return build_sales(workspace)


def names(workspace, ids: list[str]) -> list[str]:
    return [str(workspace.get(kind="client", id=i)["name"]) for i in ids]


def test_tags_any_of_case_aside_ordered_by_name(workspace, sales):
    found = matching_clients(workspace, {"tags": ["Offshore"]})
    assert names(workspace, found) == ["Fjord Drilling", "Halvorsen Offshore", "Nordlys Subsea"]
    found = matching_clients(workspace, {"tags": ["retail", "subsea"]})
    assert names(workspace, found) == ["Bakeri Berg", "Nordlys Subsea"]


def test_industries_any_of_case_and_spacing_aside(workspace, sales):
    found = matching_clients(workspace, {"industries": ["OIL & gas"]})
    assert names(workspace, found) == ["Halvorsen Offshore", "Nordlys Subsea"]
    assert names(workspace, matching_clients(workspace, {"industries": ["food", "none"]})) == ["Bakeri Berg"]


def test_statuses_any_of(workspace, sales):
    found = matching_clients(workspace, {"statuses": ["prospect"]})
    assert names(workspace, found) == ["Nordlys Subsea"]
    found = matching_clients(workspace, {"statuses": ["prospect", "active"]})
    assert names(workspace, found) == ["Fjord Drilling", "Halvorsen Offshore", "Nordlys Subsea"]


def test_owners_any_of(workspace, sales):
    assert matching_clients(workspace, {"owner_ids": [sales["colleague"]]}) == [sales["halvorsen"]]


def test_a_one_line_field_matches_whole_and_a_long_text_contains(workspace, sales):
    values = {"field_name": "name", "field_value": "  nordlys   SUBSEA "}
    assert matching_clients(workspace, values) == [sales["nordlys"]]
    assert matching_clients(workspace, {"field_name": "name", "field_value": "Nordlys"}) == []
    values = {"field_name": "culture", "field_value": "decisions  BY consensus"}
    assert matching_clients(workspace, values) == [sales["halvorsen"]]


def test_filters_combine_all_of(workspace, sales):
    values = {"tags": ["offshore"], "statuses": ["active"], "industries": ["oil & gas"]}
    assert matching_clients(workspace, values) == [sales["halvorsen"]]


def test_additions_and_exclusions(workspace, sales):
    values = {"tags": ["offshore"], "added_ids": [sales["bakeri"]], "excluded_ids": [sales["fjord"]]}
    found = matching_clients(workspace, values)
    assert names(workspace, found) == ["Bakeri Berg", "Halvorsen Offshore", "Nordlys Subsea"]
    # An exclusion wins over an addition.
    values = {"tags": ["offshore"], "added_ids": [sales["fjord"]], "excluded_ids": [sales["fjord"]]}
    assert sales["fjord"] not in matching_clients(workspace, values)


def test_no_filters_hold_only_the_added_clients(workspace, sales):
    assert matching_clients(workspace, {}) == []
    assert matching_clients(workspace, {"added_ids": [sales["fjord"]]}) == [sales["fjord"]]


def test_deleted_clients_are_not_members(workspace, sales):
    workspace.delete(kind="client", id=sales["fjord"], cascade=True)
    assert sales["fjord"] not in matching_clients(workspace, {"tags": ["offshore"]})


def test_a_saved_cohorts_members_and_rows(workspace, sales):
    workspace.update(kind="cohort", id=sales["cohort"], values={"added_ids": [sales["bakeri"]]})
    assert names(workspace, cohort_members(workspace, sales["cohort"])) == [
        "Bakeri Berg",
        "Fjord Drilling",
        "Halvorsen Offshore",
        "Nordlys Subsea",
    ]
    rows = member_rows(workspace, sales["cohort"])
    assert rows[0] == Member(sales["bakeri"], "Bakeri Berg", "Food", None, added=True)
    assert rows[2] == Member(sales["halvorsen"], "Halvorsen Offshore", "Oil & Gas", "active", added=False)
    # Added while the filter holds it anyway: a member by the filter.
    workspace.update(kind="cohort", id=sales["cohort"], values={"added_ids": [sales["fjord"]]})
    assert not next(r for r in member_rows(workspace, sales["cohort"]) if r.client_id == sales["fjord"]).added


def test_a_client_included_by_hand_then_left_out(workspace, sales):
    cohort = sales["cohort"]
    # Left out while the filter holds it: it goes on the left-out list.
    leave_out_client(workspace, cohort, sales["fjord"])
    assert workspace.get(kind="cohort", id=cohort)["excluded_ids"] == [sales["fjord"]]
    assert sales["fjord"] not in cohort_members(workspace, cohort)
    # Included again by hand: off the left-out list, onto the added one.
    include_client(workspace, cohort, sales["fjord"])
    record = workspace.get(kind="cohort", id=cohort)
    assert (record["added_ids"], record["excluded_ids"]) == ([sales["fjord"]], None)
    # A client the filter does not hold, added then left out: off the added list, never on the other.
    include_client(workspace, cohort, sales["bakeri"])
    leave_out_client(workspace, cohort, sales["bakeri"])
    record = workspace.get(kind="cohort", id=cohort)
    assert (record["added_ids"], record["excluded_ids"]) == ([sales["fjord"]], None)
    assert sales["bakeri"] not in cohort_members(workspace, cohort)


def test_an_unknown_filter_field_or_cohort_is_refused(workspace, sales):
    with pytest.raises(ValidationError, match="field_name"):
        matching_clients(workspace, {"field_name": "owner_id; DROP TABLE client", "field_value": "x"})
    with pytest.raises(NotFoundError):
        cohort_members(workspace, sales["campaign"])
