"""The demo workspace's reviews and satisfaction show what issue 19 is for: reviews at several clients with
their agreed actions (one client overdue by its cadence, on home), a running NPS survey answered by people at
several clients through every channel, a detractor among them with their own words, and success-factor
ratings of all six factors over two periods; and the review pack of a demo client reads whole."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from companion.core.attention import attention
from companion.core.demo import load_demo
from companion.core.review_document import INTERNAL_MARKER, build_review_document
from companion.core.reviews import reviews_due
from companion.model.kinds import RESPONSE_CHANNELS, SUCCESS_FACTORS

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, empty_workspace_file):
    import shutil

    from companion.core.service import Workspace

    path = tmp_path_factory.mktemp("demo-reviews") / "workspace.sqlite"
    shutil.copyfile(empty_workspace_file, path)
    ws = Workspace.open(path)
    load_demo(ws, today=TODAY)
    yield ws
    ws.close()


def _client(ws, name: str) -> str:
    return next(c.id for c in ws.list(kind="client") if str(c["name"]).startswith(name))


def test_reviews_at_several_clients_one_overdue_on_home(demo):
    reviews = demo.list(kind="review")
    assert len({r["client_id"] for r in reviews}) >= 3
    assert {"quarterly", "executive"} <= {r["kind"] for r in reviews}
    assert all(r["our_rating"] and r["their_rating"] and r["went_well"] for r in reviews)
    due = {d.client_name: d for d in reviews_due(demo, today=TODAY)}
    overdue = [d for d in due.values() if d.days_late(TODAY) > 0]
    assert [d.client_name for d in overdue] == ["Casa Paineira Varejo S.A."]
    # Overdue by its cadence: the latest review set no next date.
    assert overdue[0].every_days and overdue[0].due == overdue[0].last_held + dt.timedelta(
        days=overdue[0].every_days
    )
    group = attention(demo, today=TODAY).group("reviews_due")
    assert group is not None and {i.client_name for i in group.items} == set(due)
    assert group.items[0].client_name == "Casa Paineira Varejo S.A."


def test_reviews_have_agreed_actions_open_and_done(demo):
    actions = [a for a in demo.list(kind="action") if a["review_id"]]
    by_review = defaultdict(list)
    for action in actions:
        by_review[action["review_id"]].append(action)
    assert len(by_review) >= 3
    assert {True, False} <= {bool(a["done"]) for a in actions}
    assert all(a["owner_id"] and a["due"] for a in actions)


def test_a_running_nps_survey_answered_across_clients_with_a_detractor(demo):
    (survey,) = demo.list(kind="survey")
    assert (survey["title"], survey["status"]) == ("Customer satisfaction 2026", "running")
    questions = {q["type"]: q for q in demo.list(kind="survey_question", where={"survey_id": survey.id})}
    assert set(questions) == {"nps", "csat", "text"}
    assert questions["text"]["text"] == "What should we do better?"
    responses = demo.list(kind="survey_response", where={"survey_id": survey.id})
    assert len(responses) >= 8
    assert len({r["client_id"] for r in responses}) >= 3 and len({r["contact_id"] for r in responses}) >= 8
    assert {r["channel"] for r in responses} == set(RESPONSE_CHANNELS)
    answers = demo.list(kind="survey_answer")
    nps = {a["response_id"]: a["score"] for a in answers if a["question_id"] == questions["nps"].id}
    csat = [a["score"] for a in answers if a["question_id"] == questions["csat"].id]
    assert len(nps) == len(responses) and all(1 <= s <= 5 for s in csat)
    detractors = [r for r in responses if nps[r.id] <= 6]
    assert any(r["comment"] for r in detractors)
    assert any(r["meeting_id"] for r in responses)  # one taken during a visit


def test_success_factor_ratings_over_two_periods(demo):
    ratings = demo.list(kind="success_factor_rating")
    by_client = defaultdict(lambda: defaultdict(set))
    for rating in ratings:
        by_client[rating["client_id"]][rating["factor"]].add(rating["period_from"])
    rated = [c for c, factors in by_client.items() if set(factors) == set(SUCCESS_FACTORS)]
    assert len(rated) >= 2
    for client in rated:
        assert all(len(periods) == 2 for periods in by_client[client].values())
    assert any(r["evidence"] for r in ratings)


def test_the_review_pack_of_a_demo_client(demo):
    halvorsen = _client(demo, "Halvorsen")
    internal = build_review_document(demo, client_id=halvorsen, today=TODAY)
    assert (
        internal.has_review
        and "Q2 business review" in internal.title
        and INTERNAL_MARKER in internal.markdown
    )
    assert "Draft the whole-fleet proposal" in internal.markdown and internal.charts
    shared = build_review_document(demo, client_id=halvorsen, for_client=True, today=TODAY).markdown
    assert "Keep Bjørn out of the pricing talk" in internal.markdown
    assert "Keep Bjørn out" not in shared and "INTERNAL" not in shared
