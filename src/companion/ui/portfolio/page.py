"""The Portfolio page: the clients ranked by their scorecards, and the surveys, a tab each."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from companion.core.changes import ChangeSet
from companion.ui.common.edits import EditController
from companion.ui.portfolio.ranking_view import RankingTab
from companion.ui.portfolio.surveys_view import SurveysTab

SCORECARDS, SURVEYS = "scorecards", "surveys"


class PortfolioPage(QWidget):
    """Two tabs, each read when first shown and again after the changes it shows."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.ranking = RankingTab(edits)
        self.surveys = SurveysTab(edits)
        self._build_ui()
        self.tabs.currentChanged.connect(lambda _index: self.read_if_stale())

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(self.tr("Portfolio"))
        title.setProperty("role", "heading")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Portfolio"))
        self.tabs.addTab(self.ranking, self.tr("Scorecards"))
        self.tabs.addTab(self.surveys, self.tr("Surveys"))
        layout.addWidget(self.tabs, 1)

    def tab(self, name: str) -> QWidget:
        return {SCORECARDS: self.ranking, SURVEYS: self.surveys}[name]

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentWidget(self.tab(name))
        self.read_if_stale()

    def read_if_stale(self) -> None:
        """Reads the tab on screen if a change or a sync came since it last read."""
        current = self.tabs.currentWidget()
        if getattr(current, "stale", False):
            current.reload()

    def mark_stale(self) -> None:
        for number in range(self.tabs.count()):
            self.tabs.widget(number).stale = True

    def reload(self) -> None:
        """Reads the tab on screen again; the others when next shown."""
        self.mark_stale()
        self.read_if_stale()

    def on_changed(self, changes: ChangeSet, *, showing: bool = True) -> None:
        """Records changed: the tab on screen reads again now, the others when next shown."""
        kinds = frozenset(c.kind for c in changes.changes)
        current = self.tabs.currentWidget()
        for number in range(self.tabs.count()):
            tab = self.tabs.widget(number)
            tab.on_changed(kinds, showing and tab is current)
