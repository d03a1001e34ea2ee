"""Portfolio (Ctrl+Shift+O): every client ranked by its scorecard's perspectives, and the surveys."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from companion.ui.common.tabbed_page import TabbedPageFeature

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds it
    from PySide6.QtWidgets import QWidget

    from companion.ui.portfolio.page import PortfolioPage


class PortfolioFeature(TabbedPageFeature):
    """The Portfolio page."""

    # The kinds of no client that the Portfolio page lists whole, and the tab that lists each.
    TAB_OF_KIND: ClassVar[dict[str, str]] = {"survey": "surveys", "survey_question": "surveys"}

    def install(self) -> None:
        self.action = self.window.add_action(
            "portfolio", "Portfolio", "Ctrl+Shift+O", self._on_action_triggered, icon="portfolio",
            menu="&Sales", help="Portfolio: clients ranked by their scorecards, and the surveys",
        )  # fmt: skip

    def make_page(self) -> PortfolioPage:
        from companion.ui.portfolio.page import PortfolioPage

        page = PortfolioPage(self.window.edits)
        page.ranking.sig_client_opened.connect(self._on_ranking_client_opened)
        page.ranking.sig_exported.connect(self._on_exported)
        page.surveys.sig_record_opened.connect(self.window.open_record)
        return page

    def _on_action_triggered(self) -> None:
        self.show()

    def choose(self, tab: QWidget, kind: str, record_id: str) -> None:
        """A survey is chosen on its tab; a question, in its survey."""
        tab.show_record(kind, record_id)

    def _on_ranking_client_opened(self, client_id: str) -> None:
        self.window.open_client(client_id, "scorecard")

    def _on_exported(self, path: str) -> None:
        self.window.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)
