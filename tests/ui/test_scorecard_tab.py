"""The client page's Scorecard section, walked as a person does: the reviews listed newest first, a review
added and an action agreed in it through the real buttons and forms, undone with Ctrl+Z; a review's pack
written as a PDF for the meeting and for the client; ratings laid out factor by period; survey responses
listed and opened in the survey form to be changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from companion.core.scorecard import PERSPECTIVES
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from tests.ui.helpers import TIMEOUT, answer_save, laptop_window, run_edit, visible, wait_idle


def _records(ws) -> dict[str, str]:
    client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    contact = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    ws.create(kind="position", values={"contact_id": contact, "client_id": client, "title": "CFO"})
    older = ws.create(
        kind="review",
        values={"client_id": client, "title": "Q2 review", "kind": "quarterly", "held_on": "2026-06-20"},
    ).created_id
    newer = ws.create(
        kind="review",
        values={
            "client_id": client,
            "title": "Q3 review",
            "kind": "quarterly",
            "held_on": "2026-09-20",
            "our_rating": 4,
            "their_rating": 3,
        },
    ).created_id
    ws.create(kind="action", values={"review_id": newer, "text": "Send the QBR deck"})
    for factor, period, rating in (
        ("teamwork", "2026-04-01", 4),
        ("teamwork", "2026-07-01", 2),
        ("innovation", "2026-07-01", 3),
    ):
        ws.create(
            kind="success_factor_rating",
            values={"client_id": client, "factor": factor, "period_from": period, "rating": rating},
        )
    survey = ws.create(kind="survey", values={"title": "Autumn NPS", "status": "running"}).created_id
    question = ws.create(
        kind="survey_question", values={"survey_id": survey, "type": "nps", "text": "Recommend us?"}
    ).created_id
    response = ws.create(
        kind="survey_response",
        values={
            "survey_id": survey,
            "client_id": client,
            "contact_id": contact,
            "date": "2026-10-02",
            "channel": "phone",
            "comment": "Good people, slow invoices.",
        },
    ).created_id
    ws.create(kind="survey_answer", values={"response_id": response, "question_id": question, "score": 9})
    return {"client": client, "older": older, "newer": newer, "contact": contact}


@pytest.fixture
def scorecard_page(qtbot, window):
    ids: dict[str, str] = {}

    def build(ws):
        ids.update(_records(ws))
        return ws.update(kind="client", id=ids["client"], values={"industry": "Energy"})

    run_edit(qtbot, window, build)
    window.open_client(ids["client"], "scorecard")
    page = window.clients.page
    qtbot.waitUntil(lambda: page.scorecard.section is not None, timeout=TIMEOUT)
    assert page.tabs.currentWidget() is page.scorecard
    assert page.tabs.tabText(page.tabs.currentIndex()) == "Scorecard"
    return window, page.scorecard, ids


def _type(qtbot, widget, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def _top_titles(tree) -> list[str]:
    return [tree.topLevelItem(n).text(0) for n in range(tree.topLevelItemCount())]


def test_the_reviews_newest_first_with_their_agreed_actions(scorecard_page):
    _window, tab, _ids = scorecard_page
    assert _top_titles(tab.reviews) == ["Q3 review", "Q2 review"]
    newest = tab.reviews.topLevelItem(0)
    assert newest.text(3) == "ours 4 · theirs 3"
    assert newest.childCount() == 1 and "Send the QBR deck" in newest.child(0).text(0)
    assert newest.child(0).data(0, RecordRole)[0] == "action"


def test_a_new_review_and_an_agreed_action_go_through_the_forms_and_undo(qtbot, scorecard_page):
    window, tab, ids = scorecard_page
    tab.records.setCurrentIndex(0)
    qtbot.mouseClick(tab.new_review_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, tab, NewRecordDialog)
    _type(qtbot, dialog.form.editors["title"].widget, "Executive review 2026")
    _type(qtbot, dialog.form.editors["held_on"].widget, "2026-11-30")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: _top_titles(tab.reviews)[:1] == ["Executive review 2026"], timeout=TIMEOUT)

    # Choose the older review and agree an action in it.
    older = tab.reviews.topLevelItem(2)
    assert older.text(0) == "Q2 review"
    rect = tab.reviews.visualItemRect(older)
    qtbot.mouseClick(tab.reviews.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.add_action_button.isEnabled()
    qtbot.mouseClick(tab.add_action_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, tab, NewRecordDialog)
    _type(qtbot, dialog.form.editors["text"].widget, "Agree the invoicing fix")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)
    action = window.worker.workspace.list(kind="action", where={"review_id": ids["older"]})
    assert [a["text"] for a in action] == ["Agree the invoicing fix"]
    qtbot.waitUntil(lambda: tab.reviews.topLevelItem(2).childCount() == 1, timeout=TIMEOUT)

    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: tab.reviews.topLevelItem(2).childCount() == 0, timeout=TIMEOUT)


def test_ratings_are_a_grid_of_factor_by_period_and_responses_are_listed(qtbot, scorecard_page):
    from companion.ui.common.edit_dialog import EditRecordDialog

    window, tab, _ids = scorecard_page
    table = tab.ratings
    periods = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    factors = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    assert periods == ["2026-04-01", "2026-07-01"]
    assert factors == ["Innovation", "Teamwork"]
    assert table.item(1, 0).text() == "4" and table.item(1, 1).text() == "2"
    assert table.item(0, 0) is None and table.item(0, 1).text() == "3"
    # A double click on a rating opens its form (a double click is a click and then the second press).
    tab.records.setCurrentIndex(1)
    rect = table.visualItemRect(table.item(1, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.edit_rating_button.isEnabled()
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = visible(qtbot, window, EditRecordDialog)
    assert (dialog.kind.name, dialog.record_id) == table.item(1, 1).data(RecordRole)
    assert dialog.form.editors["rating"].value() == 2
    dialog.close()
    response = tab.responses.topLevelItem(0)
    assert [response.text(c) for c in range(5)] == [
        "Ingrid Dahl",
        "2026-10-02",
        "Autumn NPS",
        "NPS 9",
        "Phone",
    ]


def test_a_figures_source_opens_the_record_it_is_read_from(qtbot, scorecard_page):
    from companion.ui.portfolio.survey_form import SurveyResponseDialog

    window, tab, _ids = scorecard_page
    customer = tab.perspectives.boxes["customer"]
    assert customer.status.text().startswith("● ")
    button = customer.source_buttons["nps"]
    source = next(f for f in customer.perspective.figures if f.key == "nps").sources[0]
    assert source.kind == "survey_response"
    menu = button.menu()
    assert menu.actions()[0].text() == source.label
    menu.actions()[0].trigger()
    dialog = visible(qtbot, window, SurveyResponseDialog)  # a response opens in the survey form
    assert dialog.response_id == source.id
    page = window.clients.page
    assert page.tabs.currentWidget() is tab and tab.records.currentIndex() == 2
    assert tab.response_actions.current() == ("survey_response", source.id)
    dialog.close()


def test_an_action_agreed_in_a_review_opens_under_its_review(qtbot, scorecard_page):
    from companion.ui.common.edit_dialog import EditRecordDialog

    window, tab, ids = scorecard_page
    page = window.clients.page
    action = window.worker.workspace.list(kind="action", where={"review_id": ids["newer"]})[0]
    page.tabs.setCurrentWidget(page.plan)
    window.open_record("action", action.id)
    dialog = visible(qtbot, window, EditRecordDialog)
    assert (dialog.kind.name, dialog.record_id) == ("action", action.id)
    assert "objective_id" not in dialog.form.editors  # the review's fields, not a plan's
    assert page.tabs.currentWidget() is tab and tab.records.currentIndex() == 0
    assert tab.review_actions.current() == ("action", action.id)
    dialog.close()


def test_a_review_is_deleted_with_its_actions_once_asked_and_undone(qtbot, scorecard_page, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window, tab, ids = scorecard_page
    asked: list[str] = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    rect = tab.reviews.visualItemRect(tab.reviews.topLevelItem(0))
    qtbot.mouseClick(tab.reviews.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(tab.delete_review_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "Q3 review" in asked[0] and "1 action" in asked[0]
    qtbot.waitUntil(lambda: _top_titles(tab.reviews) == ["Q2 review"], timeout=TIMEOUT)
    assert not window.worker.workspace.list(kind="action", where={"review_id": ids["newer"]})
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: _top_titles(tab.reviews) == ["Q3 review", "Q2 review"], timeout=TIMEOUT)
    assert tab.reviews.topLevelItem(0).childCount() == 1


def test_take_a_survey_response_opens_the_survey_form_on_this_client(qtbot, scorecard_page):
    from PySide6.QtCore import QTimer

    from companion.ui.portfolio.survey_form import SurveyResponseDialog

    window, tab, ids = scorecard_page
    tab.records.setCurrentIndex(2)
    seen: list[str] = []

    def answer_then_close() -> None:
        """Runs inside the form's own event loop: looks again until it is open and read, then cancels it."""
        dialog = next((d for d in window.findChildren(SurveyResponseDialog) if d.isVisible()), None)
        if dialog is None or not dialog.form.isEnabled():
            QTimer.singleShot(20, answer_then_close)
            return
        seen.append(dialog.client.currentData())
        dialog.reject()

    QTimer.singleShot(0, answer_then_close)
    qtbot.mouseClick(tab.take_survey_button, Qt.MouseButton.LeftButton)
    assert seen == [ids["client"]]


