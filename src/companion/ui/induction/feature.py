"""Induction packs (Ctrl+I): reader mode for the client on screen, sign-off, PDF and HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from companion.ui.common.feature import PageFeature

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds it
    from companion.ui.induction.reader import PackReaderPage


class InductionFeature(PageFeature):
    """The pack reader, opened on the client a person is looking at."""

    def install(self) -> None:
        self.action = self.window.add_action(
            "pack", "Induction pack", "Ctrl+I", self.open_current_pack, icon="culture",
            help="Induction pack of the client on screen",
        )  # fmt: skip

    def make_page(self) -> PackReaderPage:
        from companion.ui.induction.reader import PackReaderPage

        page = PackReaderPage(self.window.edits, self.window.settings)
        self.window.preferences.guard_exports(page.pdf_button, page.html_button)
        # Where a pack goes is asked here, starting in the Documents folder; the reader writes it.
        page.pdf_button.clicked.disconnect()
        page.html_button.clicked.disconnect()
        page.pdf_button.clicked.connect(self._on_reader_pdf_clicked)
        page.html_button.clicked.connect(self._on_reader_html_clicked)
        page.sig_client_requested.connect(self.window.open_client)
        page.sig_exported.connect(self.window.preferences.tell_saved)
        return page

    @property
    def reader(self) -> PackReaderPage:
        """The pack reader (this feature's page)."""
        return self.page

    def open_pack(self, client_id: str) -> None:
        """Reader mode: the client's induction pack."""
        self.window.show_page(self.reader)
        self.reader.show_pack(client_id)

    def _on_reader_pdf_clicked(self) -> None:
        self.export_pack("pdf")

    def _on_reader_html_clicked(self) -> None:
        self.export_pack("html")

    def export_pack(self, kind: str) -> None:
        """Asks where to save the pack on screen ("pdf": A4 or Letter, "html"), starting in Documents."""
        from PySide6.QtWidgets import QFileDialog

        from companion.ui.preferences.folders import in_documents

        reader = self.reader
        if reader.view is None:
            return
        filters = {
            "pdf": self.tr("PDF, A4 (*.pdf);;PDF, Letter (*.pdf)"),
            "html": self.tr("Web page (*.html)"),
        }
        name = reader.view.state.pack.client_name
        safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in name).strip() or "pack"
        path, chosen = QFileDialog.getSaveFileName(
            reader,
            self.tr("Save the induction pack"),
            in_documents(f"{safe} induction pack.{kind}"),
            filters[kind],
        )
        if path:
            reader.export(kind, path, "letter" if "Letter" in chosen else "a4")

    def open_current_pack(self) -> None:
        """The pack of the client on screen (or of the meeting on screen), else of the client opened
        last, else of the first one."""
        w = self.window
        current = w.clients.current_client_id() or w.meetings.current_client_id()
        if current:
            self.open_pack(current)
            return
        recent = w.clients.recent()
        if recent or w.clients.rows:
            self.open_pack(recent[0] if recent else w.clients.rows[0][0])
        else:
            QMessageBox.information(
                w,
                self.tr("Induction pack"),
                self.tr("Add a client first (Ctrl+N): a pack is about a client."),
            )
