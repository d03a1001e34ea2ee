"""The survey form filled in as a person does during a visit: the scores clicked, the answers and the comment
typed, Save clicked; the response read back, one undo taking it away; a refusal naming the question keeps
everything typed; a response opened again to be changed keeps who answered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox

from companion.core.surveys import answers_of, survey_results
from companion.ui.portfolio.survey_form import (
    ScoreRow,
    SurveyResponseDialog,
    open_survey_response,
    take_survey_response,
)
from tests.core.survey_records import build_survey
from tests.ui.helpers import TIMEOUT, run_edit, visible, wait_idle


@pytest.fixture
def ids(qtbot, window):
    found: dict[str, str] = {}

    def build(ws):
        found.update(build_survey(ws))
        ws.create(kind="survey", values={"title": "Draft pulse", "status": "draft"})
        intro = {"introduction": "Thank you for taking a minute for us."}
        return ws.update(kind="survey", id=found["survey"], values=intro)

    run_edit(qtbot, window, build)
    return found


def _ready(qtbot, dialog) -> None:
    """The form's surveys, clients, questions and people are read."""
    qtbot.waitUntil(lambda: len(dialog.rows) == 3 and dialog.person.count() > 1, timeout=TIMEOUT)


def _click_score(qtbot, row: ScoreRow, score: int) -> None:
    qtbot.mouseClick(row.group.button(score), Qt.MouseButton.LeftButton)


def _fill(qtbot, dialog, ids) -> None:
    _click_score(qtbot, dialog.rows[ids["nps"]], 9)
    _click_score(qtbot, dialog.rows[ids["nps"]], 4)  # changed their mind: one score only
    _click_score(qtbot, dialog.rows[ids["csat"]], 2)
    qtbot.keyClicks(dialog.rows[ids["text"]], "Call back when you promise to")
    qtbot.keyClicks(dialog.comment, "The last two deliveries were late.")


def test_the_form_filled_in_saves_one_response_undone_as_one(qtbot, window, workspace, ids):
    dialog = SurveyResponseDialog(window.edits, client_id=ids["fjord"], parent=window)
    dialog.open()
    visible(qtbot, window, SurveyResponseDialog)
    _ready(qtbot, dialog)
    # Running surveys first; the client given, its person, today, in person.
    assert (
        dialog.survey.itemText(0) == "Satisfaction 2026"
        and dialog.survey.itemText(1) == "Draft pulse (draft)"
    )
    assert dialog.client.currentText() == "Fjord Foods"
    assert dialog.person.currentText() == "Per Lunde, CFO"
    assert dialog.channel.currentData() == "in_person"
    assert dialog.introduction.text() == "Thank you for taking a minute for us."
    nps_row = dialog.rows[ids["nps"]]
    assert [b.text() for b in nps_row.group.buttons()] == [str(n) for n in range(11)]
    assert [b.text() for b in dialog.rows[ids["csat"]].group.buttons()] == ["1", "2", "3", "4", "5"]
    ends = [label.text() for label in nps_row.findChildren(type(dialog.introduction))]
    assert ends == ["Not at all likely", "Extremely likely"]

    _fill(qtbot, dialog, ids)
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
    assert nps_row.value() == 4 and not nps_row.group.button(9).isChecked()
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)
    assert not dialog.isVisible() and dialog.response_id

    (row,) = survey_results(workspace, survey_id=ids["survey"]).responses
    assert (row.id, row.person, row.client_name, row.channel) == (
        dialog.response_id,
        "Per Lunde",
        "Fjord Foods",
        "phone",
    )
    assert row.comment == "The last two deliveries were late." and row.detractor
    assert answers_of(workspace, response_id=row.id) == {
        ids["nps"]: 4, ids["csat"]: 2, ids["text"]: "Call back when you promise to",
    }  # fmt: skip
    assert saved.args[0].label == "Take a survey response from Per Lunde"

    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert workspace.count(kind="survey_response") == 0 and workspace.count(kind="survey_answer") == 0