def _pdf_text(path: Path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_chosen_reviews_pack_is_written_for_the_meeting_and_for_the_client(
    qtbot, scorecard_page, monkeypatch, tmp_path
):
    from companion.core.review_document import INTERNAL_MARKER

    window, tab, ids = scorecard_page
    notes = {"internal_notes": "Their CFO doubts the renewal"}
    run_edit(qtbot, window, lambda ws: ws.update(kind="review", id=ids["older"], values=notes))
    qtbot.waitUntil(lambda: tab.section is not None and tab.pack_button.isEnabled(), timeout=TIMEOUT)
    older = next(
        tab.reviews.topLevelItem(n) for n in range(2) if tab.reviews.topLevelItem(n).text(0) == "Q2 review"
    )
    rect = tab.reviews.visualItemRect(older)
    qtbot.mouseClick(tab.reviews.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.pack_button.isVisible() and tab.pack_button.text() == "Review pack…"
    assert [a.text() for a in tab.pack_button.menu().actions()] == [
        "For the meeting (internal)…",
        "For the client…",
    ]

    internal = tmp_path / "internal.pdf"
    asked = answer_save(monkeypatch, internal, "PDF, Letter (*.pdf)")
    tab.internal_pack_action.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == f"Saved: {internal}", timeout=TIMEOUT)
    assert str(asked[0][2]).endswith("Q2 review.pdf")
    text = _pdf_text(internal)
    assert text.splitlines()[0].endswith("— Q2 review")  # the chosen review, not the latest
    assert INTERNAL_MARKER.split(" — ")[0] in text and "Their CFO doubts the renewal" in text

    for_client = tmp_path / "client.pdf"
    asked = answer_save(monkeypatch, for_client)
    tab.client_pack_action.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == f"Saved: {for_client}", timeout=TIMEOUT)
    assert str(asked[0][2]).endswith("Q2 review (for the client).pdf")
    text = _pdf_text(for_client)
    assert text.splitlines()[0].endswith("— Q2 review")
    assert "INTERNAL" not in text and "Their CFO doubts the renewal" not in text


