"""The Surveys tab through its buttons: a survey made, questions added, moved and deleted (each undoable); the
results with a detractor marked; a response opened at its client."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from companion.core.surveys import take_response
from companion.ui.common.edit_dialog import EditRecordDialog
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.portfolio.surveys_view import SurveysTab
from tests.core.survey_records import build_survey
from tests.ui.helpers import TIMEOUT, run_edit, visible, wait_idle


@pytest.fixture
def tab(qtbot, window) -> SurveysTab:
    """The tab in the window: the Portfolio page opened from its action, its Surveys tab clicked."""
    window.findChild(QAction, "portfolio").trigger()
    page = window.portfolio.page
    bar = page.tabs.tabBar()
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(page.tabs.indexOf(page.surveys)).center()
    )
    assert page.tabs.currentWidget() is page.surveys
    wait_idle(qtbot, window)
    return page.surveys


def _texts(view, column: int = 0) -> list[str]:
    return [view.topLevelItem(n).text(column) for n in range(view.topLevelItemCount())]


def _click(qtbot, window, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)


def _fill_and_save(qtbot, window, dialog, **values) -> None:
    for name, value in values.items():
        widget = dialog.form.editors[name].widget
        if hasattr(widget, "findData"):
            widget.setCurrentIndex(widget.findData(value))
            widget.activated.emit(widget.currentIndex())
        else:
            widget.clear()
            qtbot.keyClicks(widget, value)
    _click(qtbot, window, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))


def _detail_of(qtbot, tab, title: str) -> None:
    qtbot.waitUntil(
        lambda: tab.detail is not None and tab.detail.results.survey["title"] == title, timeout=TIMEOUT
    )


def test_a_survey_and_its_questions_are_made_through_the_buttons(qtbot, window, workspace, tab, monkeypatch):
    assert tab.empty.isVisible() and not tab.list.isVisible()
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, window, NewRecordDialog)
    assert dialog.form.editors["status"].widget.currentData() == "draft"
    _fill_and_save(qtbot, window, dialog, title="Onboarding pulse")
    qtbot.waitUntil(lambda: _texts(tab.list) == ["Onboarding pulse"], timeout=TIMEOUT)
    _detail_of(qtbot, tab, "Onboarding pulse")
    (survey,) = workspace.list(kind="survey")
    assert tab.current_id() == survey.id and "Draft" in tab.heading.text()

    for kind, text in (("csat", "How satisfied are you with the onboarding?"), ("text", "What was missing?")):
        qtbot.mouseClick(tab.add_question_button, Qt.MouseButton.LeftButton)
        dialog = next(d for d in window.findChildren(NewRecordDialog) if d.isVisible())
        _fill_and_save(qtbot, window, dialog, type=kind, text=text)
        dialog.deleteLater()
    qtbot.waitUntil(lambda: tab.questions.topLevelItemCount() == 2, timeout=TIMEOUT)
    assert _texts(tab.questions) == ["1. How satisfied are you with the onboarding?", "2. What was missing?"]
    assert _texts(tab.questions, 1) == ["CSAT", "Text"]
    questions = {q["text"]: q for q in workspace.list(kind="survey_question")}
    assert {q["survey_id"] for q in questions.values()} == {survey.id}
    assert [questions[t]["position"] for t in sorted(questions)] == [1, 2]

    # The second asked first: moved up, the numbers follow; undone, back again.
    tab.questions.setCurrentItem(tab.questions.topLevelItem(1))
    assert tab.up_button.isEnabled() and not tab.down_button.isEnabled()
    _click(qtbot, window, tab.up_button)
    qtbot.waitUntil(lambda: _texts(tab.questions)[0] == "1. What was missing?", timeout=TIMEOUT)
    assert tab.current_question() == questions["What was missing?"].id, "the moved question stays chosen"
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    qtbot.waitUntil(lambda: _texts(tab.questions)[0].startswith("1. How satisfied"), timeout=TIMEOUT)

    # Delete asks once; Ctrl+Z would bring it back.
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    )
    tab.questions.setCurrentItem(tab.questions.topLevelItem(0))
    _click(qtbot, window, tab.delete_question_button)
    qtbot.waitUntil(lambda: _texts(tab.questions) == ["1. What was missing?"], timeout=TIMEOUT)

    # Edit… opens the survey's form; each field is saved as it is finished.
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    editor = visible(qtbot, window, EditRecordDialog)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        status = editor.form.editors["status"].widget
        status.setCurrentIndex(status.findData("running"))
        status.activated.emit(status.currentIndex())
    editor.close()
    qtbot.waitUntil(lambda: _texts(tab.list, 1) == ["Running"], timeout=TIMEOUT)


def test_the_results_mark_a_detractor_and_a_response_opens_at_its_client(qtbot, window, workspace, tab):
    ids: dict[str, str] = {}

    def answered(ws):
        ids.update(build_survey(ws))
        for client, score, comment in (
            ("halvorsen", 10, "Best supplier we have."),
            ("fjord", 3, "Late again."),
        ):
            take_response(
                ws, survey_id=ids["survey"], client_id=ids[client], contact_id=ids[f"{client}_person"],
                date="2026-11-02" if client == "fjord" else "2026-11-01", channel="phone",
                answers={ids["nps"]: score, ids["csat"]: 4 if score > 5 else 2}, comment=comment,
            )  # fmt: skip
        return ws.update(kind="survey", id=ids["survey"], values={"starts": "2026-10-01"})

    run_edit(qtbot, window, answered)
    _detail_of(qtbot, tab, "Satisfaction 2026")
    assert _texts(tab.list, 2) == ["2"] and _texts(tab.list, 3) == ["0"]
    assert tab.summary.text().startswith("2 responses · NPS <b>0</b> · CSAT <b>3.0</b> of 5")
    assert "1 detractor" in tab.summary.text()
    assert _texts(tab.responses, 1) == ["Fjord Foods", "Halvorsen Offshore"]
    assert _texts(tab.responses, 4) == ["3 · detractor", "10"]
    assert _texts(tab.responses, 5) == ["Late again.", "Best supplier we have."]
    assert _texts(tab.questions, 3) == ["NPS 0", "CSAT 3.0", ""]
    assert _texts(tab.by_client) == ["Fjord Foods", "Halvorsen Offshore"]
    assert _texts(tab.by_client, 2) == ["−100", "+100"]

    # The detractor's response, chosen and opened with Enter.
    point = tab.responses.visualItemRect(tab.responses.topLevelItem(0)).center()
    qtbot.mouseClick(tab.responses.viewport(), Qt.MouseButton.LeftButton, pos=point)
    with qtbot.waitSignal(tab.sig_record_opened, timeout=TIMEOUT) as opened:
        qtbot.keyClick(tab.responses, Qt.Key.Key_Return)
    kind, response_id = opened.args
    assert kind == "survey_response"
    assert workspace.get(kind="survey_response", id=response_id)["client_id"] == ids["fjord"]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.clients.page, timeout=TIMEOUT)
