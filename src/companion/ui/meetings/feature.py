"""Meetings: planning, the meeting page, checklist templates, importing meetings from a calendar file."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from companion.ui.common.feature import PageFeature

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds them
    from companion.core.meetings import CalendarImport
    from companion.ui.meetings.page import MeetingPageView
    from companion.ui.meetings.plan_dialog import PlanMeetingDialog
    from companion.ui.meetings.templates_dialog import TemplatesDialog


class MeetingsFeature(PageFeature):
    """The Meetings menu and the meeting page."""

    def install(self) -> None:
        w = self.window
        self.last_import: CalendarImport | None = None
        self.plan_action = w.add_action(
            "plan_meeting", "Plan meeting…", "Ctrl+M", self._on_plan_triggered, icon="calendar",
            menu="&Meetings", help="Plan a meeting",
        )  # fmt: skip
        self.import_ics_action = w.add_action(
            "import_ics", "Import meetings from a calendar (.ics)…", None, self._on_import_triggered,
            menu="&Meetings",
        )  # fmt: skip
        self.templates_action = w.add_action(
            "templates", "Checklist templates…", None, self.edit_templates, menu="&Meetings"
        )

    def make_page(self) -> MeetingPageView:
        from companion.ui.meetings.page import MeetingPageView

        page = MeetingPageView(self.window.edits)
        self.window.preferences.guard_exports(page.pdf_button, page.ics_button)
        page.sig_closed.connect(self.window.show_home)
        page.sig_client_requested.connect(self._on_page_client_requested)
        page.sig_log_requested.connect(self.window.clients.log_meeting)
        page.sig_exported.connect(self.window.preferences.tell_saved)
        return page

    def current_client_id(self) -> str | None:
        """The client of the meeting on screen, if one is."""
        if self.showing() and self._page.page is not None:
            return str(self._page.page.meeting["client_id"])
        return None

    def open_meeting(self, meeting_id: str) -> None:
        self.window.show_page(self.page)
        self.page.show_meeting(meeting_id)

    def _on_page_client_requested(self, client_id: str) -> None:
        self.window.open_client(client_id, "meetings")

    # --- dialogs -----------------------------------------------------------------------------

    def _on_plan_triggered(self) -> None:
        self.plan_meeting()

    def plan_meeting(self, client_id: str | None = None) -> PlanMeetingDialog | None:
        from companion.ui.meetings.plan_dialog import PlanMeetingDialog

        clients = self.window.clients
        if not clients.rows:
            QMessageBox.information(
                self.window,
                self.tr("Plan a meeting"),
                self.tr("Add a client first (Ctrl+N): a meeting is with a client."),
            )
            return None
        current = client_id or clients.current_client_id()
        dialog = PlanMeetingDialog(self.window.edits, clients.names(), current, parent=self.window)
        dialog.accepted.connect(lambda: dialog.created_id and self.open_meeting(dialog.created_id))
        dialog.open()
        return dialog

    def edit_templates(self) -> TemplatesDialog:
        from companion.ui.meetings.templates_dialog import TemplatesDialog

        dialog = TemplatesDialog(self.window.edits, parent=self.window)
        dialog.open()
        return dialog

    def _on_import_triggered(self) -> None:
        self.import_calendar()

    def import_calendar(self, path: str | None = None) -> None:
        """Meetings from an .ics file, as one undoable step; says what it could not place."""
        from PySide6.QtWidgets import QFileDialog

        from companion.ui.preferences.folders import documents_dir

        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self.window,
                self.tr("Import meetings from a calendar"),
                str(documents_dir()),
                self.tr("iCalendar (*.ics)"),
            )
            if not path:
                return
        from companion.ui.meetings import operations

        # Events whose attendees nobody here knows go to the client on screen, if one is.
        job = partial(
            operations.import_calendar, path=Path(path), client_id=self.window.clients.current_client_id()
        )
        self.window.edits.run(job, on_done=self._on_calendar_imported)

    def _on_calendar_imported(self, report: CalendarImport) -> None:
        from companion.core.meetings import UNKNOWN_CLIENT

        lines = [self.tr("{0} added, {1} updated.").format(len(report.created), len(report.updated))]
        for title, why in report.skipped:
            lines.append(self.tr("Skipped “{0}”: {1}").format(title, why))
            if why == UNKNOWN_CLIENT:
                lines.append(self.tr("  Open that client's page, then import the file again."))
        if report.unmatched:
            lines.append(self.tr("Not matched to anyone here:"))
            lines += [f"  {who} ({title})" for title, who in report.unmatched[:20]]
        self.last_import = report
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("Calendar imported"), "\n".join(lines), parent=self.window
        )
        box.open()