def test_a_pack_that_cannot_be_written_says_so_in_one_line_naming_the_path(
    qtbot, scorecard_page, monkeypatch, tmp_path
):
    from PySide6.QtWidgets import QMessageBox

    _window, tab, _ids = scorecard_page
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _parent, _title, text: said.append(text)))
    target = tmp_path / "no such folder" / "pack.pdf"
    answer_save(monkeypatch, target)
    tab.client_pack_action.trigger()  # nothing chosen: the latest review's
    qtbot.waitUntil(lambda: bool(said), timeout=TIMEOUT)
    assert said[0] == (
        f"Cannot write {target}: the folder {target.parent} does not exist. Nothing was written."
    )
    assert not target.exists()


def test_a_survey_response_is_opened_changed_in_the_survey_form_and_undone(qtbot, scorecard_page):
    from companion.core.surveys import answers_of
    from companion.ui.portfolio.survey_form import SurveyResponseDialog

    window, tab, _ids = scorecard_page
    workspace = window.worker.workspace
    tab.records.setCurrentIndex(2)
    (response,) = workspace.list(kind="survey_response")
    rect = tab.responses.visualItemRect(tab.responses.topLevelItem(0))
    qtbot.mouseClick(tab.responses.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(tab.open_response_button, Qt.MouseButton.LeftButton)
    dialog = visible(qtbot, tab, SurveyResponseDialog)
    (question,) = workspace.list(kind="survey_question")
    qtbot.waitUntil(lambda: question.id in dialog.rows and dialog.person.count() > 1, timeout=TIMEOUT)
    # The response as it was: its survey and client fixed, its person, channel, words and score.
    assert dialog.windowTitle() == "Survey response from Ingrid Dahl"
    assert not dialog.survey.isEnabled() and not dialog.client.isEnabled()
    assert dialog.survey.currentText() == "Autumn NPS" and dialog.person.currentText().startswith(
        "Ingrid Dahl"
    )
    assert dialog.channel.currentData() == "phone" and dialog.date.text() == "2026-10-02"
    assert dialog.comment.toPlainText() == "Good people, slow invoices."
    row = dialog.rows[question.id]
    assert row.value() == 9
    qtbot.mouseClick(row.group.button(6), Qt.MouseButton.LeftButton)
    dialog.comment.clear()
    qtbot.keyClicks(dialog.comment, "Slow invoices again.")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)
    assert saved.args[0].label == "Edit the survey response from Ingrid Dahl"
    assert answers_of(workspace, response_id=response.id) == {question.id: 6}
    changed = workspace.get(kind="survey_response", id=response.id)
    assert changed["comment"] == "Slow invoices again." and changed["channel"] == "phone"
    assert workspace.count(kind="survey_response") == 1 and workspace.count(kind="survey_answer") == 1
    qtbot.waitUntil(lambda: tab.responses.topLevelItem(0).text(3) == "NPS 6", timeout=TIMEOUT)

    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert answers_of(workspace, response_id=response.id) == {question.id: 9}
    assert workspace.get(kind="survey_response", id=response.id)["comment"] == "Good people, slow invoices."


