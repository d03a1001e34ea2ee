"""Surveys: NPS and CSAT arithmetic, taking a response (checked whole before anything is written, undone as
one), editing and deleting one with its answers, the results and the question order."""

from __future__ import annotations

import pytest

from companion.core import surveys
from companion.model.errors import ValidationError
from tests.core.survey_records import build_survey


def _take(ws, ids, client: str, answers: dict, **extra):
    return surveys.take_response(
        ws,
        survey_id=ids["survey"],
        client_id=ids[client],
        contact_id=ids[f"{client}_person"],
        date=extra.pop("date", "2026-12-01"),
        channel="in_person",
        answers=answers,
        **extra,
    )


def test_nps_is_the_share_of_promoters_less_the_share_of_detractors():
    assert surveys.nps([10, 9, 8, 7, 6, 0]) == pytest.approx(0.0)
    assert surveys.nps([10, 10, 9, 3]) == 50.0
    assert surveys.nps([6, 6, 7]) == pytest.approx(-66.7)
    assert surveys.nps([9, 8, 8]) == pytest.approx(33.3)
    assert surveys.nps([]) is None and surveys.nps([None]) is None
    assert surveys.is_detractor(6) and not surveys.is_detractor(7) and not surveys.is_detractor(None)


def test_csat_is_the_mean_of_the_scores():
    assert surveys.csat([5, 4, 4]) == pytest.approx(4.33)
    assert surveys.csat([1, None, 2]) == 1.5
    assert surveys.csat([]) is None


def test_a_response_and_its_answers_are_one_change_undone_as_one(workspace):
    ws = workspace
    ids = build_survey(ws)
    changes = _take(ws, ids, "halvorsen", {ids["nps"]: 3, ids["csat"]: 2, ids["text"]: " Answer faster. "},
                    comment="Slow on the phone.")  # fmt: skip
    assert changes.label == "Take a survey response from Ingrid Dahl"
    assert [c.kind for c in changes.changes] == ["survey_response", *["survey_answer"] * 3]
    results = surveys.survey_results(ws, survey_id=ids["survey"])
    (row,) = results.responses
    assert (row.person, row.client_name, row.channel, row.comment) == (
        "Ingrid Dahl", "Halvorsen Offshore", "in_person", "Slow on the phone.",
    )  # fmt: skip
    assert row.detractor and row.nps_score == 3 and row.texts == ((3, "Answer faster."),)
    ws.undo(changes=changes)
    assert ws.count(kind="survey_response") == 0 and ws.count(kind="survey_answer") == 0


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"csat": 0}, "Question 2 (CSAT): a score from 1 to 5."),
        ({"csat": 6}, "Question 2 (CSAT): a score from 1 to 5."),
        ({"nps": 11}, "Question 1 (NPS): a score from 0 to 10."),
        ({"nps": "very"}, "Question 1 (NPS): a score from 0 to 10."),
        ({"text": 4}, "Question 3 (Text): a written answer, not a score."),
    ],
)
def test_a_bad_answer_names_its_question_and_nothing_is_written(workspace, answer, message):
    ws = workspace
    ids = build_survey(ws)
    answers = {ids["nps"]: 9, ids["text"]: "Fine", **{ids[k]: v for k, v in answer.items()}}
    with pytest.raises(ValidationError) as refused:
        _take(ws, ids, "halvorsen", answers)
    assert str(refused.value) == message
    assert ws.count(kind="survey_response") == 0 and ws.count(kind="survey_answer") == 0


def test_an_empty_response_or_another_survey_s_question_is_refused(workspace):
    ws = workspace
    ids = build_survey(ws)
    with pytest.raises(ValidationError, match="answer at least one question"):
        _take(ws, ids, "halvorsen", {ids["nps"]: None, ids["text"]: "  "})
    other = ws.create(kind="survey", values={"title": "Other", "status": "draft"}).created_id
    stray = ws.create(
        kind="survey_question", values={"survey_id": other, "type": "nps", "text": "?"}
    ).created_id
    with pytest.raises(ValidationError, match="not a question of this survey"):
        _take(ws, ids, "halvorsen", {stray: 9})
    assert ws.count(kind="survey_response") == 0


