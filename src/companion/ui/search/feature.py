"""Search everything (Ctrl+K): the palette, built when first opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.ui.common.feature import Feature

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds it
    from companion.ui.search.palette import SearchPalette


class SearchFeature(Feature):
    """Ctrl+K from anywhere; a chosen result opens where the record is shown."""

    def install(self) -> None:
        self._palette: SearchPalette | None = None
        self.action = self.window.add_action(
            "search", "Search…", "Ctrl+K", self.open_palette, icon="search", help="Search everything"
        )

    @property
    def palette(self) -> SearchPalette:
        if self._palette is None:
            from companion.ui.search.palette import SearchPalette

            self._palette = SearchPalette(self.window.worker, self.window)
            self._palette.sig_result_chosen.connect(self.window.open_record)
        return self._palette

    def open_palette(self) -> None:
        self.palette.open_palette()
