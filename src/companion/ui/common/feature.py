"""What every feature of the window is: it makes its own actions, menu entries and pages; the shell places them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from companion.core.changes import ChangeSet
    from companion.ui.shell.main_window import MainWindow


class Feature(QObject):
    """One part of the window (clients, meetings, sync…), installed once by the shell, in its order."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window

    def install(self) -> None:
        """Makes the feature's actions (`window.add_action`) and whatever it shows from the start."""

    def on_changed(self, changes: ChangeSet, kinds: frozenset[str]) -> None:
        """Records changed through this window (an edit, its undo, what the write path kept in step):
        refresh what this feature shows."""

    def on_settled(self) -> None:
        """The jobs that follow start-up are done: background work may begin."""

    def on_team_changes(self) -> None:
        """Records arrived from the team (a sync pulled them): what is on screen reads itself again."""

    def close(self) -> None:
        """The window closes: stop background work."""


class PageFeature(Feature):
    """A feature with a page of its own, built the first time it is shown (start-up builds none)."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self._page: QWidget | None = None

    def make_page(self) -> QWidget:
        """Builds the page and connects it; the shell places it."""
        raise NotImplementedError

    @property
    def page(self):
        if self._page is None:
            page = self.make_page()
            self.window.add_page(page)
            self._page = page
        return self._page

    def showing(self) -> bool:
        """Whether this feature's page is the one on screen."""
        return self.window.showing(self._page)

    def on_changed(self, changes: ChangeSet, kinds: frozenset[str]) -> None:
        if self.showing():
            self._page.on_changed(changes)

    def on_team_changes(self) -> None:
        if self.showing():
            self._page.reload()