def test_results_by_question_overall_and_by_client(workspace):
    ws = workspace
    ids = build_survey(ws)
    _take(ws, ids, "halvorsen", {ids["nps"]: 10, ids["csat"]: 5}, date="2026-11-01")
    _take(
        ws, ids, "halvorsen", {ids["nps"]: 8, ids["csat"]: 4, ids["text"]: "More visits"}, date="2026-11-20"
    )
    _take(ws, ids, "fjord", {ids["nps"]: 2, ids["csat"]: 1}, comment="Late deliveries", date="2026-12-01")
    results = surveys.survey_results(ws, survey_id=ids["survey"])
    nps_q, csat_q, text_q = results.questions
    assert (nps_q.number, nps_q.count, nps_q.score) == (1, 3, 0.0)
    assert (csat_q.count, csat_q.score) == (3, pytest.approx(3.33))
    assert (text_q.count, text_q.score, text_q.texts) == (1, None, ("More visits",))
    assert results.nps == 0.0 and results.csat == pytest.approx(3.33)
    assert [(c.client_name, c.responses, c.nps, c.csat) for c in results.by_client] == [
        ("Fjord Foods", 1, -100.0, 1.0), ("Halvorsen Offshore", 2, 50.0, 4.5),
    ]  # fmt: skip
    assert [r.date for r in results.responses] == ["2026-12-01", "2026-11-20", "2026-11-01"]
    assert results.detractors == 1 and results.responses[0].comment == "Late deliveries"
    (row,) = surveys.survey_rows(ws)
    assert (row.questions, row.responses, row.nps) == (3, 3, 0.0)


def test_editing_a_response_keeps_its_answers_in_step(workspace):
    ws = workspace
    ids = build_survey(ws)
    response = _take(ws, ids, "halvorsen", {ids["nps"]: 9, ids["text"]: "Good"}).created_id
    changes = surveys.edit_response(
        ws, response_id=response, answers={ids["nps"]: 6, ids["csat"]: 3, ids["text"]: ""},
        values={"comment": "Changed their mind"},
    )  # fmt: skip
    assert surveys.answers_of(ws, response_id=response) == {ids["nps"]: 6, ids["csat"]: 3}
    assert ws.get(kind="survey_response", id=response)["comment"] == "Changed their mind"
    with pytest.raises(ValidationError, match="Question 2"):
        surveys.edit_response(ws, response_id=response, answers={ids["csat"]: 9})
    ws.undo(changes=changes)
    assert surveys.answers_of(ws, response_id=response) == {ids["nps"]: 9, ids["text"]: "Good"}


def test_deleting_a_response_deletes_its_answers_and_undo_brings_them_back(workspace):
    ws = workspace
    ids = build_survey(ws)
    response = _take(ws, ids, "fjord", {ids["nps"]: 9, ids["csat"]: 4}).created_id
    changes = surveys.delete_response(ws, response_id=response)
    assert ws.count(kind="survey_answer") == 0
    assert changes.label == "Delete the survey response from Per Lunde"
    ws.undo(changes=changes)
    assert surveys.answers_of(ws, response_id=response) == {ids["nps"]: 9, ids["csat"]: 4}


def test_moving_a_question_renumbers_the_survey_s_questions(workspace):
    ws = workspace
    ids = build_survey(ws)
    surveys.move_question(ws, question_id=ids["text"], step=-1)
    assert [q.id for q in surveys.questions_of(ws, ids["survey"])] == [ids["nps"], ids["text"], ids["csat"]]
    assert not surveys.move_question(ws, question_id=ids["nps"], step=-1)
    assert surveys.next_position(ws, ids["survey"]) == 4
