"""The review and survey kinds' own rules: required fields named, ratings within 1-5, scores within 0-10,
periods in order, an action agreed in a review belonging to it alone."""

from __future__ import annotations

import pytest

from companion.model.errors import ValidationError
from tests.core.helpers import Maker


def _refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field
    return str(caught.value)


def test_a_review_needs_its_kind_and_day_and_rates_one_to_five(workspace):
    maker = Maker(workspace)
    client = maker.id("client")
    base = {"client_id": client, "title": "Q4", "kind": "quarterly", "held_on": "2026-12-01"}
    _refused(lambda: workspace.create(kind="review", values={**base, "kind": None}), "kind")
    _refused(lambda: workspace.create(kind="review", values={**base, "held_on": None}), "held_on")
    assert "above the highest allowed, 5" in _refused(
        lambda: workspace.create(kind="review", values={**base, "their_rating": 6}), "their_rating"
    )
    _refused(
        lambda: workspace.create(
            kind="review", values={**base, "period_from": "2026-10-01", "period_to": "2026-09-30"}
        ),
        "period_to",
    )
    made = workspace.create(kind="review", values={**base, "our_rating": 4}).created_id
    assert workspace.get(kind="review", id=made)["our_rating"] == 4


def test_a_client_is_reviewed_every_seven_days_at_the_most_often(workspace):
    maker = Maker(workspace)
    client = maker.id("client")
    _refused(
        lambda: workspace.update(kind="client", id=client, values={"review_every_days": 3}),
        "review_every_days",
    )
    workspace.update(kind="client", id=client, values={"review_every_days": 90})
    assert workspace.get(kind="client", id=client)["review_every_days"] == 90


def test_an_answer_scores_zero_to_ten_and_a_response_names_its_channel(workspace):
    maker = Maker(workspace)
    response, question = maker.id("survey_response"), maker.id("survey_question")
    _refused(
        lambda: workspace.create(
            kind="survey_answer", values={"response_id": response, "question_id": question, "score": 11}
        ),
        "score",
    )
    values = maker.values("survey_response")
    _refused(lambda: workspace.create(kind="survey_response", values={**values, "channel": "fax"}), "channel")


def test_an_action_agreed_in_a_review_belongs_to_it_alone(workspace):
    maker = Maker(workspace)
    review, objective = maker.id("review"), maker.id("objective")
    message = _refused(
        lambda: workspace.create(
            kind="action", values={"review_id": review, "objective_id": objective, "text": "Minutes"}
        ),
        "objective_id",
    )
    assert "review" in message
    made = workspace.create(kind="action", values={"review_id": review, "text": "Minutes"}).created_id
    assert workspace.get(kind="action", id=made)["review_id"] == review
