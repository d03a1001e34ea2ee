"""Meetings: planning, the meeting page, checklist templates, importing meetings from a calendar file."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from companion.ui.common.feature import PageFeature

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds them
    from companion.core.calendar_import import CalendarImport
    from companion.ui.meetings.page import MeetingPageView
    from companion.ui.meetings.plan_dialog import PlanMeetingDialog
    from companion.ui.meetings.templates_dialog import TemplatesDialog


# What the summary after an import lists; the rest are under Show Details….
SKIPPED_SHOWN = 12


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

    def import_calendar(self, path: str | None = None, *, days: int | None = None) -> None:
        """Meetings from an .ics file, as one undoable step; a file with recurring series first asks over
        how many days (unless `days` is given); afterwards says what it skipped and why."""
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
        if days is not None:
            self._import_calendar(path, days)
            return
        from companion.ui.meetings import operations

        self.window.worker.submit(
            partial(operations.calendar_series, path=Path(path)),
            partial(self._on_series_counted, path),
            self.window.show_failure,
        )

    def _on_series_counted(self, path: str, series: int) -> None:
        from companion.core.calendar_import import DEFAULT_WINDOW_DAYS

        if not series:
            self._import_calendar(path, DEFAULT_WINDOW_DAYS)
            return
        from companion.ui.meetings.calendar_window_dialog import CalendarWindowDialog

        dialog = CalendarWindowDialog(Path(path).name, series, DEFAULT_WINDOW_DAYS, parent=self.window)
        dialog.accepted.connect(lambda: self._import_calendar(path, dialog.window_days()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _import_calendar(self, path: str, days: int) -> None:
        from companion.ui.meetings import operations

        # Events whose attendees nobody here knows go to the client on screen, if one is.
        job = partial(
            operations.import_calendar,
            path=Path(path),
            client_id=self.window.clients.current_client_id(),
            days=days,
        )
        self.window.edits.run(job, on_done=self._on_calendar_imported)

    def _on_calendar_imported(self, report: CalendarImport) -> None:
        from companion.core.calendar_import import UNKNOWN_CLIENT

        lines = [self.tr("{0} added, {1} updated.").format(len(report.created), len(report.updated))]
        if report.cancelled:
            lines.append(
                self.tr("{0} marked cancelled, as the calendar cancelled them.").format(len(report.cancelled))
            )
        if report.series and report.window:
            first, last = report.window
            lines.append(
                self.tr("{0} recurring series: their meetings from {1} to {2}.").format(
                    report.series, f"{first:%a %d %b %Y}", f"{last:%a %d %b %Y}"
                )
            )
        details = []
        if report.skipped:
            lines.append(self.tr("Skipped from {0}, and why:").format(report.source))
            for skipped in report.skipped[:SKIPPED_SHOWN]:
                lines.append(f"  {skipped}")
            if len(report.skipped) > SKIPPED_SHOWN:
                lines.append(
                    self.tr("  and {0} more (Show Details…)").format(len(report.skipped) - SKIPPED_SHOWN)
                )
            details += [str(skipped) for skipped in report.skipped]
            if any(s.reason == UNKNOWN_CLIENT for s in report.skipped):
                lines.append(
                    self.tr(
                        "Events whose client is unclear: open that client's page, then import the file again."
                    )
                )
        if report.unmatched:
            lines.append(self.tr("Not matched to anyone here:"))
            lines += [f"  {who} ({title})" for title, who in report.unmatched[:SKIPPED_SHOWN]]
            details += [f"{who} ({title})" for title, who in report.unmatched]
        self.last_import = report
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("Calendar imported"), "\n".join(lines), parent=self.window
        )
        box.setObjectName("calendar_imported_box")
        if len(details) > SKIPPED_SHOWN:
            box.setDetailedText("\n".join(details))
        box.open()
