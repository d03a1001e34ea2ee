"""The client page's Scorecard section: the balanced scorecard above; the reviews with their agreed actions,
the success-factor ratings and the survey responses below."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeView,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.scorecard import FACTOR_LABELS, PERSPECTIVE_RULE
from companion.model.errors import NotFoundError
from companion.model.kinds import SUCCESS_FACTORS, Field
from companion.model.labels import choice_label
from companion.ui.clients import scorecard_operations
from companion.ui.clients.scorecard_operations import ScorecardSection
from companion.ui.clients.scorecard_view import PerspectivesView
from companion.ui.common import theme
from companion.ui.common.edits import EditController
from companion.ui.common.latest_read import LatestRead
from companion.ui.common.record_actions import RecordActions, RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.common.widgets import button_bar, column, empty_state, scrolled, tree
from companion.ui.common.worker import Failure
from companion.ui.common.wrapping_delegate import PADDING, WrappingDelegate

# The fields each kind's form shows here; what ties it to the client is filled in. A survey response and
# its answers open in the survey form instead (ui/portfolio/survey_form.py).
EDIT_FIELDS = {
    "review": (
        "title", "kind", "held_on", "period_from", "period_to", "meeting_id", "our_rating", "their_rating",
        "went_well", "went_badly", "internal_notes", "next_review",
    ),
    "success_factor_rating": ("factor", "period_from", "period_to", "rating", "evidence"),
    "action": ("text", "owner_id", "contact_id", "due", "done"),
}  # fmt: skip
RefChoices = Callable[[Field], Sequence[tuple[str, str]]]
SAVED_MESSAGE_MS = 5000


class ScorecardTab(QWidget):
    """One client's scorecard and what it is read from, read on the database thread whenever the page
    reads itself again."""

    sig_record_opened = Signal(str, str)
    """A record a figure is read from was chosen: (kind, id); the window opens it where it is shown."""

    def __init__(self, edits: EditController, ref_choices: RefChoices, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self._page_choices = ref_choices  # the client page's: colleagues
        self.client_id: str | None = None
        self.section: ScorecardSection | None = None
        self.today: dt.date | None = None  # None: the day it is read
        self._read = LatestRead(edits.worker, self._on_loaded, self._on_failed)
        self._pending: tuple[str, str] | None = None
        self._shared = False  # the splitter's room shared out once it is on screen
        self._build_ui()
        self._connect_signals()

    # --- building ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.as_of = QLabel()
        self.as_of.setProperty("role", "muted")
        self.as_of.setWordWrap(True)
        layout.addWidget(self.as_of)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.perspectives = PerspectivesView()
        top = scrolled(self.perspectives)
        top.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        top.setAccessibleName(self.tr("Balanced scorecard"))
        self.splitter.addWidget(top)
        self.records = QTabWidget()
        self.records.setAccessibleName(self.tr("Reviews, ratings and survey responses"))
        self.records.addTab(self._reviews_page(), self.tr("Reviews"))
        self.records.addTab(self._ratings_page(), self.tr("Success factors"))
        self.records.addTab(self._responses_page(), self.tr("Survey responses"))
        self.splitter.addWidget(self.records)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)

    def _reviews_page(self) -> QWidget:
        self.new_review_button = QPushButton(self.tr("New review…"))
        self.edit_review_button = QPushButton(self.tr("Edit"))
        self.delete_review_button = QPushButton(self.tr("Delete"))
        self.add_action_button = QPushButton(self.tr("Add action…"))
        self.add_action_button.setToolTip(self.tr("An action agreed in the chosen review"))
        # A push button with a menu: it looks like its neighbours and says it opens a menu.
        self.pack_button = QPushButton(self.tr("Review pack…"))
        self.pack_button.setToolTip(
            self.tr("The chosen review's pack as a PDF (the latest review's if none is chosen)")
        )
        pack_menu = QMenu(self.pack_button)
        self.internal_pack_action = pack_menu.addAction(self.tr("For the meeting (internal)…"))
        self.internal_pack_action.setToolTip(
            self.tr("With our internal assessment and each figure's sources")
        )
        self.client_pack_action = pack_menu.addAction(self.tr("For the client…"))
        self.client_pack_action.setToolTip(self.tr("Without the internal assessment: to hand to the client"))
        self.pack_button.setMenu(pack_menu)
        self.reviews = tree(
            self.tr("Reviews"),
            [
                self.tr("Review"),
                self.tr("Held on"),
                self.tr("Kind"),
                self.tr("Ratings"),
                self.tr("Next review"),
            ],
            (320, 90, 90, 150, 100),
        )
        self.reviews.setRootIsDecorated(True)
        self.reviews.setItemDelegate(SpannedRowsDelegate(self.reviews))
        # The review's title and its actions' lines take the room left; the dates and ratings their own.
        self.reviews.header().setStretchLastSection(False)
        self.reviews.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.no_reviews = empty_state(
            self.tr(
                "No reviews with this client yet.\nRecord one with New review… after you meet to review the account."
            )
        )
        page, _layout = column(
            button_bar(
                self.new_review_button,
                self.edit_review_button,
                self.delete_review_button,
                self.add_action_button,
                self.pack_button,
            ),
            self.reviews,
            self.no_reviews,
            margins=(4, 6, 4, 4),
        )
        return page

    def _ratings_page(self) -> QWidget:
        self.new_rating_button = QPushButton(self.tr("Rate a success factor…"))
        self.edit_rating_button = QPushButton(self.tr("Edit"))
        self.delete_rating_button = QPushButton(self.tr("Delete"))
        self.ratings = QTableWidget(0, 0)
        self.ratings.setAccessibleName(self.tr("Success factors by period"))
        self.ratings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ratings.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ratings.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.no_ratings = empty_state(
            self.tr(
                "No success factors rated yet.\nRate how well we met each of the client's critical success "
                "factors over a period with Rate a success factor…"
            )
        )
        page, _layout = column(
            button_bar(self.new_rating_button, self.edit_rating_button, self.delete_rating_button),
            self.ratings,
            self.no_ratings,
            margins=(4, 6, 4, 4),
        )
        return page

    def _responses_page(self) -> QWidget:
        self.take_survey_button = QPushButton(self.tr("Take a survey response…"))
        self.take_survey_button.setToolTip(
            self.tr("Ask someone here a survey's questions and note the answers")
        )
        self.open_response_button = QPushButton(self.tr("Open"))
        self.delete_response_button = QPushButton(self.tr("Delete"))
        self.responses = tree(
            self.tr("Survey responses"),
            [
                self.tr("Person"),
                self.tr("Date"),
                self.tr("Survey"),
                self.tr("Scores"),
                self.tr("Channel"),
                self.tr("Comment"),
            ],
            (180, 90, 180, 130, 80),
        )
        self.no_responses = empty_state(
            self.tr("No survey responses from this client yet.\nNote one with Take a survey response…")
        )
        page, _layout = column(
            button_bar(self.take_survey_button, self.open_response_button, self.delete_response_button),
            self.responses,
            self.no_responses,
            margins=(4, 6, 4, 4),
        )
        return page

    def _connect_signals(self) -> None:
        self.perspectives.sig_record_opened.connect(self.sig_record_opened)
        actions = partial(RecordActions, edits=self.edits, ref_choices=self.ref_choices, fields=EDIT_FIELDS)
        self.review_actions = actions(self.reviews)
        self.rating_actions = actions(self.ratings)
        self.response_actions = actions(self.responses, on_edit=self._edit_response)
        self.new_review_button.clicked.connect(self._on_new_review_clicked)
        self.edit_review_button.clicked.connect(partial(self._edit_current, self.review_actions))
        self.delete_review_button.clicked.connect(self.review_actions.delete_current)
        self.add_action_button.clicked.connect(self._on_add_action_clicked)
        self.internal_pack_action.triggered.connect(self._on_internal_pack_triggered)
        self.client_pack_action.triggered.connect(self._on_client_pack_triggered)
        self.new_rating_button.clicked.connect(self._on_new_rating_clicked)
        self.edit_rating_button.clicked.connect(partial(self._edit_current, self.rating_actions))
        self.delete_rating_button.clicked.connect(self.rating_actions.delete_current)
        self.take_survey_button.clicked.connect(self._on_take_survey_clicked)
        self.open_response_button.clicked.connect(partial(self._edit_current, self.response_actions))
        self.delete_response_button.clicked.connect(self.response_actions.delete_current)
        for view in (self.reviews, self.responses):
            view.selectionModel().currentChanged.connect(partial(_keep_on_first_column, view))
        self.reviews.currentItemChanged.connect(lambda *_: self._enable_buttons())
        self.ratings.currentCellChanged.connect(lambda *_: self._enable_buttons())
        self.responses.currentItemChanged.connect(lambda *_: self._enable_buttons())
        theme.manager().sig_scheme_changed.connect(self._on_theme_scheme_changed)

    def _on_theme_scheme_changed(self, _scheme: str) -> None:
        # The charts and the status colours are drawn in the scheme they were shown in.
        if self.section is not None:
            self._show_scorecard(self.section)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shared:
            # The scorecard gets the most room once the splitter knows its height (it would share by the
            # widgets' own wishes otherwise, and the lists wish for much).
            self._shared = True
            QTimer.singleShot(0, lambda: self.splitter.setSizes([6_500, 3_500]))
            # An admin may have turned file exports off (companion.app.settings): the pack is one.
            preferences = getattr(self.window(), "preferences", None)
            if preferences is not None and not preferences.exports_allowed():
                self.pack_button.hide()

    def views(self) -> list[QAbstractItemView]:
        """The lists of records this section shows (the page finds a record to open in them)."""
        return [self.reviews, self.ratings, self.responses]

    def ref_choices(self, field: Field) -> Sequence[tuple[str, str]]:
        """The client's people, meetings and the surveys from the section; colleagues from the page."""
        section = self.section
        if field.ref_kind == "colleague":
            return self._page_choices(field)
        if section is None:
            return []
        return {
            "contact": section.people,
            "meeting": section.meetings,
            "survey": section.surveys,
        }.get(field.ref_kind or "", ())

    # --- loading ----------------------------------------------------------------------------

    def load(self, client_id: str) -> None:
        """Reads the client's scorecard and records (again); an answer to an older read is dropped."""
        if client_id != self.client_id:
            self.client_id = client_id
            self.section = None
            self.setEnabled(False)  # its buttons would add to the last client's until read
        self._read.ask(partial(scorecard_operations.scorecard_section, client_id=client_id, today=self.today))

    def _on_failed(self, failure: Failure) -> None:
        if not isinstance(failure.error, NotFoundError):  # the client itself gone: the page says so
            self.edits.sig_failed.emit(failure)

    def _on_loaded(self, section: ScorecardSection) -> None:
        if section.client_id != self.client_id:
            return
        self.section = section
        self.setEnabled(True)
        self._show_scorecard(section)
        self._fill_reviews(section)
        self._fill_ratings(section)
        self._fill_responses(section)
        self._enable_buttons()
        self._open_pending()

    def _show_scorecard(self, section: ScorecardSection) -> None:
        card = section.scorecard
        self.perspectives.show_scorecard(card)
        as_of = self.tr("As of {0}.").format(card.as_of.isoformat())
        if all(p.status == "unknown" for p in card.perspectives):
            self.as_of.setText(
                self.tr(
                    "{0} Nothing is recorded yet to judge this account by: the account plan's objectives and "
                    "measures, survey answers, reviews, success-factor ratings and interactions fill it in."
                ).format(as_of)
            )
        else:
            # One rule judges every perspective: said once, above them.
            self.as_of.setText(
                self.tr("{0} How a perspective is judged: {1}").format(as_of, PERSPECTIVE_RULE)
            )

    def _fill_reviews(self, section: ScorecardSection) -> None:
        view = self.reviews
        chosen = self.review_actions.current()
        view.clear()
        for row in section.reviews:
            review = row.review
            ratings = [
                self.tr("ours {0}").format(review["our_rating"]) if review["our_rating"] else "",
                self.tr("theirs {0}").format(review["their_rating"]) if review["their_rating"] else "",
            ]
            item = QTreeWidgetItem(
                [
                    str(review["title"]),
                    str(review["held_on"] or ""),
                    choice_label(str(review["kind"] or "")),
                    " · ".join(r for r in ratings if r),
                    str(review["next_review"] or ""),
                ]
            )
            _carry(item, ("review", review.id))
            view.addTopLevelItem(item)
            for action in row.actions:
                child = QTreeWidgetItem([self._action_text(section, action)])
                _carry(child, ("action", action.id))
                if action["done"]:
                    child.setForeground(0, theme.muted_text_color())
                item.addChild(child)
                child.setFirstColumnSpanned(True)  # an action is one line of words, across the row
            item.setExpanded(True)
        has = bool(section.reviews)
        view.setVisible(has)
        self.no_reviews.setVisible(not has)
        if chosen:
            self.review_actions.select(*chosen)

    def _action_text(self, section: ScorecardSection, action) -> str:
        parts = [("✓ " if action["done"] else "☐ ") + str(action["text"])]
        if action["owner_id"]:
            parts.append(section.name(action["owner_id"]))
        if action["contact_id"]:
            parts.append(self.tr("with {0}").format(section.name(action["contact_id"])))
        if action["due"]:
            parts.append(self.tr("due {0}").format(action["due"]))
        return " · ".join(p for p in parts if p)

    def _fill_ratings(self, section: ScorecardSection) -> None:
        """Factors down, periods across (oldest left): each cell one rating of 1–5."""
        table = self.ratings
        chosen = self.rating_actions.current()
        periods = sorted({_period(r) for r in section.ratings})
        factors = [f for f in SUCCESS_FACTORS if any(r["factor"] == f for r in section.ratings)]
        table.clear()
        table.setRowCount(len(factors))
        table.setColumnCount(len(periods))
        table.setHorizontalHeaderLabels([_period_words(p) for p in periods])
        table.setVerticalHeaderLabels([FACTOR_LABELS.get(f, choice_label(f)) for f in factors])
        for rating in section.ratings:
            row, col = factors.index(str(rating["factor"])), periods.index(_period(rating))
            item = QTableWidgetItem(str(rating["rating"]))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setData(RecordRole, ("success_factor_rating", rating.id))
            if rating["evidence"]:
                item.setToolTip(str(rating["evidence"]))
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                self.tr("{0}, {1}: {2} of 5").format(
                    FACTOR_LABELS.get(str(rating["factor"]), choice_label(str(rating["factor"]))),
                    _period_words(_period(rating)),
                    rating["rating"],
                ),
            )
            table.setItem(row, col, item)
        has = bool(section.ratings)
        table.setVisible(has)
        self.no_ratings.setVisible(not has)
        if chosen:
            self.rating_actions.select(*chosen)

    def _fill_responses(self, section: ScorecardSection) -> None:
        view = self.responses
        chosen = self.response_actions.current()
        view.clear()
        for response in section.responses:
            comment = " ".join(str(response["comment"] or "").split())
            item = QTreeWidgetItem(
                [
                    section.name(response["contact_id"]) or self.tr("(nobody named)"),
                    str(response["date"] or ""),
                    section.name(response["survey_id"]),
                    section.scores.get(response.id, ""),
                    choice_label(str(response["channel"] or "")),
                    comment,
                ]
            )
            item.setToolTip(5, comment)
            _carry(item, ("survey_response", response.id))
            view.addTopLevelItem(item)
        has = bool(section.responses)
        view.setVisible(has)
        self.no_responses.setVisible(not has)
        if chosen:
            self.response_actions.select(*chosen)

    def _enable_buttons(self) -> None:
        review = self.review_actions.current()
        self.edit_review_button.setEnabled(review is not None)
        self.delete_review_button.setEnabled(review is not None)
        self.add_action_button.setEnabled(review is not None)
        self.pack_button.setEnabled(bool(self.section and self.section.reviews))
        rating = self.rating_actions.current()
        self.edit_rating_button.setEnabled(rating is not None)
        self.delete_rating_button.setEnabled(rating is not None)
        response = self.response_actions.current()
        self.open_response_button.setEnabled(response is not None)
        self.delete_response_button.setEnabled(response is not None)

    # --- opening ----------------------------------------------------------------------------

    def open_record(self, kind: str, record_id: str) -> None:
        """Shows a review, rating, response or agreed action where this section lists it and opens its
        form, once the section is read (search and the window open records here)."""
        self._pending = (kind, record_id)
        if not self._read.busy and self.section is not None:
            self._open_pending()

    def _open_pending(self) -> None:
        target, self._pending = self._pending, None
        if target is None:
            return
        kind, record_id = target
        if kind == "survey_answer":
            # An answer is changed in its response's form, beside the other answers.
            self.edits.worker.submit(
                partial(_survey_form().response_of_answer, answer_id=record_id),
                lambda response_id: self.open_record("survey_response", response_id),
                self.edits.sig_failed.emit,
            )
            return
        for page, actions in enumerate((self.review_actions, self.rating_actions, self.response_actions)):
            if actions.select(kind, record_id):
                self.records.setCurrentIndex(page)
                actions.edit(kind, record_id)
                return
        if kind == "survey_response":
            self._edit_response(kind, record_id)
            return
        self._edit(kind, record_id)

    def _edit(self, kind: str, record_id: str) -> QWidget:
        from companion.ui.common.edit_dialog import EditRecordDialog

        dialog = EditRecordDialog(
            self.edits,
            kind,
            record_id,
            fields=EDIT_FIELDS.get(kind),
            ref_choices=self.ref_choices,
            parent=self,
        )
        dialog.open()
        return dialog

    def _edit_response(self, kind: str, record_id: str) -> None:
        """A survey response opens in the survey form with its answers (the Open button, Enter, a double
        click, a figure's source, the window)."""
        if kind != "survey_response":
            self._edit(kind, record_id)
            return
        _survey_form().open_survey_response(self, self.edits, response_id=record_id)

    def _edit_current(self, actions: RecordActions) -> None:
        target = actions.current()
        if target is not None:
            actions.edit(*target)

    # --- adding -----------------------------------------------------------------------------

    def _new(self, kind: str, *, fixed: dict, initial: dict, title: str) -> NewRecordDialog | None:
        if self.client_id is None or self.section is None:
            return None
        dialog = NewRecordDialog(
            self.edits,
            kind,
            fields=EDIT_FIELDS[kind],
            fixed=fixed,
            initial=initial,
            ref_choices=self.ref_choices,
            title=title,
            parent=self,
        )
        dialog.open()
        return dialog

    def _on_new_review_clicked(self) -> None:
        self.new_review()

    def new_review(self) -> NewRecordDialog | None:
        today = (self.today or dt.date.today()).isoformat()
        return self._new(
            "review",
            fixed={"client_id": self.client_id},
            initial={"kind": "quarterly", "held_on": today},
            title=self.tr("New review"),
        )

    def _on_add_action_clicked(self) -> None:
        target = self.review_actions.current()
        if target is None:
            return
        review_id = target[1]
        if target[0] == "action":  # an action's row: its review
            item = self.reviews.currentItem()
            review_id = item.parent().data(0, RecordRole)[1]
        self._new("action", fixed={"review_id": review_id}, initial={}, title=self.tr("New agreed action"))

    def _on_new_rating_clicked(self) -> None:
        self._new(
            "success_factor_rating",
            fixed={"client_id": self.client_id},
            initial={},
            title=self.tr("Rate a success factor"),
        )

    def _on_take_survey_clicked(self) -> None:
        self.take_survey_response()

    def take_survey_response(self) -> str | None:
        """The survey form (the Portfolio page's), on this client; the new response's id once saved."""
        if self.client_id is None:
            return None
        from companion.ui.portfolio.survey_form import take_survey_response

        return take_survey_response(self, self.edits, client_id=self.client_id)

    # --- the review pack ----------------------------------------------------------------------

    def _on_internal_pack_triggered(self) -> None:
        self.export_review_pack(for_client=False)

    def _on_client_pack_triggered(self) -> None:
        self.export_review_pack(for_client=True)

    def chosen_review(self) -> str | None:
        """The review chosen in the list (an agreed action's row: its review), else None."""
        item = self.reviews.currentItem()
        if item is None:
            return None
        if item.parent() is not None:
            item = item.parent()
        target = item.data(0, RecordRole)
        return str(target[1]) if target and target[0] == "review" else None

    def export_review_pack(self, *, for_client: bool) -> None:
        """Asks where, then writes the chosen review's pack (else the latest's) as a PDF: read on the
        database thread, drawn here (QPdfWriter and fonts belong to the GUI thread)."""
        section = self.section
        if section is None or not section.reviews:
            return
        from PySide6.QtWidgets import QFileDialog

        from companion.ui.preferences.folders import in_documents

        review_id = self.chosen_review() or section.reviews[0].review.id
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the client's review pack as PDF")
            if for_client
            else self.tr("Save the review pack for the meeting as PDF"),
            in_documents(self._pack_file_name(section, review_id, for_client)),
            self.tr("PDF, A4 (*.pdf);;PDF, Letter (*.pdf)"),
        )
        if not path:
            return
        page_size = "letter" if "Letter" in chosen else "a4"
        self.edits.worker.submit(
            partial(
                scorecard_operations.review_pack,
                client_id=section.client_id,
                review_id=review_id,
                for_client=for_client,
                today=self.today,
            ),
            partial(self._write_pack, path, page_size),
            lambda failure: self._pack_not_saved(path, failure.error),
        )

    def _pack_file_name(self, section: ScorecardSection, review_id: str, for_client: bool) -> str:
        title = next((str(r.review["title"]) for r in section.reviews if r.review.id == review_id), "")
        safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title).strip()[:80] or "review"
        return f"{safe} (for the client).pdf" if for_client else f"{safe}.pdf"

    def _write_pack(self, path: str, page_size: str, document) -> None:
        from companion.model.errors import CompanionError
        from companion.render.review import write_review_pdf

        try:
            write_review_pdf(document, Path(path), page_size=page_size)
        except (OSError, CompanionError) as exc:
            self._pack_not_saved(path, exc)
            return
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(self.tr("Saved: {0}").format(path), SAVED_MESSAGE_MS)

    def _pack_not_saved(self, path: str, error: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        from companion.model.errors import WriteFailed

        if isinstance(error, WriteFailed):  # it says the path, the reason and that the old file stays
            said = str(error)
        else:  # the review could not be read: nothing was written
            reason = " ".join(str(getattr(error, "strerror", None) or error).split())
            said = self.tr("Could not write {0}: {1}").format(path, reason)
        QMessageBox.warning(self, self.tr("Not saved"), said)


def _survey_form():
    """The survey form's module, loaded with the first response opened (the page is built before it)."""
    from companion.ui.portfolio import survey_form

    return survey_form


class SpannedRowsDelegate(WrappingDelegate):
    """Wraps a row spanned across the whole list (an agreed action) at the list's width, not its first
    column's: one line high unless its words need more."""

    def _text_width(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> int:
        view = self.view
        if isinstance(view, QTreeView) and view.isFirstColumnSpanned(index.row(), index.parent()):
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            indent = view.indentation() * (depth + (1 if view.rootIsDecorated() else 0))
            return max(80, view.viewport().width() - indent - 2 * PADDING)
        return super()._text_width(option, index)


def _keep_on_first_column(view: QAbstractItemView, current: QModelIndex, _previous: QModelIndex) -> None:
    """A row is one record: the cursor stays on its first column, whose text names it (Delete asks about
    the review "Q3 review", not about "Quarterly")."""
    if current.isValid() and current.column() != 0:
        view.selectionModel().setCurrentIndex(
            current.siblingAtColumn(0), QItemSelectionModel.SelectionFlag.NoUpdate
        )


def _carry(item: QTreeWidgetItem, target: tuple[str, str]) -> None:
    """The record on every column: the row is the record wherever it is clicked."""
    for number in range(item.columnCount()):
        item.setData(number, RecordRole, target)


def _period(rating) -> tuple[str, str]:
    return (str(rating["period_from"] or ""), str(rating["period_to"] or ""))


def _period_words(period: tuple[str, str]) -> str:
    start, end = period
    return f"{start} – {end}" if end else start
