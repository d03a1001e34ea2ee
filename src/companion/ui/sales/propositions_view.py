"""The Sales page's Propositions: the library with its readiness, each one's text and the market's feedback."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QPushButton, QTextBrowser, QTreeWidgetItem, QWidget

from companion.core.markdown import escape, flat
from companion.model.kinds import DEPARTMENTS
from companion.model.labels import choice_label
from companion.render.links import set_safe_markdown
from companion.ui.common.edits import EditController
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.theme import muted_text_color
from companion.ui.common.widgets import empty_state, tree
from companion.ui.sales import operations
from companion.ui.sales.pictures import STRIP_SIZE, readiness_strip, readiness_words
from companion.ui.sales.tab import SalesTab

PROPOSITION_FIELDS = (
    "title", "status", "owner_id", "sponsor_id", "approved_on", "pain", "outcomes", "proof", "fit_industries",
    "fit_tags", "fit_functions", "fit_roles", "objections",
    *(name for key, _label in DEPARTMENTS for name in (f"ready_{key}", f"ready_{key}_note")),
)  # fmt: skip


class PropositionsTab(SalesTab):
    """The proposition library: New, Edit and Retire, each undoable; the selected one's text and feedback."""

    sig_new_requested = Signal()
    sig_edit_requested = Signal(str)
    """The person wants to edit a proposition (its id)."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(edits, parent)
        self.library: operations.Library | None = None
        self.detail: operations.PropositionDetail | None = None
        self._detail_asked = 0
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.new_button = QPushButton(self.tr("New proposition…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.retire_button = QPushButton(self.tr("Retire"))
        self.retire_button.setToolTip(self.tr("No new campaigns of it (Ctrl+Z brings it back)"))
        self.list = tree(
            self.tr("Propositions"),
            [self.tr("Proposition"), self.tr("Status"), self.tr("Readiness")],
            (230, 80),
        )
        self.list.setIconSize(STRIP_SIZE)
        self.empty = empty_state(
            self.tr(
                "No propositions yet.\nWrite down what you sell: the pain it solves, the outcomes, the proof, "
                "and whom it fits. New proposition… starts one."
            )
        )
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setAccessibleName(self.tr("The proposition, its feedback and campaigns"))
        splitter = self.lay_out_beside(
            [self.new_button, self.edit_button, self.retire_button], self.text, [420, 620]
        )
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self.sig_new_requested)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.retire_button.clicked.connect(self._on_retire_clicked)
        self.list.currentItemChanged.connect(lambda _now, _before: self._on_selection_changed())
        self.list.itemActivated.connect(lambda _item, _column: self._on_edit_clicked())

    # --- reading ------------------------------------------------------------------------------

    def load_job(self):
        return operations.load_propositions

    def show_data(self, library: operations.Library) -> None:
        self.library = library
        self.fill_list(library.propositions, partial(self._item, muted_text_color()), self.text)

    def _item(self, muted, record) -> QTreeWidgetItem:
        levels = [record[f"ready_{key}"] for key, _label in DEPARTMENTS]
        item = QTreeWidgetItem([str(record["title"]), self.tr(choice_label(str(record["status"]))), ""])
        item.setData(0, RecordRole, ("proposition", record.id))
        item.setToolTip(0, str(record["title"]))
        item.setIcon(2, QIcon(readiness_strip(levels, dpr=self.devicePixelRatioF())))
        item.setToolTip(2, readiness_words(record.values))
        if record["status"] == "retired":
            for number in range(2):
                item.setForeground(number, muted)
        return item

    def current_record(self):
        return self.current_row()

    def _on_selection_changed(self) -> None:
        record = self.current_record()
        self.edit_button.setEnabled(record is not None)
        self.retire_button.setEnabled(record is not None and record["status"] != "retired")
        if record is None:
            self.detail = None
            self.text.clear()
            return
        self._show_text(record, None)
        self._detail_asked += 1
        asked = self._detail_asked
        self.edits.worker.submit(
            partial(operations.proposition_detail, proposition_id=record.id),
            lambda detail: self._on_detail_loaded(asked, detail),
        )

    def _on_detail_loaded(self, asked: int, detail: operations.PropositionDetail) -> None:
        record = self.current_record()
        if asked != self._detail_asked or record is None or record.id != detail.proposition_id:
            return
        self.detail = detail
        self._show_text(record, detail)

    # --- the text -----------------------------------------------------------------------------

    def _show_text(self, record, detail: operations.PropositionDetail | None) -> None:
        names = dict(self.library.colleagues) if self.library else {}
        scroll = self.text.verticalScrollBar().value()
        set_safe_markdown(self.text.document(), self.markdown(record, names, detail))
        self.text.verticalScrollBar().setValue(scroll)

    def markdown(self, record, names: dict[str, str], detail: operations.PropositionDetail | None) -> str:
        """The proposition as its owner reads it: status, sponsor, readiness, its text, then the feedback."""
        tr = self.tr
        lines = [f"## {escape(str(record['title']))}", ""]
        facts = [tr(choice_label(str(record["status"])))]
        if record["sponsor_id"]:
            facts.append(tr("sponsored by {0}").format(escape(names.get(str(record["sponsor_id"]), "?"))))
        if record["approved_on"]:
            facts.append(tr("approved {0}").format(record["approved_on"]))
        if record["owner_id"]:
            facts.append(tr("owned by {0}").format(escape(names.get(str(record["owner_id"]), "?"))))
        lines += [" · ".join(facts), "", f"**{tr('Readiness')}**", ""]
        for key, label in DEPARTMENTS:
            level, note = record[f"ready_{key}"], record[f"ready_{key}_note"]
            said = tr(choice_label(str(level))).lower() if level else tr("not said")
            lines.append(f"- {tr(label)}: **{said}**" + (f" — {escape(str(note))}" if note else ""))
        lines += ["", f"### {tr('The market’s answer')}", ""]
        lines += [tr("Reading…")] if detail is None else self._feedback_lines(detail)
        lines.append("")
        for name, heading in (
            ("pain", tr("The pain it solves")),
            ("outcomes", tr("Measurable outcomes")),
            ("proof", tr("Proof")),
            ("objections", tr("Objections and answers")),
        ):
            if record[name]:
                lines += [f"### {heading}", "", str(record[name]), ""]
        fits = [
            (tr("Industries"), record["fit_industries"]),
            (tr("Clients tagged"), record["fit_tags"]),
            (tr("Sub-groups of function"), record["fit_functions"]),
            (tr("Buying roles"), [choice_label(r) for r in record["fit_roles"] or ()]),
        ]
        if any(values for _label, values in fits):
            lines += [f"### {tr('Whom it fits')}", ""]
            lines += [f"- {label}: {escape(', '.join(values))}" for label, values in fits if values]
            lines.append("")
        return "\n".join(lines)

    def _feedback_lines(self, detail: operations.PropositionDetail) -> list[str]:
        tr = self.tr
        feedback = detail.feedback
        lines = []
        if not feedback.targets:
            lines.append(tr("Nobody approached yet: run a campaign of it to hear what the market says."))
        else:
            lines.append(
                tr("{0} targets: {1} declined, {2} not relevant.").format(
                    feedback.targets, feedback.declined, feedback.not_relevant
                )
            )
        if feedback.by_reason:
            lines += ["", f"**{tr('Why they said no')}**", ""]
            lines += [f"- {n} × {escape(flat(reason))}" for reason, n in feedback.by_reason]
        if feedback.by_cohort:
            lines += ["", f"**{tr('By cohort')}**", ""]
            lines += [
                "- " + tr("{0}: {1} of {2} declined").format(escape(name), declines, targets)
                for name, declines, targets in feedback.by_cohort
            ]
        if feedback.by_month:
            lines += ["", f"**{tr('By month')}**", ""]
            lines += [f"- {month}: {n}" for month, n in feedback.by_month]
        lines += ["", f"### {tr('Campaigns')}", ""]
        if detail.campaigns:
            lines += [
                f"- {escape(name)} ({tr(choice_label(status)).lower()})"
                for _i, name, status in detail.campaigns
            ]
        else:
            lines.append(tr("None yet: the Campaigns tab starts one."))
        return lines

    # --- the person's choices -----------------------------------------------------------------

    def _on_edit_clicked(self) -> None:
        chosen = self.current_id()
        if chosen:
            self.sig_edit_requested.emit(chosen)

    def _on_retire_clicked(self) -> None:
        chosen = self.current_id()
        if chosen:
            self.edits.run(partial(operations.retire_proposition, proposition_id=chosen))