def test_a_refusal_names_the_question_and_keeps_what_was_typed(qtbot, window, workspace, ids):
    dialog = SurveyResponseDialog(window.edits, client_id=ids["halvorsen"], parent=window)
    dialog.open()
    _ready(qtbot, dialog)
    _fill(qtbot, dialog, ids)
    _click_score(qtbot, dialog.rows[ids["nps"]], 9)
    # Meanwhile the first question became a CSAT one (1–5) on another laptop.
    run_edit(
        qtbot, window, lambda ws: ws.update(kind="survey_question", id=ids["nps"], values={"type": "csat"})
    )
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.problem.isVisible, timeout=TIMEOUT)
    assert dialog.problem.text() == "Question 1 (CSAT): a score from 1 to 5."
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    assert dialog.rows[ids["nps"]].value() == 9
    assert dialog.comment.toPlainText() == "The last two deliveries were late."
    assert workspace.count(kind="survey_response") == 0

    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "2026-13-40")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert "Date (date)" in dialog.problem.text()
    assert workspace.count(kind="survey_response") == 0
    dialog.reject()


def test_take_survey_response_waits_for_the_form_and_gives_the_new_response(qtbot, window, workspace, ids):
    problems: list[BaseException] = []

    def fill() -> None:
        dialog = visible(qtbot, window, SurveyResponseDialog)
        try:
            _ready(qtbot, dialog)
            assert (
                dialog.survey.currentData() == ids["survey"]
                and dialog.client.currentData() == ids["halvorsen"]
            )
            _click_score(qtbot, dialog.rows[ids["nps"]], 10)
            qtbot.mouseClick(
                dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
            )
            qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
        except BaseException as exc:  # the form must close, or the test would wait on it forever
            problems.append(exc)
            dialog.reject()

    QTimer.singleShot(0, fill)
    response_id = take_survey_response(
        window,
        window.edits,
        client_id=ids["halvorsen"],
        survey_id=ids["survey"],
        contact_id=ids["halvorsen_person"],
    )
    assert not problems, problems
    wait_idle(qtbot, window)
    response = workspace.get(kind="survey_response", id=response_id)
    assert response["contact_id"] == ids["halvorsen_person"]
    assert answers_of(workspace, response_id=response_id) == {ids["nps"]: 10}


def test_a_response_changed_keeps_who_answered_and_may_not_be_emptied(qtbot, window, workspace, ids):
    def answered_then_left(ws):
        response = ws.create(
            kind="survey_response",
            values={
                "survey_id": ids["survey"],
                "client_id": ids["fjord"],
                "contact_id": ids["fjord_person"],
                "date": "2026-10-01",
                "channel": "email",
            },
        ).created_id
        ws.create(
            kind="survey_answer",
            values={"response_id": response, "question_id": ids["text"], "text": "Faster invoices"},
        )
        (position,) = ws.list(kind="position", where={"contact_id": ids["fjord_person"]})
        return ws.update(kind="position", id=position.id, values={"ended": "2026-11-01"})

    run_edit(qtbot, window, answered_then_left)
    (response,) = workspace.list(kind="survey_response")
    dialog = open_survey_response(window, window.edits, response_id=response.id)
    qtbot.waitUntil(
        lambda: len(dialog.rows) == 3 and dialog.person.currentData() is not None, timeout=TIMEOUT
    )
    # Per Lunde has left Fjord Foods since: still who answered, not someone else or nobody.
    assert (dialog.person.currentText(), dialog.person.currentData()) == ("Per Lunde", ids["fjord_person"])
    assert dialog.channel.currentData() == "email"
    text = dialog.rows[ids["text"]]
    assert text.toPlainText() == "Faster invoices" and dialog.rows[ids["nps"]].value() is None
    text.clear()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == "Survey response: answer at least one question or write the comment."
    assert dialog.isVisible()
    qtbot.keyClicks(text, "Invoices on time")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert answers_of(workspace, response_id=response.id) == {ids["text"]: "Invoices on time"}
    changed = workspace.get(kind="survey_response", id=response.id)
    assert (changed["contact_id"], changed["channel"]) == (ids["fjord_person"], "email")
