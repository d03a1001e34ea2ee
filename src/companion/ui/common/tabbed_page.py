"""A page of tabs, each read when first shown and again after the changes it shows; and the feature that shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from companion.ui.common.feature import PageFeature

if TYPE_CHECKING:
    from companion.core.changes import ChangeSet


class TabbedPage(QWidget):
    """A heading over named tabs: a page makes its tabs, then places them with `lay_out`. A tab keeps
    `stale` (read again when next shown), `reload()` reads it, and `on_changed(kinds, showing)` reads again
    (or marks it stale) when the changed kinds are ones it shows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._named: dict[str, QWidget] = {}
        self.tabs = QTabWidget()

    def lay_out(self, title: str, tabs: list[tuple[str, str, QWidget]]) -> None:
        """Lays the page out once its tabs are made: `title` heads it and names its tabs for a screen
        reader; `tabs` are (name, label, widget) in their order, the name how `tab` and `show_tab` know
        it, the label what the person reads."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        heading = QLabel(title)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        self.tabs.setAccessibleName(title)
        for name, label, widget in tabs:
            self._named[name] = widget
            self.tabs.addTab(widget, label)
        layout.addWidget(self.tabs, 1)
        # Connected once the tabs are in, so that adding them reads none: each reads when first shown.
        self.tabs.currentChanged.connect(lambda _index: self.read_if_stale())

    def tab(self, name: str) -> QWidget:
        return self._named[name]

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentWidget(self.tab(name))
        self.read_if_stale()

    def read_if_stale(self) -> None:
        """Reads the tab on screen if a change or a sync came since it last read."""
        current = self.tabs.currentWidget()
        if getattr(current, "stale", False):
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


class TabbedPageFeature(PageFeature):
    """A feature whose page is a `TabbedPage`: shown on a tab, or on the tab that lists a record's kind.
    Changes reach the page even while it is hidden, so a tab that shows them reads again when next shown."""

    # The tab (by name) that lists each kind the page shows whole.
    TAB_OF_KIND: ClassVar[dict[str, str]] = {}

    def show(self, tab: str | None = None) -> None:
        """The page, on a tab if one is named."""
        page = self.page
        self.window.show_page(page)
        if tab:
            page.show_tab(tab)
        else:
            page.read_if_stale()

    def show_record(self, kind: str, record_id: str) -> bool:
        """The page on the tab that lists this kind, with the record chosen there once the tab has read;
        False (and nothing shown) for a kind no tab lists."""
        name = self.TAB_OF_KIND.get(kind)
        if name is None:
            return False
        self.show(name)
        self.choose(self.page.tab(name), kind, record_id)
        return True

    def choose(self, tab: QWidget, kind: str, record_id: str) -> None:
        """Chooses the record on its tab (a tab that lists records selects it by its id)."""
        tab.select(record_id)

    def on_changed(self, changes, kinds) -> None:
        if self._page is not None:
            self._page.on_changed(changes, showing=self.showing())

    def on_team_changes(self) -> None:
        if self._page is not None:
            if self.showing():
                self._page.reload()
            else:
                self._page.mark_stale()
