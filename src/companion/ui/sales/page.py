"""The Sales page: the workspace's pipeline, the proposition library, cohorts and campaigns, a tab each."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from companion.core.changes import ChangeSet
from companion.ui.common.edits import EditController
from companion.ui.sales.campaigns_view import CampaignsTab
from companion.ui.sales.cohorts_view import CohortsTab
from companion.ui.sales.pipeline_view import PipelineTab
from companion.ui.sales.propositions_view import PropositionsTab
from companion.ui.sales.tab import SalesTab

PIPELINE, PROPOSITIONS, COHORTS, CAMPAIGNS = "pipeline", "propositions", "cohorts", "campaigns"


class SalesPage(QWidget):
    """Four tabs, each read when first shown and again after the changes it shows."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.pipeline = PipelineTab(edits)
        self.propositions = PropositionsTab(edits)
        self.cohorts = CohortsTab(edits)
        self.campaigns = CampaignsTab(edits)
        self._build_ui()
        self.tabs.currentChanged.connect(lambda _index: self.read_if_stale())

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(self.tr("Sales"))
        title.setProperty("role", "heading")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Sales"))
        self.tabs.addTab(self.pipeline, self.tr("Pipeline"))
        self.tabs.addTab(self.propositions, self.tr("Propositions"))
        self.tabs.addTab(self.cohorts, self.tr("Cohorts"))
        self.tabs.addTab(self.campaigns, self.tr("Campaigns"))
        layout.addWidget(self.tabs, 1)

    def tab(self, name: str) -> SalesTab:
        return {PIPELINE: self.pipeline, PROPOSITIONS: self.propositions, COHORTS: self.cohorts,
                CAMPAIGNS: self.campaigns}[name]  # fmt: skip

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentWidget(self.tab(name))
        self.read_if_stale()

    def read_if_stale(self) -> None:
        """Reads the tab on screen if a change or a sync came since it last read."""
        current = self.tabs.currentWidget()
        if isinstance(current, SalesTab) and current.stale:
            current.reload()

    def mark_stale(self) -> None:
        """Every tab reads again when next shown (the team's changes arrived)."""
        for number in range(self.tabs.count()):
            self.tabs.widget(number).stale = True

    def reload(self) -> None:
        """Reads the tab on screen again; the others when next shown."""
        self.mark_stale()
        self.read_if_stale()

    def on_changed(self, changes: ChangeSet, *, showing: bool = True) -> None:
        """Records changed: the tab on screen reads again now, the others (and all, when the page is
        hidden) when next shown."""
        kinds = frozenset(c.kind for c in changes.changes)
        current = self.tabs.currentWidget()
        for number in range(self.tabs.count()):
            tab = self.tabs.widget(number)
            tab.on_changed(kinds, showing and tab is current)
