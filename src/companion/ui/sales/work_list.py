"""A campaign's work list beside the page: its targets, the next one to approach, and what to do with one."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from companion.core.markdown import flat
from companion.model.labels import choice_label
from companion.ui.common.table_model import ColumnTableModel
from companion.ui.common.theme import accent_color, error_color
from companion.ui.common.widgets import empty_state
from companion.ui.sales.pictures import progress_words, status_color

if TYPE_CHECKING:
    from companion.core.campaigns import TargetRow
    from companion.ui.sales.operations import WorkList

# Statuses after which a target is done with: no approach to log, no deal to open.
CLOSED_STATUSES = frozenset({"opportunity", "declined", "not_relevant"})


def _short_date(iso: str | None, today: str) -> str:
    """ "8 Dec" this year, "8 Dec 2027" otherwise: the narrow column keeps the date in sight."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%b}" if iso[:4] == today[:4] else f"{day.day} {day:%b %Y}"


class TargetTableModel(ColumnTableModel):
    """The targets as plain rows (5,000 in one reset): the next one to approach in bold on a tint."""

    # What decides the next call first (in sight in the narrow column), then the rest beside it.
    COLUMNS = ("Person", "Client", "Status", "By", "Next step", "Role", "Through")
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[TargetRow] = []
        self.next_id: str | None = None
        self.today = dt.date.today().isoformat()
        self._bold = QFont()
        self._bold.setBold(True)
        self._tint = QColor(accent_color())
        self._tint.setAlpha(48)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def set_rows(self, rows: list[TargetRow], next_id: str | None) -> None:
        self.beginResetModel()
        self.rows, self.next_id = rows, next_id
        self.today = dt.date.today().isoformat()
        self._tint = QColor(accent_color())  # the scheme may have changed since
        self._tint.setAlpha(48)
        self.endResetModel()

    def row_of(self, target_id: str | None) -> int:
        return next((n for n, r in enumerate(self.rows) if r.id == target_id), -1)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == self.IdRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.next_step_due if column == 3 and row.next_step_due else self._tooltip(row)
        if role == Qt.ItemDataRole.FontRole and row.id == self.next_id:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and row.id == self.next_id:
            return self._tint
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 2:
                return status_color(row.status)
            if column == 3 and row.next_step_due and row.next_step_due < self.today:
                return error_color()
        return None

    def _text(self, row: TargetRow, column: int) -> str:
        if column == 0:
            return row.contact_name or self.tr("(someone to find)")
        if column == 1:
            return row.client_name
        if column == 2:
            return self.tr(choice_label(row.status))
        if column == 3:
            return _short_date(row.next_step_due, self.today)
        if column == 4:
            return row.next_step or ""
        if column == 5:
            return choice_label(row.buying_role) if row.buying_role else ""
        return row.route_via_name or ""

    def _tooltip(self, row: TargetRow) -> str:
        who = row.contact_name or self.tr("Someone to find")
        lines = [f"{who}, {row.title} — {row.client_name}" if row.title else f"{who} — {row.client_name}"]
        if row.route_via_name:
            lines.append(self.tr("Through {0}").format(row.route_via_name))
        if row.approach:
            lines.append(row.approach)
        if row.reason:
            lines.append(self.tr("Reason: {0}").format(row.reason))
        return "\n".join(lines)


