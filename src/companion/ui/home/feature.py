"""Home (Ctrl+H): what needs attention today, read again after every change."""

from __future__ import annotations

from companion.ui.common.feature import Feature
from companion.ui.home.page import HomePage


class HomeFeature(Feature):
    """The home page, the first page of the window."""

    def install(self) -> None:
        self.page = HomePage()
        self.window.add_page(self.page)
        self.action = self.window.add_action(
            "home", "Home", "Ctrl+H", self.show, icon="home", help="Home: what needs attention"
        )
        self.page.sig_item_activated.connect(self._on_page_item_activated)
        # The attention list waits until the window is up: it needs the services, which load behind it.
        self.window.after_first_paint(self.reload)

    def show(self) -> None:
        self.window.show_page(self.page)
        self.reload()

    def reload(self) -> None:
        from companion.ui.home import operations  # here, not at start-up

        self.window.worker.submit(operations.attention_today, self.page.set_items)

    def _on_page_item_activated(self, item) -> None:
        self.window.open_record(item.kind, item.record_id)

    def on_changed(self, changes, kinds) -> None:
        self.reload()

    def on_team_changes(self) -> None:
        self.reload()
