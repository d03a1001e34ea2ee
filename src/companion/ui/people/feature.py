"""People (Ctrl+P): everyone, at every client, in one table that loads as the person scrolls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.model.kinds import kinds_shown_on
from companion.ui.common.feature import Feature

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds it
    from companion.ui.people.directory import DirectoryPage


class PeopleFeature(Feature):
    """The directory of people; a chosen person opens on their client's page."""

    def install(self) -> None:
        self._directory: DirectoryPage | None = None
        self.action = self.window.add_action(
            "people", "People", "Ctrl+P", self.show_directory, icon="people", help="Everyone, at every client"
        )

    @property
    def directory(self) -> DirectoryPage:
        if self._directory is None:
            from companion.ui.people.directory import DirectoryPage

            self._directory = DirectoryPage(self.window.worker)
            self._directory.sig_person_activated.connect(self._on_directory_person_activated)
            self.window.add_page(self._directory)
        return self._directory

    def show_directory(self) -> None:
        self.window.show_page(self.directory)

    def _on_directory_person_activated(self, contact_id: str) -> None:
        self.window.open_record("contact", contact_id)

    def on_changed(self, changes, kinds) -> None:
        if self._directory is not None:
            self._directory.on_changed(kinds)

    def on_team_changes(self) -> None:
        if self._directory is not None:
            self._directory.on_changed(kinds_shown_on("directory"))
