"""People (Ctrl+P): everyone, at every client, in one table that loads as the person scrolls; contacts files in
and out (File → Import contacts…, Export contacts…, or a file dropped on the people), possible duplicates."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from companion.model.kinds import kinds_shown_on
from companion.ui.common.feature import Feature

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds it
    from companion.ui.people.contacts_operations import ContactsExport, ContactsPreview
    from companion.ui.people.directory import DirectoryPage
    from companion.ui.people.duplicates_view import DuplicatesPage
    from companion.ui.people.import_dialog import ContactsImportDialog

# How long the status bar keeps what an import or export did, or why a dropped file was not taken.
SAID_MS = 10_000
UNSAFE_IN_NAMES = frozenset('/\\:*?"<>|')


class PeopleFeature(Feature):
    """The directory of people; a chosen person opens on their client's page."""

    def install(self) -> None:
        w = self.window
        self._directory: DirectoryPage | None = None
        self._duplicates: DuplicatesPage | None = None
        self.action = w.add_action(
            "people", "People", "Ctrl+P", self.show_directory, icon="people", help="Everyone, at every client"
        )
        self.import_action = w.add_action(
            "import_contacts", "Import contacts…", None, self._on_import_triggered
        )
        self.export_action = w.add_action(
            "export_contacts", "Export contacts…", None, self._on_export_triggered
        )
        # First in the File menu, above About and Quit.
        w.menus["&File"].insertActions(w.about_action, [self.import_action, self.export_action])
        w.menus["&File"].insertSeparator(w.about_action)
        self.duplicates_action = w.add_action(
            "people_duplicates", "Possible duplicate people…", None, self.show_duplicates, menu="&Edit"
        )
        w.clients.list_panel.sig_contacts_dropped.connect(self.import_dropped)

    @property
    def directory(self) -> DirectoryPage:
        if self._directory is None:
            from companion.ui.people.directory import DirectoryPage

            self._directory = DirectoryPage(self.window.worker)
            self._directory.sig_person_activated.connect(self._on_directory_person_activated)
            self._directory.sig_duplicates_requested.connect(self.show_duplicates)
            self._directory.sig_contacts_dropped.connect(self.import_dropped)
            self.window.add_page(self._directory)
        return self._directory

    def show_directory(self) -> None:
        self.window.show_page(self.directory)

    def _on_directory_person_activated(self, contact_id: str) -> None:
        self.window.open_record("contact", contact_id)

    def on_settled(self) -> None:
        # Read once start-up is done: an administrator may have turned file exports off.
        self.export_action.setVisible(self.window.preferences.exports_allowed())

    def on_changed(self, changes, kinds) -> None:
        if self._directory is not None:
            self._directory.on_changed(kinds)
        if self._duplicates is not None and self.window.showing(self._duplicates):
            self._duplicates.on_changed(kinds)

    def on_team_changes(self) -> None:
        if self._directory is not None:
            self._directory.on_changed(kinds_shown_on("directory"))
        if self._duplicates is not None and self.window.showing(self._duplicates):
            self._duplicates.reload()

    # --- possible duplicates -------------------------------------------------------------------

    @property
    def duplicates(self) -> DuplicatesPage:
        if self._duplicates is None:
            from companion.ui.people.duplicates_view import DuplicatesPage

            self._duplicates = DuplicatesPage(self.window.edits)
            self._duplicates.sig_back_requested.connect(self.show_directory)
            self._duplicates.sig_person_activated.connect(self._on_directory_person_activated)
            self.window.add_page(self._duplicates)
        return self._duplicates

    def show_duplicates(self) -> None:
        """Pairs of people across the workspace who may be one person, to merge or to tell apart."""
        self.window.show_page(self.duplicates)
        self.duplicates.reload()

    # --- contacts files in -----------------------------------------------------------------------

    def _on_import_triggered(self) -> None:
        self.import_contacts()

    def import_contacts(self, path: str | None = None, client_id: str | None = None) -> None:
        """A vCard or CSV file read and matched on the database thread, then shown in the preview, where the
        person decides; a file refused as a whole is said in one message, and nothing is written."""
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            from companion.ui.preferences.folders import documents_dir

            path, _chosen = QFileDialog.getOpenFileName(
                self.window,
                self.tr("Import contacts"),
                str(documents_dir()),
                self.tr("Contacts (*.vcf *.vcard *.csv);;vCard (*.vcf *.vcard);;CSV (*.csv);;All files (*)"),
            )
            if not path:
                return
        from companion.ui.people import contacts_operations

        job = partial(contacts_operations.preview_contacts, path=Path(path), client_id=client_id or None)
        self.window.statusBar().showMessage(self.tr("Reading {0}…").format(Path(path).name))
        self.window.worker.submit(job, self._on_contacts_read, self._on_contacts_refused)

    def _on_contacts_read(self, loaded: ContactsPreview) -> None:
        from companion.ui.people.import_dialog import ContactsImportDialog

        self.window.statusBar().clearMessage()
        dialog = ContactsImportDialog(
            self.window.edits, loaded, clients=self.window.clients.names(), parent=self.window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_imported.connect(lambda _result: self._on_dialog_imported(dialog))
        dialog.open()

    def _on_dialog_imported(self, dialog: ContactsImportDialog) -> None:
        self.window.statusBar().showMessage(dialog.summary, SAID_MS)

    def _on_contacts_refused(self, failure) -> None:
        self.window.statusBar().clearMessage()
        self.window.show_failure(failure)

    def import_dropped(self, paths: list[str], client_id: str = "") -> None:
        """Files dropped on the people, a client or its People: the first contacts file is previewed for
        import (into that client, when dropped on one); any other file is refused in one line."""
        from companion.ui.people.contacts_drop import is_contacts_file

        wanted = [path for path in paths if is_contacts_file(path)]
        if not wanted:
            self.window.statusBar().showMessage(
                self.tr("{0} is not a contacts file: drop a vCard (.vcf) or CSV (.csv) file.").format(
                    Path(paths[0]).name if paths else ""
                ),
                SAID_MS,
            )
            return
        self.import_contacts(wanted[0], client_id or None)
        if len(wanted) > 1:
            self.window.statusBar().showMessage(
                self.tr("One file at a time: reading {0}; drop the others after it.").format(
                    Path(wanted[0]).name
                ),
                SAID_MS,
            )

    # --- contacts files out ----------------------------------------------------------------------

    def _on_export_triggered(self) -> None:
        self.export_contacts()

    def export_contacts(self) -> None:
        """Everyone, or the people of the client on screen, to a vCard file: 4.0, or 3.0 for older address
        books (the file dialog's type)."""
        from PySide6.QtWidgets import QFileDialog

        from companion.ui.people import contacts_operations
        from companion.ui.preferences.folders import in_documents

        if not self.window.preferences.exports_allowed():
            self.window.statusBar().showMessage(
                self.tr("An administrator has turned file exports off."), SAID_MS
            )
            return
        client_id = self.window.clients.current_client_id()
        client = dict(self.window.clients.names()).get(client_id) if client_id else None
        title = (
            self.tr("Export the people of {0}").format(client)
            if client
            else self.tr("Export everyone's contacts")
        )
        # A file name of the client's name, without what file systems refuse in one.
        name = (
            f"{''.join(c for c in client if c not in UNSAFE_IN_NAMES)} contacts.vcf"
            if client
            else "contacts.vcf"
        )
        newer, older = self.tr("vCard 4.0 (*.vcf)"), self.tr("vCard 3.0, for older address books (*.vcf)")
        path, chosen = QFileDialog.getSaveFileName(
            self.window, title, in_documents(name), f"{newer};;{older}"
        )
        if not path:
            return
        if not path.lower().endswith((".vcf", ".vcard")):
            path += ".vcf"
        job = partial(
            contacts_operations.export_contacts,
            path=Path(path),
            client_id=client_id,
            version="3.0" if chosen == older else "4.0",
        )
        self.window.worker.submit(job, self._on_contacts_exported, self.window.show_failure)

    def _on_contacts_exported(self, written: ContactsExport) -> None:
        said = (
            self.tr("Saved 1 contact to {0}") if written.count == 1 else self.tr("Saved {1} contacts to {0}")
        ).format(written.path, written.count)
        self.window.statusBar().showMessage(said, SAID_MS)
