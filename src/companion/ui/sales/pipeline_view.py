"""The Sales page's Pipeline: every open deal in the workspace by stage, with totals per currency."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTreeWidgetItem, QVBoxLayout, QWidget

from companion.model.kinds import MEDDPICC, OPEN_STAGES
from companion.ui.common.edits import EditController
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.theme import error_color, icon, warning_color
from companion.ui.common.widgets import empty_state, tree
from companion.ui.sales import operations
from companion.ui.sales.tab import SalesTab


def _totals(rows) -> dict[str, float]:
    totals: dict[str, float] = {}
    for row in rows:
        if row.value is not None:
            totals[row.currency or ""] = totals.get(row.currency or "", 0.0) + row.value
    return totals


class PipelineTab(SalesTab):
    """Open deals by stage, filtered by owner and proposition; a deal opens on its client's page."""

    sig_deal_opened = Signal(str)
    """The person opened a deal (its id)."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(edits, parent)
        self.view: operations.PipelineView | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        bar = QHBoxLayout()
        self.owner = QComboBox()
        self.owner.setAccessibleName(self.tr("Filter by owner"))
        self.proposition = QComboBox()
        self.proposition.setAccessibleName(self.tr("Filter by proposition"))
        for combo in (self.owner, self.proposition):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(18)
            bar.addWidget(combo)
        bar.addStretch(1)
        self.total = QLabel()
        self.total.setProperty("role", "muted")
        bar.addWidget(self.total)
        layout.addLayout(bar)
        self.deals = tree(
            self.tr("Open deals by stage"),
            [self.tr("Deal"), self.tr("Client"), self.tr("Value"), self.tr("Close"), self.tr("Next step"),
             self.tr("By"), self.tr("Qualified")],
            (260, 170, 120, 90, 200, 90, 80),
        )  # fmt: skip
        self.deals.setRootIsDecorated(True)
        layout.addWidget(self.deals, 1)
        self.empty = empty_state(
            self.tr(
                "No open deals.\nOpen one on a client's Deals section, or from a campaign's work list "
                "(Open opportunity)."
            )
        )
        layout.addWidget(self.empty, 1)

    def _connect_signals(self) -> None:
        self.owner.activated.connect(lambda _i: self._fill())
        self.proposition.activated.connect(lambda _i: self._fill())
        self.deals.itemActivated.connect(self._on_deals_item_activated)

    def load_job(self):
        return operations.load_pipeline

    def show_data(self, view: operations.PipelineView) -> None:
        self.view = view
        for combo, anything, choices in (
            (self.owner, self.tr("Any owner"), view.colleagues),
            (self.proposition, self.tr("Any proposition"), view.propositions),
        ):
            chosen = combo.currentData()
            combo.clear()
            combo.addItem(anything, None)
            for value, name in choices:
                combo.addItem(name, value)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
        self._fill()

    def _fill(self) -> None:
        from companion.core.opportunities import deal_words, totals_words

        if self.view is None:
            return
        owner, proposition = self.owner.currentData(), self.proposition.currentData()
        today = dt.date.today().isoformat()
        collapsed = {
            self.deals.topLevelItem(n).data(0, Qt.ItemDataRole.UserRole)
            for n in range(self.deals.topLevelItemCount())
            if not self.deals.topLevelItem(n).isExpanded()
        }
        self.deals.clear()
        shown = []
        for stage in self.view.pipeline.stages:
            if stage.name not in OPEN_STAGES:
                continue
            rows = [
                r for r in stage.rows
                if (owner is None or r.owner_id == owner) and (proposition is None or r.proposition_id == proposition)
            ]  # fmt: skip
            if not rows:
                continue
            shown.extend(rows)
            totals = totals_words(_totals(rows))
            words = self.tr("{0} ({1})").format(self.tr(stage.label), len(rows))
            head = QTreeWidgetItem([f"{words} · {totals}" if totals else words])
            head.setData(0, Qt.ItemDataRole.UserRole, stage.name)
            font = QFont(head.font(0))
            font.setBold(True)
            head.setFont(0, font)
            self.deals.addTopLevelItem(head)
            for row in rows:
                item = QTreeWidgetItem(
                    [row.title, row.client_name, deal_words(row, stage=False), row.expected_close or "",
                     row.next_step or "", row.next_step_due or "", f"{row.confirmed}/{len(MEDDPICC)}"]
                )  # fmt: skip
                item.setData(0, RecordRole, ("opportunity", row.id))
                item.setToolTip(0, row.title)
                if row.next_step:
                    item.setToolTip(4, row.next_step)
                if row.next_step_due and row.next_step_due < today:
                    item.setForeground(5, error_color())
                    item.setToolTip(5, self.tr("The next step is overdue"))
                if row.gaps:
                    item.setIcon(6, icon("warning"))
                    item.setForeground(6, warning_color())
                    item.setToolTip(6, "\n".join(gap.text for gap in row.gaps))
                head.addChild(item)
            head.setFirstColumnSpanned(True)  # the stage and its totals across the columns, never wrapped
            head.setExpanded(stage.name not in collapsed)
        everything = _totals(shown)
        self.total.setText(
            self.tr("{0} open deals · {1}").format(len(shown), totals_words(everything))
            if everything
            else self.tr("{0} open deals").format(len(shown))
        )
        filtered = owner is not None or proposition is not None
        self.total.setVisible(bool(shown) or filtered)
        self.deals.setVisible(bool(shown) or filtered)
        self.empty.setVisible(not shown and not filtered)

    def _on_deals_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, RecordRole)
        if target:
            self.sig_deal_opened.emit(target[1])
