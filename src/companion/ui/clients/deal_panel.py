"""One deal beside the pipeline: its fields, its MEDDPICC qualification and gaps, its people, actions, risks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.account_plan import amount, is_open_risk, risk_score
from companion.core.changes import ChangeSet
from companion.model.errors import ValidationError
from companion.model.kinds import BUYING_ROLES, OPEN_STAGES, STANCES, Field, get_kind
from companion.model.labels import choice_label
from companion.model.values import format_value
from companion.ui.clients.deal_operations import DealDetail, DealsSection
from companion.ui.clients.deal_qualification import MeddpiccGrid
from companion.ui.clients.plan_charts import risk_level
from companion.ui.common.edits import EditController
from companion.ui.common.elided_label import ElidedLabel
from companion.ui.common.record_actions import RecordActions, RecordRole, ask_then_delete
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.common.record_form import RecordForm
from companion.ui.common.theme import level_color, muted_text_color, stance_color
from companion.ui.common.widgets import button_bar, empty_state, error_label, scrolled, tree
from companion.ui.common.worker import Failure

# The deal's own fields, in the order a person fills them in; why it was won or lost sits by the stage.
DEAL_FIELDS = (
    "title", "stage", "outcome_reason", "value", "currency", "expected_close", "next_step", "next_step_due",
    "sub_group_id", "proposition_id", "campaign_id", "owner_id", "competitor_ids", "compelling_event",
)  # fmt: skip
# What a new record of each kind asks for when it is added to a deal.
DEAL_PART_FIELDS = {
    "opportunity_contact": ("contact_id", "role", "support", "note"),
    "action": ("text", "owner_id", "contact_id", "due", "done"),
    "risk": (
        "title", "category", "status", "likelihood", "impact", "owner_id", "contact_ids", "competitor_id",
        "next_review", "trigger", "mitigation", "contingency",
    ),
}  # fmt: skip
# The form each kind opens with from this panel (a risk's or an action's deal is the one shown).
EDIT_FIELDS = {"opportunity": DEAL_FIELDS, **DEAL_PART_FIELDS}
TIPS = {
    "Deal": "The deal's stage, value and next step; changes are saved as you go",
    "Qualification": "MEDDPICC: what we know of each criterion, and the gaps the people data shows",
    "People": "Who is involved in this deal, their role in it and their support",
    "Actions and risks": "The steps that move this deal, and what may stop it",
}
RefChoices = Callable[[Field], Sequence[tuple[str, str]]]


def _tree(name: str, headers: list[str], *, stretch: int = 0) -> QTreeWidget:
    view = tree(name, headers)
    # The record's own words take the room left; the short columns fit what they hold.
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def _empty_row(text: str) -> QTreeWidgetItem:
    """A row that says a list is empty and what belongs in it."""
    item = QTreeWidgetItem([text])
    item.setForeground(0, muted_text_color())
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    item.setFirstColumnSpanned(True)
    return item


class DealPanel(QWidget):
    """Shows the deal chosen in the pipeline; every change is saved at once as one undoable step."""

    def __init__(self, edits: EditController, ref_choices: RefChoices, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.ref_choices = ref_choices
        self.section: DealsSection | None = None
        self.detail: DealDetail | None = None
        self.today = dt.date.today()
        # Values a save was refused for because another field must come with them (a lost deal's
        # reason): kept on screen and sent again with the next change to this deal.
        self._held: dict = {}
        self._held_error: str | None = None
        self._part_view: QTreeWidget | None = None  # the list of actions or of risks last chosen in
        self._build_ui()
        self._connect_signals()

    # --- building ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        self.nothing = empty_state(
            self.tr("Choose a deal to see its qualification, the people in it and what happens next."),
            shown=True,
        )
        self.stack.addWidget(self.nothing)
        self.stack.addWidget(self._deal_page())
        layout.addWidget(self.stack)

    def _deal_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.title = ElidedLabel()
        self.title.setProperty("role", "subheading")
        self.delete_button = QPushButton(self.tr("Delete deal…"))
        self.delete_button.setToolTip(
            self.tr("Delete this deal with its people and actions (Ctrl+Z brings it back)")
        )
        head.addWidget(self.title, 1)
        head.addWidget(self.delete_button)
        column.addLayout(head)
        self.facts = ElidedLabel()
        self.facts.setProperty("role", "muted")
        column.addWidget(self.facts)
        self.problem = error_label()
        column.addWidget(self.problem)
        self.inner = QTabWidget()
        self.inner.setAccessibleName(self.tr("Parts of the deal"))
        self.form = RecordForm("opportunity", DEAL_FIELDS, ref_choices=self.ref_choices)
        for widget, label in (
            (scrolled(self.form), "Deal"),
            (self._qualification_page(), "Qualification"),
            (self._people_page(), "People"),
            (self._follow_through_page(), "Actions and risks"),
        ):
            index = self.inner.addTab(widget, self.tr(label))
            self.inner.setTabToolTip(index, self.tr(TIPS[label]))
        column.addWidget(self.inner, 1)
        return page

    def _qualification_page(self) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(4, 6, 4, 4)
        self.meddpicc = MeddpiccGrid()
        column.addWidget(self.meddpicc)
        heading = QLabel(self.tr("Gaps"))
        heading.setProperty("role", "subheading")
        column.addWidget(heading)
        self.gaps = QLabel()
        self.gaps.setWordWrap(True)
        self.gaps.setAccessibleName(self.tr("Qualification gaps"))
        self.gaps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.gaps)
        column.addStretch(1)
        return scrolled(holder)

    def _people_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 6, 4, 4)
        self.add_person_button = QPushButton(self.tr("Add person…"))
        self.remove_person_button = QPushButton(self.tr("Remove"))
        self.remove_person_button.setToolTip(self.tr("Take the selected person out of this deal"))
        column.addLayout(button_bar(self.add_person_button, self.remove_person_button))
        self.people = _tree(
            self.tr("People in the deal"),
            [self.tr("Person"), self.tr("Role in this deal"), self.tr("Support"), self.tr("Note")],
            stretch=3,
        )
        column.addWidget(self.people, 1)
        self.no_people = empty_state(
            self.tr(
                "Nobody in this deal yet.\nAdd who decides, who signs, who helps us and who stands in the way."
            ),
            shown=True,
        )
        column.addWidget(self.no_people)
        return page

    def _follow_through_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 6, 4, 4)
        self.add_action_button = QPushButton(self.tr("Add action…"))
        self.add_risk_button = QPushButton(self.tr("Add risk…"))
        self.delete_part_button = QPushButton(self.tr("Delete"))
        self.delete_part_button.setToolTip(
            self.tr("Delete the selected action or risk (Ctrl+Z brings it back)")
        )
        self.delete_part_button.setEnabled(False)
        column.addLayout(button_bar(self.add_action_button, self.add_risk_button, self.delete_part_button))
        self.actions_heading = QLabel(self.tr("Actions"))
        self.actions_heading.setProperty("role", "subheading")
        column.addWidget(self.actions_heading)
        self.action_list = _tree(
            self.tr("Actions of the deal"), [self.tr("Action"), self.tr("Due"), self.tr("Owner")]
        )
        column.addWidget(self.action_list, 3)
        self.risks_heading = QLabel(self.tr("Risks"))
        self.risks_heading.setProperty("role", "subheading")
        column.addWidget(self.risks_heading)
        self.risks = _tree(
            self.tr("Risks of the deal"), [self.tr("Risk"), self.tr("Score"), self.tr("Status")]
        )
        column.addWidget(self.risks, 2)
        return page

    def _connect_signals(self) -> None:
        self.form.sig_save_requested.connect(self._on_form_save_requested)
        self.meddpicc.sig_value_edited.connect(self._on_meddpicc_value_edited)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.add_person_button.clicked.connect(self._on_add_person_clicked)
        self.add_action_button.clicked.connect(self._on_add_action_clicked)
        self.add_risk_button.clicked.connect(self._on_add_risk_clicked)
        self.action_list.itemChanged.connect(self._on_action_list_item_changed)
        self.record_actions = {
            name: RecordActions(view, self.edits, ref_choices=self.ref_choices, fields=EDIT_FIELDS)
            for name, view in (("people", self.people), ("actions", self.action_list), ("risks", self.risks))
        }
        self.remove_person_button.clicked.connect(self.record_actions["people"].delete_current)
        self.delete_part_button.clicked.connect(self._on_delete_part_clicked)
        self.people.currentItemChanged.connect(
            lambda item, _previous: self.remove_person_button.setEnabled(item is not None)
        )
        for view in (self.action_list, self.risks):
            view.currentItemChanged.connect(self._on_part_current_changed)

    # --- showing ----------------------------------------------------------------------------

    def show_deal(self, section: DealsSection | None, deal_id: str | None) -> None:
        """Shows one deal of the section, or nothing (no deal chosen, or it is gone)."""
        detail = section.deals.get(deal_id or "") if section is not None else None
        same_deal = (
            detail is not None
            and self.detail is not None
            and detail.opportunity.id == self.detail.opportunity.id
        )
        typing = self._typing() if same_deal else None
        if not same_deal:
            self._drop_held()
            self.problem.hide()
        self.section, self.detail = section, detail
        self.stack.setCurrentIndex(0 if detail is None else 1)
        if detail is None:
            self.form.load(None)
            return
        deal = detail.opportunity
        self.title.setText(str(deal["title"]))
        self.facts.setText(self._facts(deal))
        self.form.load(deal)
        for name, value in self._held.items():  # still refused: what was chosen stays on screen
            self.form.editors[name].set_value(value)
        if typing is not None:
            # Another field's save read the deal again while the person types here: the typing stays.
            name, text = typing
            widget = self.form.editors[name].widget
            widget.setText(text) if isinstance(widget, QLineEdit) else widget.setPlainText(text)
        self.meddpicc.show_rows(detail.qualification, self._people_choices(), section.names)
        self._fill_gaps()
        self._fill_people()
        self._fill_actions()
        self._fill_risks()

    def _typing(self) -> tuple[str, str] | None:
        """The field the cursor is in and what is typed there, when it differs from the deal as last read
        (typed, not saved yet)."""
        focused = QApplication.focusWidget()
        for name, editor in self.form.editors.items():
            widget = editor.widget
            if widget is not focused or not isinstance(widget, QLineEdit | QPlainTextEdit):
                continue
            text = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
            field = self.form.kind.field(name)
            if text != format_value(field, self.detail.opportunity[name]):
                return name, text
        return None

    def _facts(self, deal) -> str:
        parts = [choice_label(str(deal["stage"]))]
        if deal["value"] is not None:
            parts.append(amount(deal["value"], currency=deal["currency"]))
        if deal["expected_close"]:
            parts.append(self.tr("closes {0}").format(deal["expected_close"]))
        if deal["owner_id"]:
            parts.append(self.tr("owner {0}").format(self.section.name(deal["owner_id"])))
        row = self._row()
        if row is not None:
            parts.append(self.tr("{0}/8 confirmed").format(row.confirmed))
        return " · ".join(p for p in parts if p)

    def _row(self):
        """The pipeline's row of the deal shown (its gaps, its count of confirmed criteria)."""
        if self.section is None or self.detail is None:
            return None
        return next((r for r in self.section.pipeline.rows if r.id == self.detail.opportunity.id), None)

    def _people_choices(self) -> list[tuple[str, str]]:
        return list(self.ref_choices(get_kind("opportunity").field("economic_buyer_id")))

    def _fill_gaps(self) -> None:
        row = self._row()
        gaps = row.gaps if row is not None else ()
        if gaps:
            self.gaps.setText("\n".join(f"⚠ {gap.text}" for gap in gaps))
            self.gaps.setStyleSheet(f"color: {level_color('watch').name()}")
        else:
            closed = self.detail is not None and self.detail.opportunity["stage"] not in OPEN_STAGES
            self.gaps.setText(
                self.tr("The deal is closed.")
                if closed
                else self.tr("No gaps the people data shows. Keep the criteria above up to date.")
            )
            self.gaps.setStyleSheet(f"color: {muted_text_color().name()}")
        self.inner.setTabText(
            1, self.tr("Qualification ⚠{0}").format(len(gaps)) if gaps else self.tr("Qualification")
        )

    def _fill_people(self) -> None:
        tree, section, detail = self.people, self.section, self.detail
        current = tree.currentItem().data(0, RecordRole) if tree.currentItem() else None
        tree.clear()
        kind = get_kind("opportunity_contact")
        for person in sorted(detail.people, key=lambda p: section.name(p["contact_id"]).lower()):
            item = QTreeWidgetItem(
                [
                    section.name(person["contact_id"]) or self.tr("(someone)"),
                    "",
                    "",
                    str(person["note"] or ""),
                ]
            )
            item.setData(0, RecordRole, ("opportunity_contact", person.id))
            if person["support"]:
                item.setForeground(0, stance_color(str(person["support"])))
            tree.addTopLevelItem(item)
            for column, name, choices in ((1, "role", BUYING_ROLES), (2, "support", STANCES)):
                combo = QComboBox()
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
                combo.setAccessibleName(self.tr(kind.field(name).label))
                combo.addItem("—", None)
                for choice in choices:
                    combo.addItem(choice_label(choice), choice)
                combo.setCurrentIndex(max(0, combo.findData(person[name])))
                combo.activated.connect(
                    lambda _index, c=combo, record_id=person.id, field=name: self.edits.update(
                        "opportunity_contact", record_id, {field: c.currentData()}
                    )
                )
                tree.setItemWidget(item, column, combo)
            if current is not None and tuple(current) == ("opportunity_contact", person.id):
                tree.setCurrentItem(item)
        header = tree.header()
        for column in (1, 2):  # wide enough for the longest choice in the lists
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            widths = [
                tree.itemWidget(tree.topLevelItem(n), column).sizeHint().width()
                for n in range(tree.topLevelItemCount())
            ]
            tree.setColumnWidth(column, max(widths, default=80) + 8)
        tree.setVisible(bool(detail.people))
        self.no_people.setVisible(not detail.people)
        self.remove_person_button.setEnabled(tree.currentItem() is not None)
        self.inner.setTabText(
            2, self.tr("People ({0})").format(len(detail.people)) if detail.people else self.tr("People")
        )

    def _fill_actions(self) -> None:
        tree, section = self.action_list, self.section
        tree.blockSignals(True)
        tree.clear()
        today = self.today.isoformat()
        for action in self.detail.actions:
            due = str(action["due"] or "")
            overdue = bool(due) and not action["done"] and due < today
            item = QTreeWidgetItem(
                [str(action["text"]), due + (" ⚠" if overdue else ""), section.name(action["owner_id"])]
            )
            item.setData(0, RecordRole, ("action", action.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if action["done"] else Qt.CheckState.Unchecked)
            if overdue:
                item.setForeground(1, level_color("bad"))
            if action["done"]:
                item.setForeground(0, muted_text_color())
            tree.addTopLevelItem(item)
        tree.blockSignals(False)
        if not self.detail.actions:
            tree.addTopLevelItem(
                _empty_row(self.tr("No actions yet: what is the next step, and who takes it?"))
            )

    def _fill_risks(self) -> None:
        tree = self.risks
        tree.clear()
        for risk in self.detail.risks:
            score = risk_score(risk)
            item = QTreeWidgetItem(
                [str(risk["title"]), str(score) if score else "—", choice_label(str(risk["status"] or ""))]
            )
            item.setData(0, RecordRole, ("risk", risk.id))
            if score:
                item.setForeground(1, level_color(risk_level(score)))
            if not is_open_risk(risk):
                item.setForeground(0, muted_text_color())
            tree.addTopLevelItem(item)
        if not self.detail.risks:
            tree.addTopLevelItem(_empty_row(self.tr("No risks noted for this deal.")))
        self.delete_part_button.setEnabled(self._current_part() is not None)

    # --- saving -----------------------------------------------------------------------------

    def _drop_held(self) -> None:
        if self._held_error:
            self.form.clear_error(self._held_error)
        self._held, self._held_error = {}, None

    def _on_form_save_requested(self, kind: str, record_id: str, values: dict) -> None:
        sent = {**self._held, **values}

        def saved(_changes: ChangeSet) -> None:
            if self.detail is None or self.detail.opportunity.id != record_id:
                return
            for name in sent:
                self.form.clear_error(name)
            self._drop_held()
            self.problem.hide()

        def refused(failure: Failure) -> None:
            error = failure.error
            if not isinstance(error, ValidationError) or error.field not in self.form.editors:
                self.edits.sig_failed.emit(failure)
                return
            if self.detail is None or self.detail.opportunity.id != record_id:
                return
            self.form.show_save_error(error)
            label = self.tr(get_kind(kind).field(error.field).label)
            self.problem.setText(f"{label} {str(error).split(': ', 1)[-1]}.")
            self.problem.show()
            if error.field not in sent:
                # Refused for want of another field (a lost deal's reason): what was chosen stays on
                # screen and goes again with that field; the cursor waits in it.
                self._held, self._held_error = sent, error.field
                self.inner.setCurrentIndex(0)
                self.form.editors[error.field].widget.setFocus()

        self.edits.update(kind, record_id, sent, on_done=saved, on_error=refused)

    def _on_meddpicc_value_edited(self, values: dict) -> None:
        if self.detail is not None:
            self.edits.update("opportunity", self.detail.opportunity.id, values)

    # --- adding and deleting ----------------------------------------------------------------

    def _new(
        self, kind: str, *, fixed: dict, initial: dict | None = None, ref_choices=None
    ) -> NewRecordDialog:
        dialog = NewRecordDialog(
            self.edits,
            kind,
            fields=DEAL_PART_FIELDS[kind],
            fixed=fixed,
            initial=initial,
            ref_choices=ref_choices or self.ref_choices,
            parent=self,
        )
        dialog.open()
        return dialog

    def _on_add_person_clicked(self) -> NewRecordDialog | None:
        if self.detail is None:
            return None
        taken = {str(p["contact_id"]) for p in self.detail.people}

        def choices(field: Field) -> list[tuple[str, str]]:
            offered = list(self.ref_choices(field))
            return (
                [(i, name) for i, name in offered if i not in taken]
                if field.name == "contact_id"
                else offered
            )

        return self._new(
            "opportunity_contact", fixed={"opportunity_id": self.detail.opportunity.id}, ref_choices=choices
        )

    def _on_add_action_clicked(self) -> NewRecordDialog | None:
        if self.detail is None:
            return None
        due = (self.today + dt.timedelta(days=7)).isoformat()
        return self._new(
            "action",
            fixed={"opportunity_id": self.detail.opportunity.id},
            initial={
                "text": self.detail.opportunity["next_step"],
                "due": self.detail.opportunity["next_step_due"] or due,
            }
            if not self.detail.actions
            else {"due": due},
        )

    def _on_add_risk_clicked(self) -> NewRecordDialog | None:
        if self.detail is None:
            return None
        deal = self.detail.opportunity
        return self._new(
            "risk",
            fixed={"client_id": deal["client_id"], "opportunity_id": deal.id},
            initial={"status": "open", "next_review": (self.today + dt.timedelta(days=30)).isoformat()},
        )

    def _on_delete_clicked(self) -> None:
        if self.detail is not None:
            deal = self.detail.opportunity
            ask_then_delete(self, self.edits, "opportunity", deal.id, title=deal["title"])

    def _current_part(self) -> tuple[str, str] | None:
        """The action or risk last chosen in either list."""
        item = self._part_view.currentItem() if self._part_view is not None else None
        data = item.data(0, RecordRole) if item is not None else None
        return tuple(data) if data else None

    def _on_part_current_changed(self, item, _previous) -> None:
        if item is not None:
            self._part_view = self.sender()
        self.delete_part_button.setEnabled(self._current_part() is not None)

    def _on_delete_part_clicked(self) -> None:
        found = self._current_part()
        if found is not None:
            ask_then_delete(self, self.edits, *found, title=self._part_view.currentItem().text(0))

    def _on_action_list_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        data = item.data(0, RecordRole)
        if data and column == 0:
            self.edits.update("action", data[1], {"done": item.checkState(0) == Qt.CheckState.Checked})

    # --- finding ----------------------------------------------------------------------------

    def select_part(self, kind: str, record_id: str) -> bool:
        """Shows a person, action or risk of the deal on its tab and puts the cursor on it."""
        for name, tab in (("people", 2), ("actions", 3), ("risks", 3)):
            if self.record_actions[name].select(kind, record_id):
                self.inner.setCurrentIndex(tab)
                return True
        return False
