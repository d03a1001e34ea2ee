"""Taking a survey response offline, in person or by phone, or changing one: a form the client's person can fill
in on the screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.changes import ChangeSet, Record
from companion.model.errors import ValidationError
from companion.model.kinds import RESPONSE_CHANNELS, get_kind
from companion.model.labels import choice_label
from companion.model.rules import normalise_fields
from companion.ui.common.edits import EditController
from companion.ui.common.saving_dialog import SavingDialog
from companion.ui.common.widgets import scrolled

# What the ends of each scale mean, as the person answering reads them under the buttons.
SCALE_ENDS = {
    "nps": ("Not at all likely", "Extremely likely"),
    "csat": ("Very dissatisfied", "Very satisfied"),
}
# The channels a response is taken by on this laptop come first: in person, then by phone.
CHANNEL_ORDER = ("in_person", "phone", *(c for c in RESPONSE_CHANNELS if c not in ("in_person", "phone")))
# Checkable score buttons drawn so the chosen one cannot be missed, in either scheme.
SCORE_STYLE = """
QPushButton[role="score"] {
    min-width: 30px; min-height: 30px; padding: 0 4px;
    border: 1px solid palette(mid); border-radius: 5px; background: palette(base); color: palette(text);
}
QPushButton[role="score"]:hover { border-color: palette(highlight); }
QPushButton[role="score"]:focus { border: 2px solid palette(highlight); }
QPushButton[role="score"]:checked {
    background: palette(highlight); color: palette(highlighted-text); border-color: palette(highlight);
    font-weight: 600;
}
"""


# --- jobs (run on the database thread) -------------------------------------------------------------


@dataclass(frozen=True)
class FormChoices:
    surveys: list[Record]  # running ones first
    clients: list[tuple[str, str]]  # (id, name) by name


def form_choices(ws) -> FormChoices:
    """The surveys (running first) and the clients the form offers."""
    from companion.core.surveys import survey_order

    surveys = sorted(ws.list(kind="survey"), key=lambda s: survey_order(s["status"], s["title"]))
    clients = [(str(i), str(name)) for i, name in ws.columns(kind="client", fields=["id", "name"])]
    return FormChoices(surveys, clients)


def survey_questions(ws, *, survey_id: str) -> list[Record]:
    from companion.core.surveys import questions_of

    return questions_of(ws, survey_id)


def client_people(ws, *, client_id: str) -> list[tuple[str, str]]:
    """(id, "Name, title") of the people working at the client now."""
    from companion.core.people import people_at

    return [
        (p.contact.id, f"{p.name}, {p.position['title']}" if p.position["title"] else p.name)
        for p in people_at(ws, client_id=client_id, include_past=False)
    ]


def take_response(ws, **values) -> ChangeSet:
    from companion.core.surveys import take_response as take

    return take(ws, **values)


@dataclass(frozen=True)
class ResponseShown:
    """A response opened to be changed: its own fields, its answers by question and its person's name
    (offered even when they no longer work at the client)."""

    response: Record
    answers: dict[str, int | str | None]
    person: str


def response_to_edit(ws, *, response_id: str) -> ResponseShown:
    from companion.core.surveys import answers_of

    response = ws.get(kind="survey_response", id=response_id)
    contact_id = str(response["contact_id"] or "")
    person = ws.get_many(kind="contact", ids=[contact_id]).get(contact_id) if contact_id else None
    return ResponseShown(
        response, answers_of(ws, response_id=response_id), str(person["name"]) if person else ""
    )


def response_of_answer(ws, *, answer_id: str) -> str:
    """The response a survey answer belongs to: an answer opens as its response."""
    return str(ws.get(kind="survey_answer", id=answer_id)["response_id"])


def edit_response(ws, **values) -> ChangeSet:
    from companion.core.surveys import edit_response as edit

    return edit(ws, **values)


# --- the form ----------------------------------------------------------------------------------------


class ScoreRow(QWidget):
    """One score question's buttons (0–10 or 1–5), one of them checked at most, with the scale's ends
    written under the first and the last."""

    def __init__(self, question_type: str, parent: QWidget | None = None):
        super().__init__(parent)
        from companion.core.surveys import SCORE_RANGES

        low, high = SCORE_RANGES[question_type]
        count = high - low + 1
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        # Fewer buttons are wider, so the words at the two ends fit under them side by side.
        width = 36 if count > 5 else 52
        for column, score in enumerate(range(low, high + 1)):
            button = QPushButton(str(score))
            button.setCheckable(True)
            button.setProperty("role", "score")
            button.setFixedWidth(width)
            button.setAccessibleName(self.tr("Score {0}").format(score))
            self.group.addButton(button, score)
            grid.addWidget(button, 0, column)
        least, most = SCALE_ENDS[question_type]
        for text, alignment in ((least, Qt.AlignmentFlag.AlignLeft), (most, Qt.AlignmentFlag.AlignRight)):
            label = QLabel(self.tr(text))
            label.setProperty("role", "muted")
            grid.addWidget(label, 1, 0, 1, count, alignment)
        grid.setColumnStretch(count, 1)

    def value(self) -> int | None:
        chosen = self.group.checkedId()
        return None if chosen == -1 else chosen

    def set_value(self, score: object) -> None:
        """Checks the button of this score (none for a score the scale does not have)."""
        button = self.group.button(score) if isinstance(score, int) else None
        if button is not None:
            button.setChecked(True)


class SurveyResponseDialog(SavingDialog):
    """The survey, the client and the person, the date and the channel; then each question in turn (a
    score's buttons, or a box to write in) and their own words. Saved as one undoable change.

    Given `response_id`, it opens that response with its answers to be changed (core/surveys.py
    edit_response); its survey and client stay as they are."""

    def __init__(
        self,
        edits: EditController,
        *,
        client_id: str | None = None,
        survey_id: str | None = None,
        contact_id: str | None = None,
        response_id: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(edits, parent)
        self.response_id: str | None = response_id
        self.editing = response_id is not None
        self.setWindowTitle(self.tr("Survey response") if self.editing else self.tr("Take a survey response"))
        self._wanted = {"client": client_id, "survey": survey_id, "contact": contact_id}
        self._shown: ResponseShown | None = None  # the response being changed, as read
        self.rows: dict[str, ScoreRow | QPlainTextEdit] = {}  # each question's answer, by its id
        self._surveys: dict[str, Record] = {}
        self._people_asked = 0
        self._questions_asked = 0
        self._reads: list[int] = []  # the worker's tickets of the reads asked for the form
        self._build_ui()
        self._connect_signals()
        if response_id is not None:
            # The response first: the choices are then set to it as they arrive.
            self._read(
                partial(response_to_edit, response_id=response_id),
                self._on_response_loaded,
                self._on_load_failed,
            )
        else:
            self._read(form_choices, self._on_choices_loaded, self._on_load_failed)

    def _build_ui(self) -> None:
        self.setStyleSheet(SCORE_STYLE)
        layout = QVBoxLayout(self)
        # Disabled until the surveys and clients are read: nothing typed is lost to a late answer.
        self.form = QWidget()
        self.form.setEnabled(False)
        column = QVBoxLayout(self.form)
        column.setContentsMargins(0, 0, 0, 0)
        top = QFormLayout()
        self.survey = QComboBox()
        self.survey.setAccessibleName(self.tr("Survey"))
        top.addRow(self.tr("Survey"), self.survey)
        self.client = QComboBox()
        self.client.setAccessibleName(self.tr("Client"))
        top.addRow(self.tr("Client"), self.client)
        self.person = QComboBox()
        self.person.setAccessibleName(self.tr("Person"))
        top.addRow(self.tr("Person"), self.person)
        when = QHBoxLayout()
        self.date = QLineEdit(dt.date.today().isoformat())
        self.date.setAccessibleName(self.tr("Date"))
        self.date.setMaximumWidth(120)
        when.addWidget(self.date)
        when.addSpacing(12)
        when.addWidget(QLabel(self.tr("Channel")))
        self.channel = QComboBox()
        self.channel.setAccessibleName(self.tr("Channel"))
        for channel in CHANNEL_ORDER:
            self.channel.addItem(self.tr(choice_label(channel)), channel)
        when.addWidget(self.channel)
        when.addStretch(1)
        top.addRow(self.tr("Date"), when)
        column.addLayout(top)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        column.addWidget(line)
        # What the person answering reads: the survey's introduction, its questions, their own words.
        self.answering = QWidget()
        self.answer_layout = QVBoxLayout(self.answering)
        self.answer_layout.setContentsMargins(0, 4, 8, 4)
        self.answer_layout.setSpacing(6)
        self.introduction = QLabel()
        self.introduction.setWordWrap(True)
        self.introduction.hide()
        self.answer_layout.addWidget(self.introduction)
        self.questions = QVBoxLayout()
        self.questions.setSpacing(10)
        self.answer_layout.addLayout(self.questions)
        comment_label = QLabel(self.tr("Anything else you would like to tell us? (in their own words)"))
        comment_label.setWordWrap(True)
        self.answer_layout.addWidget(comment_label)
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setAccessibleName(self.tr("Verbatim comment"))
        self.comment.setFixedHeight(80)
        self.answer_layout.addWidget(self.comment)
        self.answer_layout.addStretch(1)
        column.addWidget(scrolled(self.answering), 1)
        layout.addWidget(self.form, 1)
        self._add_footer(layout, QDialogButtonBox.StandardButton.Save)
        self.resize(620, 640)

    def _connect_signals(self) -> None:
        self.survey.currentIndexChanged.connect(self._on_survey_changed)
        self.client.currentIndexChanged.connect(self._on_client_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)

    # --- reading ------------------------------------------------------------------------------

    def _read(self, job, on_done, on_error) -> None:
        """A read for the form on the database thread, forgotten if the form closes first (it may be
        deleted by then)."""
        self._reads.append(self.edits.worker.submit(job, on_done, on_error))

    def done(self, result: int) -> None:
        for ticket in self._reads:
            self.edits.worker.cancel(ticket)  # one already answered is not there to cancel
        super().done(result)

    def reject(self) -> None:
        if not self.buttons.isEnabled():
            return  # saving: the change is on its way and the form closes once it is written
        super().reject()

    def _on_load_failed(self, failure) -> None:
        self.problem.setText(str(failure.error))
        self.problem.show()

    def _on_response_loaded(self, shown: ResponseShown) -> None:
        self._shown = shown
        response = shown.response
        self._wanted = {
            "client": str(response["client_id"]),
            "survey": str(response["survey_id"]),
            "contact": str(response["contact_id"] or "") or None,
        }
        self.date.setText(str(response["date"] or ""))
        channel = self.channel.findData(str(response["channel"] or ""))
        self.channel.setCurrentIndex(max(channel, 0))
        self.comment.setPlainText(str(response["comment"] or ""))
        self.setWindowTitle(
            self.tr("Survey response from {0}").format(shown.person)
            if shown.person
            else self.tr("Survey response")
        )
        self._read(form_choices, self._on_choices_loaded, self._on_load_failed)

    def _on_choices_loaded(self, choices: FormChoices) -> None:
        self._surveys = {s.id: s for s in choices.surveys}
        self.survey.blockSignals(True)
        for survey in choices.surveys:
            status = str(survey["status"])
            said = "" if status == "running" else f" ({self.tr(choice_label(status)).lower()})"
            self.survey.addItem(f"{survey['title']}{said}", survey.id)
        self.survey.setCurrentIndex(max(self.survey.findData(self._wanted["survey"]), 0))
        self.survey.blockSignals(False)
        self.client.blockSignals(True)
        for client_id, name in choices.clients:
            self.client.addItem(name, client_id)
        self.client.setCurrentIndex(max(self.client.findData(self._wanted["client"]), 0))
        self.client.blockSignals(False)
        self.form.setEnabled(True)
        # A response answers its survey, from its client: changing either would make it another response.
        self.survey.setEnabled(not self.editing)
        self.client.setEnabled(not self.editing)
        if not choices.surveys:
            self._refuse(self.tr("No survey yet: make one on the Portfolio page's Surveys tab first."))
        elif not choices.clients:
            self._refuse(self.tr("No client yet: add the client first."))
        self._on_survey_changed()
        self._on_client_changed()

    def _refuse(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)

    def _on_client_changed(self, *_args) -> None:
        client_id = self.client.currentData()
        self._people_asked += 1
        asked = self._people_asked
        self.person.clear()
        self.person.addItem(self.tr("— (someone not listed)"), None)
        if client_id:
            self._read(
                partial(client_people, client_id=client_id),
                lambda people: self._on_people_loaded(asked, people),
                self._on_load_failed,
            )

    def _on_people_loaded(self, asked: int, people: list[tuple[str, str]]) -> None:
        if asked != self._people_asked:
            return
        for contact_id, name in people:
            self.person.addItem(name, contact_id)
        wanted = self.person.findData(self._wanted["contact"]) if self._wanted["contact"] else -1
        if wanted < 0 and self._shown is not None and self._wanted["contact"]:
            # Who answered has left the client since: still who answered.
            self.person.addItem(
                self._shown.person or self.tr("(someone no longer there)"), self._wanted["contact"]
            )
            wanted = self.person.count() - 1
        if self.editing:
            self.person.setCurrentIndex(max(wanted, 0))  # nobody named stays nobody
        else:
            self.person.setCurrentIndex(wanted if wanted >= 0 else (1 if people else 0))

    def _on_survey_changed(self, *_args) -> None:
        survey = self._surveys.get(self.survey.currentData() or "")
        self.introduction.setText(str(survey["introduction"] or "") if survey is not None else "")
        self.introduction.setVisible(bool(self.introduction.text()))
        self._questions_asked += 1
        asked = self._questions_asked
        self._show_questions([])
        if survey is not None:
            self._read(
                partial(survey_questions, survey_id=survey.id),
                lambda questions: self._on_questions_loaded(asked, questions),
                self._on_load_failed,
            )

    def _on_questions_loaded(self, asked: int, questions: list[Record]) -> None:
        if asked == self._questions_asked:
            self._show_questions(questions)

    def _show_questions(self, questions: list[Record]) -> None:
        """One block a question: its number and text, then its buttons or a box to write in."""
        while self.questions.count():
            item = self.questions.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows = {}
        for number, question in enumerate(questions, start=1):
            block = QWidget()
            lines = QVBoxLayout(block)
            lines.setContentsMargins(0, 0, 0, 0)
            lines.setSpacing(4)
            asked = QLabel(f"{number}. {question['text']}")
            asked.setWordWrap(True)
            asked.setProperty("role", "subheading")
            lines.addWidget(asked)
            question_type = str(question["type"])
            if question_type == "text":
                answer = QPlainTextEdit()
                answer.setTabChangesFocus(True)
                answer.setFixedHeight(64)
                answer.setAccessibleName(self.tr("Answer to question {0}").format(number))
            else:
                answer = ScoreRow(question_type)
                answer.setAccessibleName(self.tr("Score for question {0}").format(number))
            lines.addWidget(answer)
            self.rows[question.id] = answer
            self.questions.addWidget(block)
        if not questions and self.survey.count():
            empty = QLabel(self.tr("This survey has no questions yet: add them on its Surveys tab."))
            empty.setProperty("role", "muted")
            self.questions.addWidget(empty)
        if self._shown is not None:
            self._show_answers(self._shown.answers)

    def _show_answers(self, answers: dict[str, int | str | None]) -> None:
        """The response's answers in their questions' buttons and boxes."""
        for question_id, given in answers.items():
            row = self.rows.get(question_id)
            if isinstance(row, ScoreRow):
                row.set_value(given)
            elif row is not None and given is not None:
                row.setPlainText(str(given))

    # --- saving -------------------------------------------------------------------------------

    def answers(self) -> dict[str, int | str | None]:
        """Each question's answer as given: a score, a text, or None when left unanswered."""
        return {
            question_id: row.value() if isinstance(row, ScoreRow) else row.toPlainText().strip() or None
            for question_id, row in self.rows.items()
        }

    def _on_buttons_accepted(self) -> None:
        try:
            date = normalise_fields(get_kind("survey_response"), {"date": self.date.text().strip() or None})[
                "date"
            ]
        except ValidationError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        if date is None:
            self.problem.setText(self.tr("Survey response · Date (date): is required"))
            self.problem.show()
            return
        if not self.survey.currentData() or not self.client.currentData():
            self.problem.setText(self.tr("Choose the survey and the client."))
            self.problem.show()
            return
        if self.response_id is not None:
            if (
                not any(a is not None for a in self.answers().values())
                and not self.comment.toPlainText().strip()
            ):
                # As a new response would be refused (core/surveys.py take_response): one that says nothing.
                self.problem.setText(
                    self.tr("Survey response: answer at least one question or write the comment.")
                )
                self.problem.show()
                return
            values = {
                "contact_id": self.person.currentData(),
                "date": str(date),
                "channel": self.channel.currentData(),
                "comment": self.comment.toPlainText().strip() or None,
            }
            self.save(
                partial(edit_response, response_id=self.response_id, answers=self.answers(), values=values)
            )
            return
        self.save(
            partial(
                take_response,
                survey_id=self.survey.currentData(),
                client_id=self.client.currentData(),
                contact_id=self.person.currentData(),
                date=str(date),
                channel=self.channel.currentData(),
                answers=self.answers(),
                comment=self.comment.toPlainText(),
            )
        )

    def saved(self, changes: ChangeSet) -> None:
        if not self.editing:
            self.response_id = changes.created_id


def take_survey_response(
    parent: QWidget | None,
    edits: EditController,
    *,
    client_id: str | None = None,
    survey_id: str | None = None,
    contact_id: str | None = None,
) -> str | None:
    """Opens the form (on this client, survey and person when given) and waits for it; the new response's
    id once saved, None if the person cancelled."""
    dialog = SurveyResponseDialog(
        edits, client_id=client_id, survey_id=survey_id, contact_id=contact_id, parent=parent
    )
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.response_id
    finally:
        dialog.deleteLater()


def open_survey_response(parent: QWidget, edits: EditController, *, response_id: str) -> SurveyResponseDialog:
    """Opens a response in the survey form with its answers, to be changed and saved as one undoable
    change; the window goes on meanwhile."""
    dialog = SurveyResponseDialog(edits, response_id=response_id, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
