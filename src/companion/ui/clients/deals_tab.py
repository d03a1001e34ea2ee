"""The client page's Deals section: the pipeline by stage beside the chosen deal, and the whitespace grid."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.account_plan import amount
from companion.core.opportunities import totals_words
from companion.model.errors import NotFoundError
from companion.model.kinds import OPEN_STAGES, Field
from companion.ui.clients import deal_operations
from companion.ui.clients.deal_cards import CardRole, DealCard, DealCardDelegate, StageCard
from companion.ui.clients.deal_operations import DealsSection
from companion.ui.clients.deal_panel import EDIT_FIELDS, DealPanel
from companion.ui.clients.whitespace_view import WhitespaceGrid, WhitespaceLegend
from companion.ui.common import theme
from companion.ui.common.edits import EditController
from companion.ui.common.latest_read import LatestRead
from companion.ui.common.record_actions import RecordActions, RecordRole
from companion.ui.common.record_dialog import NewRecordDialog
from companion.ui.common.widgets import empty_state
from companion.ui.common.worker import Failure

# What a new deal asks for first; the rest (MEDDPICC, competitors) is filled in on its panel.
NEW_DEAL_FIELDS = (
    "title", "stage", "sub_group_id", "proposition_id", "campaign_id", "value", "currency", "expected_close",
    "owner_id", "next_step", "next_step_due",
)  # fmt: skip
# Where each stage row of the pipeline keeps its stage's name.
StageRole = Qt.ItemDataRole.UserRole + 42
RefChoices = Callable[[Field], Sequence[tuple[str, str]]]


class DealsTab(QWidget):
    """One client's deals, read on the database thread whenever the page reads itself again."""

    def __init__(self, edits: EditController, ref_choices: RefChoices, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self._page_choices = ref_choices  # the client page's: colleagues
        self.client_id: str | None = None
        self.section: DealsSection | None = None
        self.today = dt.date.today()
        self._read = LatestRead(edits.worker, self._on_loaded, self._on_failed)
        self._selected: str | None = None  # the deal shown in the panel
        self._pending: tuple[str, str] | None = None  # a record to show once the section is read
        self._closed_open: set[str] = set()  # closed stages the person opened
        self._halved = False
        self._build_ui()
        self._connect_signals()

    # --- building ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.new_deal_button = QPushButton(self.tr("New deal…"))
        self.new_deal_button.setToolTip(self.tr("Start a deal with this client"))
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        bar.addWidget(self.new_deal_button)
        bar.addWidget(self.summary, 1)
        layout.addLayout(bar)
        self.inner = QTabWidget()
        self.inner.setAccessibleName(self.tr("Deals and whitespace"))
        self.inner.addTab(self._pipeline_page(), self.tr("Pipeline"))
        self.inner.addTab(self._whitespace_page(), self.tr("Whitespace"))
        self.inner.setTabToolTip(1, self.tr("Where each approved proposition stands in each buying centre"))
        layout.addWidget(self.inner, 1)

    def _pipeline_page(self) -> QWidget:
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(4, 6, 4, 4)
        self.pipeline = QTreeWidget()
        self.pipeline.setAccessibleName(self.tr("Pipeline by stage"))
        self.pipeline.setHeaderHidden(True)
        self.pipeline.setIndentation(14)
        self.pipeline.setItemDelegate(DealCardDelegate(self.pipeline))
        self.pipeline.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column.addWidget(self.pipeline, 1)
        self.empty = empty_state(
            self.tr(
                "No deals with this client yet.\nStart one with New deal…, or open Whitespace to see which "
                "approved propositions nobody has proposed here."
            ),
            shown=True,
        )
        column.addWidget(self.empty, 1)
        self.splitter.addWidget(left)
        self.panel = DealPanel(self.edits, self.ref_choices)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        self.splitter.setChildrenCollapsible(False)
        return self.splitter

    def _whitespace_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 6, 4, 4)
        self.whitespace_hint = QLabel(
            self.tr(
                "Each buying centre against each approved proposition. Double-click an empty cell to start "
                "a deal there, a full one to see its deal."
            )
        )
        self.whitespace_hint.setProperty("role", "muted")
        self.whitespace_hint.setWordWrap(True)
        column.addWidget(self.whitespace_hint)
        self.legend = WhitespaceLegend()
        column.addWidget(self.legend)
        self.whitespace = WhitespaceGrid()
        column.addWidget(self.whitespace, 1)
        self.no_propositions = empty_state(
            self.tr(
                "No approved propositions yet.\nOnce propositions are approved, this grid shows where each "
                "one stands in each of the client's buying centres."
            ),
            shown=True,
        )
        column.addWidget(self.no_propositions, 1)
        return page

    def _connect_signals(self) -> None:
        self.new_deal_button.clicked.connect(lambda: self.new_deal())
        self.pipeline.currentItemChanged.connect(self._on_pipeline_current_changed)
        self.pipeline.itemExpanded.connect(self._on_pipeline_item_expanded)
        self.pipeline.itemCollapsed.connect(self._on_pipeline_item_collapsed)
        self.record_actions = RecordActions(
            self.pipeline,
            self.edits,
            ref_choices=self.ref_choices,
            fields=EDIT_FIELDS,
            on_edit=self._on_deal_edit,
        )
        self.whitespace.sig_new_deal_requested.connect(self._on_whitespace_new_deal_requested)
        self.whitespace.sig_deal_chosen.connect(self.show_deal)
        theme.manager().sig_scheme_changed.connect(self._on_theme_scheme_changed)

    def _on_theme_scheme_changed(self, _scheme: str) -> None:
        # The panel's lists and labels hold colours of the scheme they were filled in; the cards and the
        # grid take theirs as they paint.
        if self.section is not None:
            self.panel.show_deal(self.section, self._selected)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._halved:
            # Nearly halves, once the splitter knows its width: the cards' next steps need the room as much as
            # the deal's forms (the splitter would share by the widgets' own wishes otherwise).
            self._halved = True
            QTimer.singleShot(0, lambda: self.splitter.setSizes([9_000, 11_000]))

    def ref_choices(self, field: Field) -> Sequence[tuple[str, str]]:
        """A deal's choices from the section (propositions, campaigns, competitors, the client's people
        now and its sub-groups); colleagues from the client page."""
        section = self.section
        if field.ref_kind == "colleague":
            return self._page_choices(field)
        if section is None:
            return []
        return {
            "proposition": section.propositions,
            "campaign": section.campaigns,
            "competitor": section.competitors,
            "contact": section.people,
            "sub_group": section.sub_groups,
        }.get(field.ref_kind or "", ())

    # --- loading ----------------------------------------------------------------------------

    def load(self, client_id: str) -> None:
        """Reads the client's deals (again); an answer to an older read is dropped."""
        if client_id != self.client_id:
            self.client_id = client_id
            self.section = None
            self._selected = None
            self._closed_open = set()
            self.setEnabled(False)  # its buttons would add to the last client's deals until read
        self._read.ask(partial(deal_operations.deals_section, client_id=client_id, today=self.today))

    def _on_failed(self, failure: Failure) -> None:
        if not isinstance(failure.error, NotFoundError):  # the client itself gone: the page says so
            self.edits.sig_failed.emit(failure)

    def _on_loaded(self, section: DealsSection) -> None:
        if section.client_id != self.client_id:
            return
        self.section = section
        self.setEnabled(True)
        if self._selected not in section.deals:
            self._selected = None
        self._fill_pipeline(section)
        self._fill_whitespace(section)
        self.panel.show_deal(section, self._selected)
        self._open_pending()

    def _fill_pipeline(self, section: DealsSection) -> None:
        tree = self.pipeline
        tree.blockSignals(True)
        tree.clear()
        today = self.today.isoformat()
        chosen = None
        for stage in section.pipeline.stages:
            is_open = stage.name in OPEN_STAGES
            if not is_open and not stage.rows:
                continue  # closed stages are listed once something closed there
            count = (
                self.tr("{0} deals").format(len(stage.rows)) if len(stage.rows) != 1 else self.tr("1 deal")
            )
            summary = " · ".join(p for p in (count, totals_words(stage.totals)) if p)
            heading = QTreeWidgetItem([self.tr(stage.label)])
            heading.setData(0, StageRole, stage.name)
            heading.setData(0, CardRole, StageCard(self.tr(stage.label), summary, closed=not is_open))
            heading.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{self.tr(stage.label)}: {summary}")
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            tree.addTopLevelItem(heading)
            for row in stage.rows:
                detail = section.deals.get(row.id)
                why = detail.opportunity["outcome_reason"] if detail is not None else None
                item = self._deal_item(row, today, why=str(why or ""))
                heading.addChild(item)
                if row.id == self._selected:
                    chosen = item
            heading.setExpanded(is_open or stage.name in self._closed_open)
        tree.blockSignals(False)
        if chosen is not None:
            tree.setCurrentItem(chosen)
        has_deals = bool(section.pipeline.rows)
        tree.setVisible(has_deals)
        self.empty.setVisible(not has_deals)
        self.panel.setVisible(has_deals)  # nothing to choose: the way to start one has the room
        self.summary.setText(self._summary(section))

    def _deal_item(self, row, today: str, *, why: str = "") -> QTreeWidgetItem:
        is_open = row.stage in OPEN_STAGES
        due = str(row.next_step_due or "")
        overdue = is_open and bool(due) and due < today
        if not is_open:
            # A closed deal has no next step: why it was won or lost is what a person looks for.
            step = self.tr("Why: {0}").format(" ".join(why.split())) if why else ""
        elif row.next_step:
            step = self.tr("Next: {0}").format(row.next_step) + (f" · {due}" if due else "")
        elif due:
            step = self.tr("Next step by {0}").format(due)
        else:
            step = self.tr("No next step written")
        if overdue:
            step += self.tr(", overdue")
        facts = [self.tr("closes {0}").format(row.expected_close) if row.expected_close else ""]
        facts.append(self.tr("{0}/8 confirmed").format(row.confirmed))
        gaps = ""
        if row.gaps:
            gaps = self.tr("⚠ {0} gaps").format(len(row.gaps)) if len(row.gaps) > 1 else self.tr("⚠ 1 gap")
        card = DealCard(
            title=row.title,
            value=amount(row.value, currency=row.currency) if row.value is not None else "",
            facts=" · ".join(f for f in facts if f),
            gaps=gaps,
            next_step=step,
            overdue=overdue,
            closed=not is_open,
        )
        item = QTreeWidgetItem([row.title])
        item.setData(0, RecordRole, ("opportunity", row.id))
        item.setData(0, CardRole, card)
        lines = [row.title, card.value, card.facts, card.gaps, card.next_step]
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, ". ".join(t for t in lines if t))
        tips = [f"<b>{html.escape(row.title)}</b>", html.escape(step)]
        tips += [f"⚠ {html.escape(gap.text)}" for gap in row.gaps]
        item.setToolTip(0, "<br>".join(t for t in tips if t))
        return item

    def _summary(self, section: DealsSection) -> str:
        open_rows = [r for s in section.pipeline.stages if s.name in OPEN_STAGES for r in s.rows]
        if not open_rows:
            return self.tr("No open deals.") if section.pipeline.rows else ""
        totals: dict[str, float] = {}
        for row in open_rows:
            if row.value is not None:
                totals[row.currency or ""] = totals.get(row.currency or "", 0.0) + row.value
        gaps = sum(len(r.gaps) for r in open_rows)
        parts = [
            self.tr("{0} open deals").format(len(open_rows))
            if len(open_rows) != 1
            else self.tr("1 open deal"),
            totals_words(totals),
            self.tr("{0} qualification gaps").format(gaps) if gaps else "",
        ]
        return " · ".join(p for p in parts if p)

    def _fill_whitespace(self, section: DealsSection) -> None:
        whitespace = section.whitespace
        self.whitespace.show_whitespace(whitespace)
        has_grid = bool(whitespace.propositions)
        self.whitespace.setVisible(has_grid)
        self.whitespace_hint.setVisible(has_grid)
        self.legend.setVisible(has_grid)
        self.no_propositions.setVisible(not has_grid)

    # --- choosing ---------------------------------------------------------------------------

    def _on_pipeline_current_changed(self, item: QTreeWidgetItem | None, _previous) -> None:
        data = item.data(0, RecordRole) if item is not None else None
        if not data:
            return  # a stage's row: the deal shown stays
        self._selected = data[1]
        self.panel.show_deal(self.section, self._selected)

    def _on_pipeline_item_expanded(self, item: QTreeWidgetItem) -> None:
        if item.data(0, StageRole):
            self._closed_open.add(item.data(0, StageRole))

    def _on_pipeline_item_collapsed(self, item: QTreeWidgetItem) -> None:
        self._closed_open.discard(item.data(0, StageRole))

    def _on_deal_edit(self, _kind: str, deal_id: str) -> None:
        """Enter or double-click on a deal: its fields, in its panel."""
        self.show_deal(deal_id)
        self.panel.inner.setCurrentIndex(0)
        self.panel.form.focus_first()

    def show_deal(self, deal_id: str) -> bool:
        """Shows a deal on the pipeline with its panel; False if this client has no such deal (yet)."""
        self.inner.setCurrentIndex(0)
        if not self.record_actions.select("opportunity", deal_id):
            return False
        self.pipeline.currentItem().parent().setExpanded(True)
        return True

    def open_record(self, kind: str, record_id: str) -> None:
        """Shows a deal, or a person, action or risk of one, once the section is read (search and home
        open records here)."""
        self._pending = (kind, record_id)
        if not self._read.busy and self.section is not None:
            self._open_pending()

    def _open_pending(self) -> None:
        target, self._pending = self._pending, None
        if target is None or self.section is None:
            return
        kind, record_id = target
        if kind == "opportunity":
            self.show_deal(record_id)
            return
        for deal_id, detail in self.section.deals.items():
            if any(r.id == record_id for r in (*detail.people, *detail.actions, *detail.risks)):
                self.show_deal(deal_id)
                self.panel.select_part(kind, record_id)
                break
        self._edit(kind, record_id)  # a campaign target, listed on no deal, opens in its form alone

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

    # --- adding -----------------------------------------------------------------------------

    def new_deal(
        self, *, sub_group_id: str | None = None, proposition_id: str | None = None
    ) -> NewRecordDialog | None:
        """The form of a new deal with this client (a buying centre and a proposition chosen already)."""
        if self.client_id is None or self.section is None:
            return None
        initial = {"stage": "idea", "sub_group_id": sub_group_id, "proposition_id": proposition_id}
        if proposition_id:
            title = dict(self.section.whitespace.propositions).get(proposition_id)
            initial["title"] = title
        dialog = NewRecordDialog(
            self.edits,
            "opportunity",
            fields=NEW_DEAL_FIELDS,
            fixed={"client_id": self.client_id},
            initial={k: v for k, v in initial.items() if v is not None},
            ref_choices=self.ref_choices,
            title=self.tr("New deal"),
            parent=self,
        )
        dialog.accepted.connect(
            lambda: dialog.created_id and self.open_record("opportunity", dialog.created_id)
        )
        dialog.open()
        return dialog

    def _on_whitespace_new_deal_requested(self, sub_group_id: str | None, proposition_id: str) -> None:
        self.new_deal(sub_group_id=sub_group_id, proposition_id=proposition_id)
