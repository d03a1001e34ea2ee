"""The sales kinds' own rules: reasons a won, lost or declined record needs, choices in lists, one owner
per action, a cohort's field filter whole."""

from __future__ import annotations

import pytest

from companion.model.errors import ValidationError
from tests.core.helpers import Maker


def _refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field
    return str(caught.value)


def test_a_won_or_lost_opportunity_needs_its_reason(workspace):
    maker = Maker(workspace)
    client = maker.id("client")
    for stage in ("won", "lost"):
        message = _refused(
            lambda stage=stage: workspace.create(
                kind="opportunity", values={"client_id": client, "title": "Pilot", "stage": stage}
            ),
            "outcome_reason",
        )
        assert "Why we won or lost (outcome_reason): is required when stage is " + stage in message
    deal = maker.id("opportunity")
    _refused(
        lambda: workspace.update(kind="opportunity", id=deal, values={"stage": "lost"}), "outcome_reason"
    )
    assert workspace.get(kind="opportunity", id=deal).values["stage"] == "qualifying"  # nothing half-written
    workspace.update(kind="opportunity", id=deal, values={"stage": "lost", "outcome_reason": "Price"})
    assert workspace.get(kind="opportunity", id=deal).values["stage"] == "lost"
    # A withdrawn deal needs no reason.
    workspace.create(kind="opportunity", values={"client_id": client, "title": "Other", "stage": "withdrawn"})


def test_a_declined_or_not_relevant_target_needs_a_reason(workspace):
    maker = Maker(workspace)
    target = maker.id("campaign_target")
    for status in ("declined", "not_relevant"):
        message = _refused(
            lambda status=status: workspace.update(
                kind="campaign_target", id=target, values={"status": status}
            ),
            "reason",
        )
        assert status.replace("_", " ") in message
    workspace.update(
        kind="campaign_target", id=target, values={"status": "declined", "reason": "Budget frozen"}
    )
    assert workspace.get(kind="campaign_target", id=target).values["reason"] == "Budget frozen"


def test_a_propositions_buying_roles_are_roles(workspace):
    message = _refused(
        lambda: workspace.create(
            kind="proposition", values={"title": "X", "status": "draft", "fit_roles": ["sponsor", "boss"]}
        ),
        "fit_roles",
    )
    assert "'boss' is not one of: decision_maker" in message
    made = workspace.create(
        kind="proposition", values={"title": "X", "status": "draft", "fit_roles": ["sponsor"]}
    ).created_id
    assert workspace.get(kind="proposition", id=made).values["fit_roles"] == ["sponsor"]


def test_a_cohorts_field_filter_has_both_halves(workspace):
    _refused(
        lambda: workspace.create(kind="cohort", values={"name": "A", "field_name": "industry"}), "field_value"
    )
    _refused(
        lambda: workspace.create(kind="cohort", values={"name": "A", "field_value": "Oil"}), "field_name"
    )
    _refused(
        lambda: workspace.create(
            kind="cohort", values={"name": "A", "field_name": "owner_id", "field_value": "x"}
        ),
        "field_name",
    )
    workspace.create(kind="cohort", values={"name": "A", "field_name": "industry", "field_value": "Oil"})


def test_an_action_belongs_to_exactly_one_of_objective_risk_or_opportunity(workspace):
    maker = Maker(workspace)
    deal, objective = maker.id("opportunity"), maker.id("objective")
    message = _refused(
        lambda: workspace.create(
            kind="action", values={"opportunity_id": deal, "objective_id": objective, "text": "Call"}
        ),
        "objective_id",
    )
    assert "objective, risk, opportunity" in message
    made = workspace.create(kind="action", values={"opportunity_id": deal, "text": "Call"}).created_id
    assert workspace.get(kind="action", id=made).values["opportunity_id"] == deal


def test_a_risk_of_a_deal_belongs_to_the_deals_client(workspace):
    maker = Maker(workspace)
    deal = maker.id("opportunity")
    other = workspace.create(kind="client", values={"name": "Elsewhere"}).created_id
    _refused(
        lambda: workspace.create(
            kind="risk", values={"client_id": other, "title": "R", "status": "open", "opportunity_id": deal}
        ),
        "opportunity_id",
    )


def test_a_target_is_not_approached_through_themselves(workspace):
    maker = Maker(workspace)
    contact = maker.id("contact")
    target = maker.id("campaign_target")
    _refused(
        lambda: workspace.update(
            kind="campaign_target", id=target, values={"contact_id": contact, "route_via_id": contact}
        ),
        "route_via_id",
    )
