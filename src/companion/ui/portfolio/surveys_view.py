"""The Portfolio page's Surveys: the surveys with their NPS, the chosen one's questions and what its responses say."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidgetItem,
    QWidget,
)

from companion.core.changes import Record
from companion.model.labels import choice_label
from companion.ui.common.edits import EditController
from companion.ui.common.record_actions import RecordActions, RecordRole, ask_then_delete
from companion.ui.common.theme import error_color, muted_text_color
from companion.ui.common.widgets import button_bar, column, empty_state, tree
from companion.ui.sales.tab import SalesTab

SURVEY_FIELDS = ("title", "status", "starts", "ends", "introduction")
QUESTION_FIELDS = ("type", "text")
# What the tab reads: a change to any of them reads it again.
SURVEY_KINDS = frozenset(
    {"survey", "survey_question", "survey_response", "survey_answer", "client", "contact"}
)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


# --- jobs (run on the database thread) -------------------------------------------------------------


def load_surveys(ws) -> list:
    """Every survey with its counts and NPS, running ones first (core/surveys.survey_rows)."""
    from companion.core.surveys import survey_rows

    return survey_rows(ws)


@dataclass(frozen=True)
class SurveyDetail:
    survey_id: str
    results: object  # core.surveys.SurveyResults


def survey_detail(ws, *, survey_id: str) -> SurveyDetail:
    from companion.core.surveys import survey_results

    return SurveyDetail(survey_id, survey_results(ws, survey_id=survey_id))


def survey_of_question(ws, *, question_id: str) -> str:
    return str(ws.get(kind="survey_question", id=question_id)["survey_id"])


def move_question(ws, *, question_id: str, step: int):
    from companion.core.surveys import move_question as move

    return move(ws, question_id=question_id, step=step)


# --- words ---------------------------------------------------------------------------------------


def nps_text(value: float | None) -> str:
    """An NPS as people write it: "+25", "−12.5", "0"; "—" when nobody answered."""
    if value is None:
        return "—"
    shown = f"{abs(value):.1f}".removesuffix(".0")
    return "0" if value == 0 else f"{'+' if value > 0 else '−'}{shown}"


def csat_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _dates(survey: Record) -> str:
    starts, ends = survey["starts"], survey["ends"]
    if starts and ends:
        return f"{starts} – {ends}"
    return str(starts or ends or "")


def _carry(item: QTreeWidgetItem, target: tuple[str, str]) -> None:
    """The record on every column of its row: Enter or a double-click opens it wherever the row is hit."""
    for number in range(item.columnCount()):
        item.setData(number, RecordRole, target)


# --- the tab -------------------------------------------------------------------------------------


class SurveysTab(SalesTab):
    """Surveys: New, Edit and Delete (each undoable); the chosen one's questions (added, edited, deleted,
    moved up and down), its NPS and CSAT overall and by client, and its responses with their comments,
    detractors marked. Take a response… opens the survey form; opening a response opens its client."""

    sig_record_opened = Signal(str, str)
    """The person opened a response (kind, id): the window shows it at its client (main_window.open_record)."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(edits, parent)
        self.detail: SurveyDetail | None = None
        self._detail_asked = 0
        self._wanted_question: str | None = None  # to choose once its survey's questions are read
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.new_button = QPushButton(self.tr("New survey…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.list = tree(
            self.tr("Surveys"),
            [self.tr("Survey"), self.tr("Status"), self.tr("Responses"), self.tr("NPS")],
            (140, 66, 92, 56),
        )
        # The title takes what the counts leave: the NPS stays in sight however narrow the list.
        self.list.header().setStretchLastSection(False)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.empty = empty_state(
            self.tr(
                "No surveys yet.\nA survey asks clients' people how likely they are to recommend you (NPS, "
                "0–10), how satisfied they are (CSAT, 1–5) and what to do better. New survey… starts one."
            )
        )
        self.heading = QLabel()
        self.heading.setProperty("role", "subheading")
        self.heading.setWordWrap(True)
        self.take_button = QPushButton(self.tr("Take a response…"))
        self.take_button.setToolTip(
            self.tr("Fill in the survey with a client's person, in person or by phone")
        )
        # The questions, each with its result; a written question's answers under it.
        self.add_question_button = QPushButton(self.tr("Add question…"))
        self.edit_question_button = QPushButton(self.tr("Edit…"))
        self.delete_question_button = QPushButton(self.tr("Delete…"))
        self.up_button = QPushButton(self.tr("Move up"))
        self.down_button = QPushButton(self.tr("Move down"))
        self.questions = tree(
            self.tr("Questions"),
            [self.tr("Question"), self.tr("Type"), self.tr("Answers"), self.tr("Result")],
            (330, 60, 80),
        )
        questions, _layout = column(
            button_bar(self.add_question_button, self.edit_question_button, self.delete_question_button,
                       self.up_button, self.down_button),
            self.questions,
        )  # fmt: skip
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.responses = tree(
            self.tr("Responses"),
            [self.tr("Date"), self.tr("Client"), self.tr("Person"), self.tr("Channel"), self.tr("NPS"),
             self.tr("Comment")],
            (84, 130, 110, 72, 96),
        )  # fmt: skip
        self.by_client = tree(
            self.tr("By client"),
            [self.tr("Client"), self.tr("Responses"), self.tr("NPS"), self.tr("CSAT")],
            (260, 90, 70, 70),
        )
        self.by_client.header().setStretchLastSection(False)
        self.results = QTabWidget()
        self.results.setDocumentMode(True)
        self.results.addTab(self.responses, self.tr("Responses"))
        self.results.addTab(self.by_client, self.tr("By client"))
        results, _layout = column(self.summary, self.results)
        parts = QSplitter(Qt.Orientation.Vertical)
        parts.addWidget(questions)
        parts.addWidget(results)
        parts.setSizes([220, 320])
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.take_button, 0, Qt.AlignmentFlag.AlignTop)
        self.detail_panel, _layout = column(top, parts)
        _layout.setStretch(1, 1)
        splitter = self.lay_out_beside(
            [self.new_button, self.edit_button, self.delete_button], self.detail_panel, [385, 675]
        )
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.survey_actions = RecordActions(self.list, self.edits, fields={"survey": SURVEY_FIELDS})
        self.question_actions = RecordActions(
            self.questions, self.edits, fields={"survey_question": QUESTION_FIELDS}
        )
        self.response_actions = RecordActions(
            self.responses,
            self.edits,
            on_edit=lambda kind, record_id: self.sig_record_opened.emit(kind, record_id),
        )

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self._on_new_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.take_button.clicked.connect(self._on_take_clicked)
        self.list.currentItemChanged.connect(lambda _now, _before: self._on_selection_changed())
        self.add_question_button.clicked.connect(self._on_add_question_clicked)
        self.edit_question_button.clicked.connect(self._on_edit_question_clicked)
        self.delete_question_button.clicked.connect(self._on_delete_question_clicked)
        self.up_button.clicked.connect(partial(self._move, -1))
        self.down_button.clicked.connect(partial(self._move, 1))
        self.questions.currentItemChanged.connect(lambda _now, _before: self._enable())

    # --- reading ------------------------------------------------------------------------------

    def load_job(self):
        return load_surveys

    def show_data(self, rows) -> None:
        self.fill_list(rows, self._item, self.detail_panel)

    def _item(self, row) -> QTreeWidgetItem:
        survey = row.survey
        item = QTreeWidgetItem(
            [str(survey["title"]), self.tr(choice_label(str(survey["status"]))), str(row.responses),
             nps_text(row.nps)]
        )  # fmt: skip
        _carry(item, ("survey", survey.id))
        # The dates are in the heading of the survey chosen: the list keeps to what ranks surveys.
        item.setToolTip(0, " · ".join(p for p in (str(survey["title"]), _dates(survey)) if p))
        for number in (2, 3):
            item.setTextAlignment(number, _RIGHT)
        if survey["status"] == "closed":
            for number in range(4):
                item.setForeground(number, muted_text_color())
        return item

    def show_record(self, kind: str, record_id: str) -> None:
        """Chooses a survey, or a question's survey with the question chosen in it, once read."""
        if kind == "survey":
            self.select(record_id)
            return
        self._wanted_question = record_id
        self.edits.worker.submit(
            partial(survey_of_question, question_id=record_id), lambda survey_id: self.select(survey_id)
        )

    def on_changed(self, kinds: frozenset[str], showing: bool) -> None:
        if kinds & SURVEY_KINDS:
            if showing:
                self.reload()
            else:
                self.stale = True

    def _on_selection_changed(self) -> None:
        row = self.current_row()
        self._enable()
        if row is None:
            self.detail = None
            self.heading.setText("")
            self.questions.clear()
            self.responses.clear()
            self.by_client.clear()
            self.summary.setText("")
            return
        survey = row.survey
        facts = [self.tr(choice_label(str(survey["status"])))]
        if _dates(survey):
            facts.append(_dates(survey))
        self.heading.setText(f"{survey['title']} · {' · '.join(facts)}")
        self._detail_asked += 1
        asked = self._detail_asked
        self.edits.worker.submit(
            partial(survey_detail, survey_id=survey.id), lambda detail: self._on_detail_loaded(asked, detail)
        )

    def _on_detail_loaded(self, asked: int, detail: SurveyDetail) -> None:
        if asked != self._detail_asked or detail.survey_id != self.current_id():
            return
        self.detail = detail
        results = detail.results
        self._show_questions(results)
        self._show_summary(results)
        self._show_responses(results)
        self._show_by_client(results)
        self._enable()

    def _show_questions(self, results) -> None:
        chosen = self._wanted_question or self.current_question()
        self._wanted_question = None
        muted = muted_text_color()
        self.questions.clear()
        for question in results.questions:
            if question.type == "nps":
                result = self.tr("NPS {0}").format(nps_text(question.score))
            elif question.type == "csat":
                result = self.tr("CSAT {0}").format(csat_text(question.score))
            else:
                result = ""
            item = QTreeWidgetItem(
                [
                    f"{question.number}. {question.text}",
                    self._type_words(question.type),
                    str(question.count),
                    result,
                ]
            )
            _carry(item, ("survey_question", question.id))
            item.setToolTip(0, question.text)
            item.setTextAlignment(2, _RIGHT)
            for text in question.texts:
                answer = QTreeWidgetItem([f"“{' '.join(text.split())}”"])
                answer.setForeground(0, muted)
                answer.setFlags(answer.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                item.addChild(answer)
            self.questions.addTopLevelItem(item)
            if question.id == chosen:
                self.questions.setCurrentItem(item)
        self.questions.setRootIsDecorated(any(q.texts for q in results.questions))

    def _type_words(self, question_type: str) -> str:
        from companion.core.surveys import TYPE_LABELS

        return self.tr(TYPE_LABELS.get(question_type, question_type))

    def _show_summary(self, results) -> None:
        if not results.responses:
            self.summary.setText(
                self.tr("No responses yet: Take a response… fills it in with a client's person.")
            )
            return
        parts = [self.tr("{0} responses").format(len(results.responses)) if len(results.responses) != 1
                 else self.tr("1 response")]  # fmt: skip
        if results.nps is not None:
            parts.append(self.tr("NPS <b>{0}</b>").format(nps_text(results.nps)))
        if results.csat is not None:
            parts.append(self.tr("CSAT <b>{0}</b> of 5").format(csat_text(results.csat)))
        if results.detractors:
            color = error_color().name()
            words = (
                self.tr("1 detractor")
                if results.detractors == 1
                else self.tr("{0} detractors").format(results.detractors)
            )
            parts.append(f"<span style='color:{color}'>{words}</span>")
        self.summary.setText(" · ".join(parts))

    def _show_responses(self, results) -> None:
        danger = error_color()
        self.responses.clear()
        for row in results.responses:
            score = "" if row.nps_score is None else str(row.nps_score)
            if row.detractor:
                score = self.tr("{0} · detractor").format(score)
            comment = " ".join((row.comment or "").split())
            item = QTreeWidgetItem(
                [
                    row.date,
                    row.client_name,
                    row.person or "",
                    self.tr(choice_label(row.channel)),
                    score,
                    comment,
                ]
            )
            _carry(item, ("survey_response", row.id))
            item.setToolTip(5, row.comment or "")
            item.setToolTip(1, self.tr("Open the response at {0}").format(row.client_name))
            if row.detractor:
                item.setForeground(4, danger)
                item.setToolTip(4, self.tr("A detractor: would not recommend us (0–6)"))
            self.responses.addTopLevelItem(item)

    def _show_by_client(self, results) -> None:
        self.by_client.clear()
        for row in results.by_client:
            item = QTreeWidgetItem(
                [row.client_name, str(row.responses), nps_text(row.nps), csat_text(row.csat)]
            )
            for number in (1, 2, 3):
                item.setTextAlignment(number, _RIGHT)
            self.by_client.addTopLevelItem(item)

    def current_question(self) -> str | None:
        item = self.questions.currentItem()
        target = item.data(0, RecordRole) if item is not None else None
        return target[1] if target else None

    def _enable(self) -> None:
        chosen = self.current_id() is not None
        for button in (self.edit_button, self.delete_button, self.add_question_button, self.take_button):
            button.setEnabled(chosen)
        question = self.current_question()
        ids = [q.id for q in self.detail.results.questions] if self.detail is not None else []
        place = ids.index(question) if question in ids else -1
        self.edit_question_button.setEnabled(place >= 0)
        self.delete_question_button.setEnabled(place >= 0)
        self.up_button.setEnabled(place > 0)
        self.down_button.setEnabled(0 <= place < len(ids) - 1)

    # --- the person's choices -----------------------------------------------------------------

    def _on_new_clicked(self):
        from companion.ui.common.record_dialog import NewRecordDialog

        dialog = NewRecordDialog(
            self.edits, "survey", fields=SURVEY_FIELDS, initial={"status": "draft"}, parent=self.window()
        )
        dialog.accepted.connect(lambda: dialog.created_id and self.select(dialog.created_id))
        dialog.open()
        return dialog

    def _on_edit_clicked(self):
        chosen = self.current_id()
        return self.survey_actions.edit("survey", chosen) if chosen else None

    def _on_delete_clicked(self) -> None:
        row = self.current_row()
        if row is not None:
            ask_then_delete(self.window(), self.edits, "survey", row.survey.id, title=row.survey["title"])

    def _on_add_question_clicked(self):
        from companion.core.surveys import position_after
        from companion.ui.common.record_dialog import NewRecordDialog

        survey_id = self.current_id()
        if survey_id is None or self.detail is None:
            return None
        # Asked after the survey's last question; Move up puts it elsewhere.
        fixed = {"survey_id": survey_id, "position": position_after(self.detail.results.questions)}
        dialog = NewRecordDialog(
            self.edits, "survey_question", fields=QUESTION_FIELDS, fixed=fixed, initial={"type": "nps"},
            title=self.tr("Add a question"), parent=self.window(),
        )  # fmt: skip
        dialog.open()
        return dialog

    def _on_edit_question_clicked(self):
        chosen = self.current_question()
        return self.question_actions.edit("survey_question", chosen) if chosen else None

    def _on_delete_question_clicked(self) -> None:
        item = self.questions.currentItem()
        chosen = self.current_question()
        if chosen:
            ask_then_delete(self.window(), self.edits, "survey_question", chosen, title=item.text(0))

    def _move(self, step: int) -> None:
        chosen = self.current_question()
        if chosen:
            self.edits.run(partial(move_question, question_id=chosen, step=step))

    def _on_take_clicked(self) -> str | None:
        from companion.ui.portfolio.survey_form import take_survey_response

        return take_survey_response(self.window(), self.edits, survey_id=self.current_id())