def test_a_survey_answer_opened_from_elsewhere_opens_its_response(qtbot, scorecard_page):
    from companion.ui.portfolio.survey_form import SurveyResponseDialog

    window, tab, _ids = scorecard_page
    (answer,) = window.worker.workspace.list(kind="survey_answer")
    window.show_home()
    window.open_record("survey_answer", answer.id)
    dialog = visible(qtbot, window, SurveyResponseDialog)
    assert dialog.response_id == answer["response_id"]
    qtbot.waitUntil(lambda: dialog.rows.get(str(answer["question_id"])) is not None, timeout=TIMEOUT)
    assert dialog.rows[str(answer["question_id"])].value() == 9
    assert tab.records.currentIndex() == 2
    assert tab.response_actions.current() == ("survey_response", answer["response_id"])
    dialog.reject()


def test_a_client_with_nothing_recorded_says_so_in_words(qtbot, window):
    client = run_edit(qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Fjord Drilling"}))
    window.open_client(client.created_id, "scorecard")
    tab = window.clients.page.scorecard
    qtbot.waitUntil(lambda: tab.section is not None, timeout=TIMEOUT)
    assert "Nothing is recorded yet to judge this account by" in tab.as_of.text()
    assert {box.status.text() for box in tab.perspectives.boxes.values()} == {"● No data"}
    assert tab.no_reviews.isVisible() and not tab.reviews.isVisible()


SHOTS_DIR = Path("/tmp/shots19")


def _demo_clients(ws) -> tuple[str, str]:
    """The demo: the client with the most reviews (given a long name) and one with none."""
    from companion.core.demo import load_demo

    load_demo(ws)
    clients = ws.list(kind="client")
    reviewed = max(clients, key=lambda c: len(ws.list(kind="review", where={"client_id": c.id})))
    unreviewed = next(c for c in clients if not ws.list(kind="review", where={"client_id": c.id}))
    long_name = f"{reviewed['name']} Holding, Subsea Services and Offshore Logistics"
    ws.update(kind="client", id=reviewed.id, values={"name": long_name})
    return reviewed.id, unreviewed.id


def _shoot_a_response_opened(qtbot, window, tab, path: Path) -> None:
    """The first response opened for changing, drawn over the window as it sits on the screen."""
    from PySide6.QtGui import QPainter

    from companion.ui.portfolio.survey_form import SurveyResponseDialog

    rect = tab.responses.visualItemRect(tab.responses.topLevelItem(0))
    # A double click is a click and then the second press.
    qtbot.mouseClick(tab.responses.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.responses.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = visible(qtbot, tab, SurveyResponseDialog)
    qtbot.waitUntil(lambda: bool(dialog.rows) and not dialog.survey.isEnabled(), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    qtbot.wait(30)
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(
        (shot.width() - dialog.width()) // 2, (shot.height() - dialog.height()) // 2, dialog.grab()
    )
    painter.end()
    shot.save(str(path))
    assert dialog.height() <= 768 - 30  # with its title bar it fits the laptop's screen
    dialog.reject()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_scorecard_section_on_a_laptop_screen(qtbot, workspace, tmp_path, scheme):
    client_id, unreviewed = _demo_clients(workspace)
    SHOTS_DIR.mkdir(exist_ok=True)
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    try:
        window.open_client(client_id, "scorecard")
        tab = window.clients.page.scorecard
        qtbot.waitUntil(lambda: tab.section is not None, timeout=TIMEOUT)
        assert set(tab.perspectives.boxes) == set(PERSPECTIVES)
        wait_idle(qtbot, window)
        qtbot.wait(50)
        window.grab().save(str(SHOTS_DIR / f"scorecard_{scheme}.png"))
        for number, name in enumerate(("reviews", "factors", "responses")):
            tab.records.setCurrentIndex(number)
            qtbot.wait(30)
            window.grab().save(str(SHOTS_DIR / f"scorecard_{name}_{scheme}.png"))
        assert tab.reviews.isVisible() is False and tab.responses.isVisible()
        _shoot_a_response_opened(qtbot, window, tab, SHOTS_DIR / f"survey_response_edit_{scheme}.png")
        window.open_client(unreviewed, "scorecard")
        qtbot.waitUntil(
            lambda: tab.section is not None and tab.section.client_id == unreviewed, timeout=TIMEOUT
        )
        tab.records.setCurrentIndex(0)
        qtbot.wait(30)
        window.grab().save(str(SHOTS_DIR / f"scorecard_empty_{scheme}.png"))
        assert tab.no_reviews.isVisible() and not tab.reviews.isVisible()
    finally:
        window.worker.stop()
