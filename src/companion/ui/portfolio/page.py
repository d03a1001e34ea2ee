"""The Portfolio page: the clients ranked by their scorecards, and the surveys, a tab each."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from companion.ui.common.edits import EditController
from companion.ui.common.tabbed_page import TabbedPage
from companion.ui.portfolio.ranking_view import RankingTab
from companion.ui.portfolio.surveys_view import SurveysTab

SCORECARDS, SURVEYS = "scorecards", "surveys"


class PortfolioPage(TabbedPage):
    """Two tabs, each read when first shown and again after the changes it shows."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.ranking = RankingTab(edits)
        self.surveys = SurveysTab(edits)
        self.lay_out(
            self.tr("Portfolio"),
            [(SCORECARDS, self.tr("Scorecards"), self.ranking), (SURVEYS, self.tr("Surveys"), self.surveys)],
        )