class WorkListPanel(QWidget):
    """The campaign picker, its targets, the chosen target's approach, and the buttons that move it on."""

    sig_campaign_chosen = Signal(str)
    """The person picked a campaign (its id)."""
    sig_target_chosen = Signal(object)
    """The person selected a target (a TargetRow): its client's page opens on the person."""
    sig_log_requested = Signal(object)
    sig_status_requested = Signal(object)
    sig_opportunity_requested = Signal(object)
    sig_rows_shown = Signal(str)
    """A campaign's targets are in the table (its id): what the benchmark waits for."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = TargetTableModel(self)
        self.campaign_id: str | None = None
        self._restoring = False  # a reload puts the selection back: that is not the person choosing
        self._build_ui()
        self._connect_signals()
        self._show_target(None)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        self.campaign = QComboBox()
        self.campaign.setAccessibleName(self.tr("Campaign"))
        self.campaign.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.campaign.setMinimumContentsLength(12)
        layout.addWidget(self.campaign)
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Campaign targets"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        # Fixed widths, not fitted to content: fitting reads every one of thousands of rows.
        for column, width in enumerate((110, 92, 96, 60, 160, 110, 120)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        # Hidden until the campaigns are read: then it says what to do, if there is nothing.
        self.empty = empty_state()
        layout.addWidget(self.empty, 1)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName(self.tr("How to approach the chosen target"))
        layout.addWidget(self.detail)
        buttons = QGridLayout()
        buttons.setSpacing(4)
        self.log_button = QPushButton(self.tr("Log approach…"))
        self.status_button = QPushButton(self.tr("Set status…"))
        self.opportunity_button = QPushButton(self.tr("Open opportunity"))
        self.next_button = QPushButton(self.tr("Next target"))
        self.log_button.setToolTip(self.tr("Log how you approached them, and where it leaves them"))
        self.opportunity_button.setToolTip(self.tr("Open a deal at their client from this campaign"))
        self.next_button.setToolTip(self.tr("Select the next target to approach"))
        for number, button in enumerate(
            (self.log_button, self.status_button, self.opportunity_button, self.next_button)
        ):
            buttons.addWidget(button, number // 2, number % 2)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.campaign.activated.connect(self._on_campaign_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.log_button.clicked.connect(lambda: self._ask(self.sig_log_requested))
        self.status_button.clicked.connect(lambda: self._ask(self.sig_status_requested))
        self.opportunity_button.clicked.connect(lambda: self._ask(self.sig_opportunity_requested))
        self.next_button.clicked.connect(self.select_next)

    # --- what it shows ------------------------------------------------------------------------

    def set_campaigns(self, choices: list[tuple[str, str, str]], current: str | None) -> None:
        """The campaigns to pick from, (id, name, status); `current` chosen if it is among them."""
        self.campaign.blockSignals(True)
        self.campaign.clear()
        for campaign_id, name, status in choices:
            label = name if status == "running" else f"{name} ({self.tr(choice_label(status)).lower()})"
            self.campaign.addItem(label, campaign_id)
            self.campaign.setItemData(self.campaign.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
        index = self.campaign.findData(current) if current else -1
        self.campaign.setCurrentIndex(index if index >= 0 else (0 if choices else -1))
        self.campaign.blockSignals(False)
        self.campaign.setVisible(bool(choices))
        if not choices:
            self.campaign_id = None
            self.model.set_rows([], None)
            self._show_empty(
                self.tr(
                    "No campaigns yet.\nOn the Sales page (Ctrl+Shift+S), add a proposition and a cohort, "
                    "then New campaign… draws whom to approach."
                )
            )

    def chosen_campaign(self) -> str | None:
        return self.campaign.currentData()

    def set_work_list(self, work_list: WorkList) -> None:
        """The targets of the campaign picked; the selection stays on the same target when it is there."""
        keep = self.current_target()
        self.campaign_id = work_list.campaign_id
        self._restoring = True
        try:
            self.model.set_rows(work_list.rows, work_list.next_id)
            row = self.model.row_of(keep.id if keep else None)
            if row >= 0:
                self.table.selectRow(row)
        finally:
            self._restoring = False
        counts: dict[str, int] = {}
        for target in work_list.rows:
            counts[target.status] = counts.get(target.status, 0) + 1
        self.summary.setText(progress_words(counts))
        if work_list.rows:
            self.table.show()
            self.empty.hide()
        else:
            self._show_empty(
                self.tr("No targets drawn yet.\nOpen the Sales page's Campaigns tab and choose Draw targets.")
            )
        self._show_target(self.current_target())
        self.sig_rows_shown.emit(work_list.campaign_id)

    def _show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.empty.show()
        self.table.hide()
        self.summary.setText("")
        self._show_target(None)

    def current_target(self) -> TargetRow | None:
        row = self.table.currentIndex().row() if self.table.selectionModel().hasSelection() else -1
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def _show_target(self, target: TargetRow | None) -> None:
        self.detail.setVisible(target is not None)
        if target is not None:
            facts = [choice_label(v) for v in (target.buying_role, target.stance) if v]
            if target.influence:
                facts.append(self.tr("influence {0}/5").format(target.influence))
            if target.next_step:
                due = f" ({target.next_step_due})" if target.next_step_due else ""
                facts.append(self.tr("next: {0}{1}").format(target.next_step, due))
            parts = [" · ".join(facts) + "." if facts else ""]
            if target.route_via_name:
                parts.append(self.tr("Through {0}.").format(target.route_via_name))
            if target.approach:
                parts.append(flat(target.approach))
            if target.reason:
                parts.append(self.tr("Reason: {0}").format(target.reason))
            self.detail.setText(
                " ".join(p for p in parts if p) or self.tr("No advice on how to approach them.")
            )
        open_target = target is not None and target.status not in CLOSED_STATUSES
        self.log_button.setEnabled(open_target)
        self.status_button.setEnabled(target is not None)
        self.opportunity_button.setEnabled(open_target and target.opportunity_id is None)
        self.next_button.setEnabled(self.model.next_id is not None)

    def select_next(self) -> None:
        """Selects the next target to approach (and so opens their client's page on them)."""
        row = self.model.row_of(self.model.next_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
            self.table.setFocus()

    # --- the person's choices -------------------------------------------------------------------

    def _on_campaign_activated(self, _index: int) -> None:
        campaign_id = self.campaign.currentData()
        if campaign_id:
            self.sig_campaign_chosen.emit(campaign_id)

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        target = self.model.rows[current.row()] if current.isValid() else None
        self._show_target(target)
        if target is not None and not self._restoring:
            self.sig_target_chosen.emit(target)

    def _ask(self, signal) -> None:
        target = self.current_target()
        if target is not None:
            signal.emit(target)
