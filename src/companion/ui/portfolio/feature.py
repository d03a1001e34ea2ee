"""Portfolio (Ctrl+Shift+O): every client ranked by its scorecard's perspectives, and the surveys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.ui.common.feature import PageFeature

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds it
    from companion.ui.portfolio.page import PortfolioPage

# The kinds of no client that the Portfolio page lists whole, and the tab that lists each.
TAB_OF_KIND = {"survey": "surveys", "survey_question": "surveys"}


class PortfolioFeature(PageFeature):
    """The Portfolio page."""

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

    def show(self, tab: str | None = None) -> None:
        """The Portfolio page, on a tab if one is named."""
        page = self.page
        self.window.show_page(page)
        if tab:
            page.show_tab(tab)
        else:
            page.read_if_stale()

    def show_record(self, kind: str, record_id: str) -> bool:
        """The tab that lists this kind with the record chosen there; False for a kind no tab lists."""
        tab_name = TAB_OF_KIND.get(kind)
        if tab_name is None:
            return False
        self.show(tab_name)
        self.page.tab(tab_name).show_record(kind, record_id)
        return True

    def _on_ranking_client_opened(self, client_id: str) -> None:
        self.window.open_client(client_id, "scorecard")

    def _on_exported(self, path: str) -> None:
        self.window.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)

    def on_changed(self, changes, kinds) -> None:
        if self._page is not None:
            self._page.on_changed(changes, showing=self.showing())

    def on_team_changes(self) -> None:
        if self._page is not None:
            if self.showing():
                self._page.reload()
            else:
                self._page.mark_stale()
