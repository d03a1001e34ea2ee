"""The main window: client list beside the home page or a client's page, with search, capture and undo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QDate, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from companion.core.attention import attention
from companion.core.changes import ChangeSet
from companion.core.navigation import locate
from companion.model.errors import CompanionError
from companion.model.kinds import SECTIONS, kinds_shown_on
from companion.ui.clients.list_panel import CLIENT_COLUMNS, ClientListPanel
from companion.ui.common.busy import BusyIndicator
from companion.ui.common.edits import EditController
from companion.ui.common.theme import app_icon, set_icon
from companion.ui.common.worker import DbWorker, Failure
from companion.ui.home.page import HomePage
from companion.ui.preferences.update_notice import UpdateChecker, UpdateDialog, UpdateNotice
from companion.ui.security.lock import LockController

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds them
    from companion.ui.clients.page import ClientPageView
    from companion.ui.clients.quick_capture import QuickCaptureDialog
    from companion.ui.induction.reader import PackReaderPage
    from companion.ui.meetings.page import MeetingPageView
    from companion.ui.people.directory import DirectoryPage
    from companion.ui.search.palette import SearchPalette
    from companion.ui.sync.panel import SyncController


RECENT_LIMIT = 8
FIRST_PAINT_GRACE_MS = 50
SHORTCUTS = (
    ("Ctrl+K", "Search everything"),
    ("Ctrl+N", "New client"),
    ("Ctrl+Shift+L", "Log an interaction (quick capture)"),
    ("Ctrl+M", "Plan a meeting"),
    ("Ctrl+I", "Induction pack of the client on screen"),
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z", "Redo"),
    ("Ctrl+H", "Home: what needs attention"),
    ("Ctrl+P", "Everyone, at every client"),
    ("Ctrl+F", "Filter the client list"),
    ("F5", "Sync now (when connected to a server)"),
    ("Ctrl+L", "Lock Companion (also after the idle minutes set in Settings)"),
    ("F1", "Keyboard shortcuts"),
)


class MainWindow(QMainWindow):
    """Companion's one window."""

    sig_ready = Signal()
    """The window is shown with the client list loaded (start-up is measured to here)."""

    def __init__(
        self,
        worker: DbWorker,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        first_paint: tuple[list[tuple], list[tuple]] | None = None,
    ):
        super().__init__(parent)
        self.worker = worker
        self.settings = settings
        self.edits = EditController(worker, self)
        self.clients: list[tuple] = []
        self.colleagues: list[tuple[str, str]] = []
        self._ready = False
        # True once the jobs that follow start-up are done (built-in templates made if missing).
        self.settled = False
        self.sync: SyncController | None = None  # made once settled: it opens a connection of its own
        self.setWindowTitle(self.tr("Companion"))
        self.setWindowIcon(app_icon())
        self._build_ui()
        self._connect_signals()
        self._restore_layout()
        # The attention list waits until the window is up: it needs the services, which load behind it.
        # A short pause lets the first frame paint before the services' imports take the interpreter.
        self.sig_ready.connect(lambda: QTimer.singleShot(FIRST_PAINT_GRACE_MS, self.reload_home))
        self.sig_ready.connect(lambda: QTimer.singleShot(FIRST_PAINT_GRACE_MS, self._ensure_templates))
        if first_paint is not None:
            self._on_clients_loaded(first_paint)
            # The first paint left out aliases and tags; the full list follows once the window is up.
            self.sig_ready.connect(lambda: QTimer.singleShot(FIRST_PAINT_GRACE_MS, self.reload_clients))
        else:
            self.reload_clients()

    # --- building ------------------------------------------------------------------------

    def _action(
        self, name: str, text: str, shortcut: str | None, slot, icon_name: str | None = None
    ) -> QAction:
        action = QAction(self.tr(text), self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if icon_name:
            set_icon(action, icon_name)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_ui(self) -> None:
        self.home_action = self._action("home", "Home", "Ctrl+H", self.show_home, "home")
        self.people_action = self._action("people", "People", "Ctrl+P", self.show_directory, "people")
        self.search_action = self._action("search", "Search…", "Ctrl+K", self.open_palette, "search")
        self.new_client_action = self._action("new_client", "New client…", "Ctrl+N", self.new_client, "add")
        self.capture_action = self._action(
            "capture", "Log interaction…", "Ctrl+Shift+L", self.quick_capture, "capture"
        )
        self.undo_action = self._action("undo", "Undo", "Ctrl+Z", self.edits.undo, "undo")
        self.redo_action = self._action("redo", "Redo", "Ctrl+Shift+Z", self.edits.redo, "redo")
        self.plan_action = self._action(
            "plan_meeting", "Plan meeting…", "Ctrl+M", self.plan_meeting, "calendar"
        )
        self.import_ics_action = self._action(
            "import_ics", "Import meetings from a calendar (.ics)…", None, self.import_calendar, None
        )
        self.templates_action = self._action(
            "templates", "Checklist templates…", None, self.edit_templates, None
        )
        self.pack_action = self._action("pack", "Induction pack", "Ctrl+I", self.open_current_pack, "culture")
        self.sync_action = self._action("sync_now", "Sync now", "F5", self.sync_now, "sync")
        self.connect_action = self._action(
            "sync_connect", "Connect to a sync server…", None, self.connect_server, None
        )
        self.conflicts_action = self._action(
            "sync_conflicts", "Sync conflicts…", None, self.show_conflicts, None
        )
        self.filter_action = self._action("filter", "Filter clients", "Ctrl+F", self._focus_filter, None)
        self.shortcuts_action = self._action(
            "shortcuts", "Keyboard shortcuts", "F1", self.show_shortcuts, None
        )
        self.settings_action = self._action("settings", "Settings…", "Ctrl+,", self.show_settings, None)
        self.lock_action = self._action("lock", "Lock", "Ctrl+L", self.lock_window, None)
        self.backup_action = self._action("backup", "Back up workspace…", None, self.back_up, None)
        self.updates_action = self._action(
            "check_updates", "Check for updates…", None, self.check_for_updates, None
        )
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)

        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (
            self.home_action,
            self.people_action,
            self.search_action,
            self.new_client_action,
            self.plan_action,
            self.capture_action,
            self.pack_action,
        ):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        self.addToolBar(toolbar)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.updates_action)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        edit_menu.addAction(self.lock_action)
        edit_menu.addAction(self.backup_action)
        self.menuBar().insertMenu(help_menu.menuAction(), edit_menu)
        sync_menu = self.menuBar().addMenu(self.tr("&Sync"))
        sync_menu.addActions([self.sync_action, self.connect_action, self.conflicts_action])
        self.menuBar().insertMenu(help_menu.menuAction(), sync_menu)
        meetings_menu = self.menuBar().addMenu(self.tr("&Meetings"))
        meetings_menu.addActions([self.plan_action, self.import_ics_action, self.templates_action])
        self.menuBar().insertMenu(help_menu.menuAction(), meetings_menu)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.client_list = ClientListPanel()
        self.client_list.setMinimumWidth(220)
        self.stack = QStackedWidget()
        self.home = HomePage()
        # The client page and the directory are built when first opened: start-up shows neither.
        self._client_page: ClientPageView | None = None
        self._directory: DirectoryPage | None = None
        self._meeting_page: MeetingPageView | None = None
        self._pack_reader: PackReaderPage | None = None
        self.stack.addWidget(self.home)
        self.splitter.addWidget(self.client_list)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([270, 1000])
        self.setCentralWidget(self.splitter)
        self._palette: SearchPalette | None = None
        self.busy = BusyIndicator(self.worker)
        self.statusBar().addPermanentWidget(self.busy)
        self.update_checker = UpdateChecker(self._data_dir(), self)
        self.update_notice = UpdateNotice()
        self.update_checker.sig_checked.connect(self.update_notice.show_result)
        self.statusBar().addPermanentWidget(self.update_notice)
        self.lock = LockController(self, self.settings, self._workspace_passphrase)
        # An administrator who locks update checks off takes the menu entry away too.
        self.updates_action.setVisible(not self._updates_locked_off())

    def _connect_signals(self) -> None:
        self.client_list.sig_client_activated.connect(self.open_client)
        self.edits.sig_changed.connect(self._on_edits_changed)
        self.edits.sig_failed.connect(self.show_failure)
        self.edits.sig_undo_state_changed.connect(self._on_edits_undo_state_changed)
        self.worker.sig_failed.connect(self.show_failure)
        self.home.sig_item_activated.connect(lambda item: self.open_record(item.kind, item.record_id))

    @property
    def palette_dialog(self) -> SearchPalette:
        if self._palette is None:
            from companion.ui.search.palette import SearchPalette

            self._palette = SearchPalette(self.worker, self)
            self._palette.sig_result_chosen.connect(self.open_record)
        return self._palette

    @property
    def client_page(self) -> ClientPageView:
        if self._client_page is None:
            from companion.ui.clients.page import ClientPageView

            page = ClientPageView(self.edits)
            page.people.exports_allowed = self._exports_allowed()
            page.colleagues = self.colleagues
            page.clients = [(c[0], c[1]) for c in self.clients]
            page.sig_closed.connect(self.show_home)
            page.sig_pin_toggled.connect(self._on_client_page_pin_toggled)
            page.sig_log_requested.connect(self.quick_capture)
            page.sig_meeting_opened.connect(self.open_meeting)
            page.sig_pack_requested.connect(self.open_pack)
            page.sig_plan_requested.connect(self.plan_meeting)
            self.stack.addWidget(page)
            self._client_page = page
        return self._client_page

    @property
    def pack_reader(self) -> PackReaderPage:
        if self._pack_reader is None:
            from companion.ui.induction.reader import PackReaderPage

            page = PackReaderPage(self.edits, self.settings)
            self._guard_exports(page.pdf_button, page.html_button)
            page.sig_client_requested.connect(self.open_client)
            page.sig_exported.connect(
                lambda path: self.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)
            )
            self.stack.addWidget(page)
            self._pack_reader = page
        return self._pack_reader

    @property
    def meeting_page(self) -> MeetingPageView:
        if self._meeting_page is None:
            from companion.ui.meetings.page import MeetingPageView

            page = MeetingPageView(self.edits)
            self._guard_exports(page.pdf_button, page.ics_button)
            page.sig_closed.connect(self.show_home)
            page.sig_client_requested.connect(lambda client_id: self.open_client(client_id, "meetings"))
            page.sig_log_requested.connect(self.log_meeting)
            page.sig_exported.connect(
                lambda path: self.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)
            )
            self.stack.addWidget(page)
            self._meeting_page = page
        return self._meeting_page

    @property
    def directory(self) -> DirectoryPage:
        if self._directory is None:
            from companion.ui.people.directory import DirectoryPage

            self._directory = DirectoryPage(self.worker)
            self._directory.sig_person_activated.connect(
                lambda contact_id: self.open_record("contact", contact_id)
            )
            self.stack.addWidget(self._directory)
        return self._directory

    def _showing_client(self) -> bool:
        return self._client_page is not None and self.stack.currentWidget() is self._client_page

    # --- loading -------------------------------------------------------------------------

    def _on_clients_loaded(self, result: tuple[list[tuple], list[tuple]]) -> None:
        self.clients, self.colleagues = result
        self.client_list.set_clients(self.clients)
        self.client_list.set_owners(self.colleagues)
        if self._client_page is not None:
            self._client_page.colleagues = self.colleagues
            self._client_page.clients = [(c[0], c[1]) for c in self.clients]
        self._apply_marks()
        if not self._ready:
            self._ready = True
            QTimer.singleShot(0, self.sig_ready.emit)

    def reload_clients(self) -> None:
        self.worker.submit(
            lambda ws: (
                ws.columns(kind="client", fields=CLIENT_COLUMNS),
                [tuple(r) for r in ws.columns(kind="colleague", fields=("id", "name"))],
            ),
            self._on_clients_loaded,
        )

    def reload_home(self) -> None:
        self.worker.submit(lambda ws: attention(ws), self.home.set_items)

    def _ensure_templates(self) -> None:
        from companion.core.templates import ensure_built_in_templates

        def done(changes: ChangeSet) -> None:
            self.edits.announce_derived(changes)
            self._report_settings_problems()
            self._start_sync()
            if self.update_checker.enabled():
                self.update_checker.start()
            self.arm_idle_lock()
            self.settled = True

        self.worker.submit(ensure_built_in_templates, done)

    def _on_edits_changed(self, changes: ChangeSet) -> None:
        kinds = {c.kind for c in changes.changes}
        if kinds & kinds_shown_on("client_list"):
            self.reload_clients()
        self.reload_home()
        if self._showing_client():
            self.client_page.on_changed(changes)
        if self._meeting_page is not None and self.stack.currentWidget() is self._meeting_page:
            self._meeting_page.on_changed(changes)
        if self._pack_reader is not None and self.stack.currentWidget() is self._pack_reader:
            self._pack_reader.on_changed(changes)
        if self._directory is not None:
            self._directory.on_changed(kinds)
        if not changes.derived:
            self.statusBar().showMessage(
                self.tr("Saved: {0}").format(changes.label or self.tr("change")), 3000
            )

    def _on_edits_undo_state_changed(self, undo_label: str, redo_label: str) -> None:
        self.undo_action.setEnabled(bool(undo_label))
        self.redo_action.setEnabled(bool(redo_label))
        self.undo_action.setText(
            self.tr("Undo {0}").format(undo_label.lower()) if undo_label else self.tr("Undo")
        )
        self.redo_action.setText(
            self.tr("Redo {0}").format(redo_label.lower()) if redo_label else self.tr("Redo")
        )

    # --- navigation ----------------------------------------------------------------------

    def show_home(self) -> None:
        self.stack.setCurrentWidget(self.home)
        self.reload_home()

    def show_directory(self) -> None:
        self.stack.setCurrentWidget(self.directory)

    def open_client(self, client_id: str, section: str | None = None) -> None:
        self.stack.setCurrentWidget(self.client_page)
        self.client_page.show_client(client_id)
        if section in SECTIONS:
            self.client_page.tabs.setCurrentIndex(SECTIONS.index(section))
        recent = [client_id] + [c for c in self._list_setting("recent") if c != client_id]
        self.settings.setValue("recent", recent[:RECENT_LIMIT])
        self._apply_marks()
        self.client_list.select(client_id)

    def open_pack(self, client_id: str) -> None:
        """Reader mode: the client's induction pack."""
        self.stack.setCurrentWidget(self.pack_reader)
        self.pack_reader.show_pack(client_id)

    def open_current_pack(self) -> None:
        """The pack of the client on screen, else of the client opened last, else of the first one."""
        if self._showing_client():
            self.open_pack(self.client_page.client_id)
            return
        if self._meeting_page is not None and self.stack.currentWidget() is self._meeting_page:
            page = self._meeting_page.page
            if page is not None:
                self.open_pack(str(page.meeting["client_id"]))
                return
        known = {c[0] for c in self.clients}
        recent = [c for c in self._list_setting("recent") if c in known]
        if recent or self.clients:
            self.open_pack(recent[0] if recent else self.clients[0][0])
        else:
            QMessageBox.information(
                self,
                self.tr("Induction pack"),
                self.tr("Add a client first (Ctrl+N): a pack is about a client."),
            )

    def open_meeting(self, meeting_id: str) -> None:
        self.stack.setCurrentWidget(self.meeting_page)
        self.meeting_page.show_meeting(meeting_id)

    def open_record(self, kind: str, record_id: str) -> None:
        def located(location) -> None:
            if location.meeting_id:
                self.open_meeting(location.meeting_id)
                return
            if location.client_id is None:
                from companion.ui.common.edit_dialog import EditRecordDialog

                EditRecordDialog(self.edits, kind, record_id, parent=self).open()
                return
            self.open_client(location.client_id, location.section)
            if location.contact_id:
                self.client_page._on_people_person_selected(location.contact_id)

        self.worker.submit(lambda ws: locate(ws, kind=kind, record_id=record_id), located)

    def open_palette(self) -> None:
        self.palette_dialog.open_palette()

    def _focus_filter(self) -> None:
        self.client_list.search.setFocus()
        self.client_list.search.selectAll()

    def new_client(self):
        from companion.ui.common.record_dialog import NewRecordDialog

        dialog = NewRecordDialog(
            self.edits,
            "client",
            fields=("name", "aliases", "industry", "website", "status", "tags", "owner_id", "summary"),
            initial={"status": "prospect"},
            ref_choices=lambda f: self.colleagues if f.ref_kind == "colleague" else [],
            parent=self,
        )
        dialog.accepted.connect(lambda: dialog.created_id and self.open_client(dialog.created_id))
        dialog.open()
        return dialog

    def quick_capture(self, client_id: str | None = None) -> QuickCaptureDialog:
        from companion.ui.clients.quick_capture import QuickCaptureDialog

        current = client_id or (self.client_page.client_id if self._showing_client() else None)
        dialog = QuickCaptureDialog(self.edits, [(c[0], c[1]) for c in self.clients], current, parent=self)
        dialog.open()
        return dialog

    def plan_meeting(self, client_id: str | None = None):
        from companion.ui.meetings.plan_dialog import PlanMeetingDialog

        if not self.clients:
            QMessageBox.information(
                self,
                self.tr("Plan a meeting"),
                self.tr("Add a client first (Ctrl+N): a meeting is with a client."),
            )
            return None
        current = client_id or (self.client_page.client_id if self._showing_client() else None)
        dialog = PlanMeetingDialog(self.edits, [(c[0], c[1]) for c in self.clients], current, parent=self)
        dialog.accepted.connect(lambda: dialog.created_id and self.open_meeting(dialog.created_id))
        dialog.open()
        return dialog

    def log_meeting(self, meeting_id: str):
        from companion.ui.clients.quick_capture import QuickCaptureDialog

        dialog = QuickCaptureDialog(self.edits, [(c[0], c[1]) for c in self.clients], None, parent=self)
        dialog.for_meeting(meeting_id)
        dialog.open()
        return dialog

    def import_calendar(self, path: str | None = None) -> None:
        """Meetings from an .ics file, as one undoable step; says what it could not place."""
        from PySide6.QtWidgets import QFileDialog

        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import meetings from a calendar"), "", self.tr("iCalendar (*.ics)")
            )
            if not path:
                return
        chosen = path
        # Events whose attendees nobody here knows go to the client on screen, if one is.
        fallback = self.client_page.client_id if self._showing_client() else None
        reports: list = []  # filled on the worker, read here once the job is done

        def job(ws):
            from pathlib import Path

            from companion.core.meetings import import_calendar
            from companion.interchange.ics import read_ics

            reports.append(import_calendar(ws, events=read_ics(Path(chosen)), client_id=fallback))
            return reports[-1].changes

        def imported(_changes) -> None:
            from companion.core.meetings import UNKNOWN_CLIENT

            report = reports[-1]
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
                QMessageBox.Icon.Information, self.tr("Calendar imported"), "\n".join(lines), parent=self
            )
            box.open()

        self.edits.run(job, on_done=imported)

    def back_up(self, path: str | None = None) -> None:
        """A consistent copy of the workspace, taken while it stays open, encrypted as it is (the
        command line's `companion backup`; a copy for another computer is made there, with a passphrase)."""
        from PySide6.QtWidgets import QFileDialog

        if self.worker.workspace is None:
            return
        if path is None:
            stamp = QDate.currentDate().toString("yyyy-MM-dd")
            suggested = str(Path.home() / f"companion-{stamp}.companion")
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Back up workspace"), suggested, self.tr("Companion backup (*.companion)")
            )
            if not path:
                return
        target = Path(path)

        def job(ws):
            from companion.app import workspace_files

            return workspace_files.backup_open(ws, target)

        self.worker.submit(job, lambda outcome: self.statusBar().showMessage(outcome.message, 10000))

    def edit_templates(self):
        from companion.ui.meetings.templates_dialog import TemplatesDialog

        dialog = TemplatesDialog(self.edits, parent=self)
        dialog.open()
        return dialog

    def _data_dir(self) -> Path:
        return Path(self.settings.fileName()).parent

    def show_settings(self):
        from companion.ui.preferences.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self._data_dir(), self)
        dialog.accepted.connect(self.arm_idle_lock)
        dialog.open()
        return dialog

    # --- locking ---------------------------------------------------------------------------

    def _workspace_passphrase(self) -> str | None:
        from companion.app.opener import passphrase_of

        workspace = self.worker.workspace
        return passphrase_of(workspace) if workspace is not None else None

    def choose_unlock_passphrase(self, why: str):
        """The passphrase that unlocks the window, for workspaces whose key is in the keyring (or plain)."""
        from companion.ui.security.unlock import PassphraseDialog

        dialog = PassphraseDialog(why, confirm=True, parent=self)
        dialog.setWindowTitle(self.tr("Choose an unlock passphrase"))
        dialog.accepted.connect(lambda: self.lock.secret.choose(dialog.passphrase.text()))
        return dialog

    def lock_window(self) -> None:
        """Ctrl+L: hides the workspace until the passphrase is typed (one is chosen the first time)."""
        if self.lock.lock():
            return
        dialog = self.choose_unlock_passphrase(
            self.tr("Choose the passphrase that unlocks Companion after it locks. It is asked for only then.")
        )
        dialog.accepted.connect(self.lock.lock)
        dialog.open()

    def arm_idle_lock(self) -> None:
        """Locks after the idle minutes in the settings; asks for an unlock passphrase if none exists yet."""
        from companion.app import settings

        minutes = int(settings.load(self._data_dir()).value("ui.lock_after_minutes"))
        self.lock.set_idle_minutes(minutes)
        if minutes > 0 and not self.lock.can_lock():
            dialog = self.choose_unlock_passphrase(
                self.tr("Companion locks itself after {0} idle minutes. Choose the passphrase that unlocks it.")
                .format(minutes)
            )  # fmt: skip
            unarmed = self.tr(
                "Companion cannot lock itself when idle until you choose an unlock passphrase (Edit → Lock)."
            )
            dialog.rejected.connect(lambda: self.statusBar().showMessage(unarmed))
            dialog.open()

    def _exports_allowed(self) -> bool:
        from companion.app import settings

        return bool(settings.load(self._data_dir()).value("exports.allowed"))

    def _updates_locked_off(self) -> bool:
        from companion.app import settings

        loaded = settings.load(self._data_dir())
        return loaded.value("updates.check") is False and loaded.lock_reason("updates.check") is not None

    def check_for_updates(self) -> UpdateDialog:
        dialog = UpdateDialog(self.update_checker, self)
        dialog.open()
        return dialog

    def _guard_exports(self, *buttons) -> None:
        """Export buttons go when an admin turned exports off (companion.app.settings)."""
        if not self._exports_allowed():
            for button in buttons:
                button.setVisible(False)

    def _report_settings_problems(self) -> None:
        """A site or user settings file that cannot be read: the app runs on the other layers and
        says which file and line (companion.app.settings)."""
        from companion.app import settings

        if self.worker.workspace is None:
            return
        problems = settings.load(self.worker.workspace.path.parent).problems
        if problems:
            self.statusBar().showMessage(self.tr("Settings: {0}").format(" · ".join(problems)))

    # --- sync ------------------------------------------------------------------------------------

    def _start_sync(self) -> None:
        from companion.ui.sync.panel import SyncController

        if self.sync is not None or self.worker.workspace is None:
            return
        self.sync = SyncController(self.worker.workspace.path, self.worker, self)
        self.statusBar().insertPermanentWidget(0, self.sync.indicator)
        self.sync.sig_synced.connect(self._on_sync_synced)
        self.sync.sig_failed.connect(self.show_failure)
        self.sync.start()

    def sync_now(self) -> None:
        if self.sync is None:
            return
        if not self.sync.state.get("server"):
            self.connect_server()
            return
        self.sync.sync_now()

    def connect_server(self):
        return self.sync.connect_dialog(self) if self.sync is not None else None

    def show_conflicts(self):
        return self.sync.conflicts_dialog(self, self.edits) if self.sync is not None else None

    def _on_sync_synced(self, summary) -> None:
        """What arrived from the team shows at once; the edits sent need nothing."""
        if not summary.pulled:
            return
        self.reload_clients()
        self.reload_home()
        for page in (self._client_page, self._meeting_page, self._pack_reader):
            if page is not None and self.stack.currentWidget() is page:
                page.reload()
        if self._directory is not None:
            self._directory.on_changed({"contact"})

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;{self.tr(text)}</td></tr>" for keys, text in SHORTCUTS
        )
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), f"<table>{rows}</table>")

    # --- pinned and recent clients -------------------------------------------------------

    def _list_setting(self, key: str) -> list[str]:
        value = self.settings.value(key, [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value or []]

    def _apply_marks(self) -> None:
        pinned = self._list_setting("pinned")
        self.client_list.set_marks(pinned=pinned, recent=self._list_setting("recent"))
        if self._client_page is not None and self._client_page.client_id:
            self._client_page.set_pinned(self._client_page.client_id in pinned)

    def _on_client_page_pin_toggled(self, client_id: str) -> None:
        pinned = self._list_setting("pinned")
        pinned = [c for c in pinned if c != client_id] if client_id in pinned else [*pinned, client_id]
        self.settings.setValue("pinned", pinned)
        self._apply_marks()

    # --- errors and layout ---------------------------------------------------------------

    def show_failure(self, failure: Failure) -> None:
        """Expected problems are explained; anything else is logged and shown with its details."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        if isinstance(failure.error, CompanionError):
            box.setWindowTitle(self.tr("That did not work"))
            box.setText(str(failure.error))
        else:
            import logging  # only on this rare path: start-up does not pay for it

            logging.getLogger(__name__).error("Unexpected error\n%s", failure.details)
            box.setWindowTitle(self.tr("Something went wrong"))
            box.setText(self.tr("Companion hit an unexpected problem. Nothing was half-saved."))
            box.setDetailedText(failure.details)
        box.open()

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 720)
        state = self.settings.value("window/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)

    def closeEvent(self, event) -> None:
        if self.sync is not None:
            self.sync.stop()
            self.sync = None
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)
