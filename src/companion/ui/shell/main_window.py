"""The main window: the shell that places each feature's actions, menus and pages; undo, redo and errors.

The features (home, search, clients, people, meetings, induction, sync, preferences, security) make their
own actions and pages; the shell owns the layout (menus, toolbar, the client list beside the page on
screen), the edit controller, navigation between pages, and what the person sees when something fails.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QStackedWidget, QToolBar, QWidget

from companion.core.changes import ChangeSet
from companion.model.errors import CompanionError
from companion.ui.clients.feature import ClientsFeature
from companion.ui.common.busy import BusyIndicator
from companion.ui.common.edits import EditController
from companion.ui.common.feature import Feature
from companion.ui.common.theme import app_icon, set_icon
from companion.ui.common.worker import DbWorker, Failure
from companion.ui.home.feature import HomeFeature
from companion.ui.induction.feature import InductionFeature
from companion.ui.meetings.feature import MeetingsFeature
from companion.ui.people.feature import PeopleFeature
from companion.ui.portfolio.feature import PortfolioFeature
from companion.ui.preferences.feature import PreferencesFeature
from companion.ui.sales.feature import SalesFeature
from companion.ui.search.feature import SearchFeature
from companion.ui.security.feature import SecurityFeature
from companion.ui.shell.integrity_watch import IntegrityWatch
from companion.ui.sync.feature import SyncFeature
from companion.ui.team.feature import TeamFeature

# A short pause after the window is up lets the first frame paint before the services' imports take
# the interpreter.
FIRST_PAINT_GRACE_MS = 50
# The order F1 lists the shortcuts in (by action name); shortcuts of actions not named here come last.
SHORTCUT_ORDER = (
    "search", "new_client", "capture", "plan_meeting", "pack", "undo", "redo", "home", "people", "sales",
    "portfolio", "work_list", "filter", "sync_now", "lock", "shortcuts", "quit",
)  # fmt: skip
# The menu bar and the toolbar, in order: which feature's actions go where is the shell's layout.
MENUS = ("&File", "&Edit", "&Sync", "&Meetings", "&Sales", "&Help")
TOOLBAR = (
    "home", "people", "sales", "portfolio", "search", "new_client", "plan_meeting", "capture", "pack", None, "undo", "redo",
)  # fmt: skip


class MainWindow(QMainWindow):
    """Companion's one window."""

    sig_ready = Signal()
    """The window is shown with the client list loaded (start-up is measured to here)."""
    sig_client_list_loaded = Signal()
    """The client list was (re)loaded: `clients.rows` holds what it shows."""

    def __init__(
        self,
        worker: DbWorker,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        first_paint: tuple | None = None,
    ):
        """`first_paint`: the client list read before the services loaded (ClientsFeature)."""
        super().__init__(parent)
        self.worker = worker
        self.settings = settings
        self.edits = EditController(worker, self)
        self._ready = False
        # True once the jobs that follow start-up are done (built-in templates made if missing).
        self.settled = False
        self._shortcut_help: dict[str, tuple[str, str]] = {}  # action name → (keys, what it does)
        self.setWindowTitle(self.tr("Companion"))
        self.setWindowIcon(app_icon())
        self._build_ui()
        self.home = HomeFeature(self)
        self.search = SearchFeature(self)
        self.clients = ClientsFeature(self, first_paint)
        self.people = PeopleFeature(self)
        self.sales = SalesFeature(self)
        self.portfolio = PortfolioFeature(self)
        self.meetings = MeetingsFeature(self)
        self.induction = InductionFeature(self)
        self.sync = SyncFeature(self)
        self.preferences = PreferencesFeature(self)
        self.security = SecurityFeature(self)
        self.team = TeamFeature(self)
        self.features: tuple[Feature, ...] = (
            self.home,
            self.search,
            self.clients,
            self.people,
            self.sales,
            self.portfolio,
            self.meetings,
            self.induction,
            self.sync,
            self.team,
            self.preferences,
            self.security,
        )
        for feature in self.features:
            feature.install()
        self.integrity_watch = IntegrityWatch(self)  # SQLite's quick_check now and then, off the DB thread
        self._place()
        self._connect_signals()
        self._restore_layout()
        self.after_first_paint(self._settle)

    # --- building ------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.menus = {title: self.menuBar().addMenu(self.tr(title)) for title in MENUS}
        self.about_action = self.add_action(
            "about", "About Companion", None, self._on_about_triggered, menu="&File"
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)  # macOS puts it in the app menu
        self.menus["&File"].addSeparator()
        self.quit_action = self.add_action(
            "quit", "Quit", "Ctrl+Q", self._on_quit_triggered, menu="&File", help="Quit Companion"
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self.add_action(
            "undo", "Undo", "Ctrl+Z", self.edits.undo, icon="undo", help="Undo"
        )
        self.redo_action = self.add_action(
            "redo", "Redo", "Ctrl+Shift+Z", self.edits.redo, icon="redo", help="Redo"
        )
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.menus["&Edit"].addActions([self.undo_action, self.redo_action])
        self.menus["&Edit"].addSeparator()
        self.shortcuts_action = self.add_action(
            "shortcuts",
            "Keyboard shortcuts",
            "F1",
            self.show_shortcuts,
            menu="&Help",
            help="Keyboard shortcuts",
        )
        self.stack = QStackedWidget()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.busy = BusyIndicator(self.worker)
        self.statusBar().addPermanentWidget(self.busy)

    def add_action(
        self,
        name: str,
        text: str,
        shortcut: str | None,
        slot,
        *,
        icon: str | None = None,
        menu: str | None = None,
        help: str | None = None,
    ) -> QAction:
        """An action of the window: its shortcut works wherever the focus is in it; `menu` puts it in
        that menu (MENUS); `help` lists the shortcut under F1."""
        action = QAction(self.tr(text), self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if help:
                self._shortcut_help[name] = (shortcut, help)
        if icon:
            set_icon(action, icon)
        action.triggered.connect(slot)
        self.addAction(action)
        if menu:
            self.menus[menu].addAction(action)
        return action

    def _place(self) -> None:
        """The toolbar from the features' actions, the client list beside the pages."""
        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        actions = {a.objectName(): a for a in self.actions()}
        for name in TOOLBAR:
            if name is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(actions[name])
        self.addToolBar(toolbar)
        # The menu bar's order is fixed up front (MENUS); a menu no feature uses stays out of sight.
        for menu in self.menus.values():
            menu.menuAction().setVisible(not menu.isEmpty())
        # The client list, or a campaign's work list in its place (the sales feature's switch).
        self.splitter.addWidget(self.sales.side)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([270, 1000])
        self.setCentralWidget(self.splitter)

    def _connect_signals(self) -> None:
        self.edits.sig_changed.connect(self._on_edits_changed)
        self.edits.sig_failed.connect(self.show_failure)
        self.edits.sig_undo_state_changed.connect(self._on_edits_undo_state_changed)
        self.edits.sig_done.connect(self._on_edits_done)
        self.worker.sig_failed.connect(self.show_failure)

    # --- pages ---------------------------------------------------------------------------

    def add_page(self, page: QWidget) -> None:
        self.stack.addWidget(page)

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)

    def showing(self, page: QWidget | None) -> bool:
        """Whether this page is the one on screen."""
        return page is not None and self.stack.currentWidget() is page

    @property
    def data_dir(self) -> Path:
        """The folder of the workspace and of the window's own settings."""
        return Path(self.settings.fileName()).parent

    # --- start-up ------------------------------------------------------------------------

    def after_first_paint(self, slot) -> None:
        """Runs `slot` a moment after the window is ready: the jobs that need the services wait until
        the first frame is on screen."""
        self.sig_ready.connect(lambda: QTimer.singleShot(FIRST_PAINT_GRACE_MS, slot))

    def client_list_loaded(self) -> None:
        """A client list is on screen (sig_client_list_loaded); the first one ends start-up (sig_ready)."""
        if not self._ready:
            self._ready = True
            QTimer.singleShot(0, self.sig_ready.emit)
        self.sig_client_list_loaded.emit()

    def _settle(self) -> None:
        from companion.ui.shell import operations  # here, not at start-up

        def done(changes: ChangeSet) -> None:
            self.edits.announce_derived(changes)
            for feature in self.features:
                feature.on_settled()
            self.settled = True

        self.worker.submit(operations.add_missing_templates, done)

    # --- changes -------------------------------------------------------------------------

    def _on_edits_changed(self, changes: ChangeSet) -> None:
        kinds = frozenset(c.kind for c in changes.changes)
        for feature in self.features:
            feature.on_changed(changes, kinds)

    def _on_edits_done(self, deed: str, label: str) -> None:
        said = {
            "saved": self.tr("Saved: {0}"),
            "undone": self.tr("Undone: {0}"),
            "redone": self.tr("Redone: {0}"),
        }
        self.statusBar().showMessage(said[deed].format(label or self.tr("change")), 3000)

    def team_changed(self) -> None:
        """A sync brought the team's changes: every feature shows them at once."""
        for feature in self.features:
            feature.on_team_changes()

    def _on_edits_undo_state_changed(self, undo_label: str, redo_label: str) -> None:
        self.undo_action.setEnabled(bool(undo_label))
        self.redo_action.setEnabled(bool(redo_label))
        # "Undo start the campaign Spring push": the label's verb in lower case, names as written.
        self.undo_action.setText(
            self.tr("Undo {0}").format(undo_label[:1].lower() + undo_label[1:])
            if undo_label
            else self.tr("Undo")
        )
        self.redo_action.setText(
            self.tr("Redo {0}").format(redo_label[:1].lower() + redo_label[1:])
            if redo_label
            else self.tr("Redo")
        )

    # --- navigation: what features ask of each other ---------------------------------------

    def show_home(self) -> None:
        self.home.show()

    def show_directory(self) -> None:
        self.people.show_directory()

    def open_client(self, client_id: str, section: str | None = None) -> None:
        self.clients.open_client(client_id, section)

    def open_meeting(self, meeting_id: str) -> None:
        self.meetings.open_meeting(meeting_id)

    def open_pack(self, client_id: str) -> None:
        self.induction.open_pack(client_id)

    def open_record(self, kind: str, record_id: str) -> None:
        """The page that shows this record (the kinds table says where) with its form open over it, or
        its form alone; a client, a person and a meeting open on their page, where they are edited, and a
        workspace-wide record of the Sales page (a proposition, a cohort, a campaign) selected there."""
        from companion.model.kinds import get_kind
        from companion.ui.shell import operations

        def located(location) -> None:
            if location.meeting_id:
                self.open_meeting(location.meeting_id)
                return
            if location.client_id is None:
                # Of no client and shown on the Sales page: opened there, if one of its tabs lists it.
                if "sales" in get_kind(kind).shown_on and self.sales.show_record(kind, record_id):
                    return
                if "portfolio" in get_kind(kind).shown_on and self.portfolio.show_record(kind, record_id):
                    return
                from companion.ui.common.edit_dialog import EditRecordDialog

                EditRecordDialog(self.edits, kind, record_id, parent=self).open()
                return
            self.open_client(location.client_id, location.section)
            if location.contact_id:
                self.clients.page.show_person(location.contact_id)
            self.clients.page.edit_record(kind, record_id)

        self.worker.submit(partial(operations.locate, kind=kind, record_id=record_id), located)

    # --- the File menu ---------------------------------------------------------------------

    def _on_quit_triggered(self) -> None:
        # Closing the window saves its layout and stops the features; the app ends with its last window.
        self.close()

    def _on_about_triggered(self) -> None:
        self.show_about()

    @property
    def workspace_file(self) -> Path:
        """The workspace file open in this window."""
        if self.worker.workspace is not None:
            return Path(self.worker.workspace.path)
        from companion.app.config import workspace_path

        return workspace_path(self.data_dir)

    def show_about(self) -> QMessageBox:
        """The version, the data folder and the workspace file (and the sync server, when connected)."""
        import html

        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from companion import __version__

        rows = [
            (self.tr("Data folder"), str(self.data_dir)),
            (self.tr("Workspace"), str(self.workspace_file)),
        ]
        controller = self.sync.controller
        server = controller.state.get("server") if controller is not None else None
        if server:
            team = controller.state.get("team")
            rows.append((self.tr("Sync"), f"{server} ({team})" if team else str(server)))
        else:
            rows.append((self.tr("Sync"), self.tr("not connected: everything stays on this laptop")))
        table = "".join(
            f"<tr><td style='padding: 2px 12px 2px 0; white-space: nowrap'><b>{html.escape(name)}</b></td>"
            f"<td style='padding: 2px 0; white-space: nowrap'>{html.escape(value)}</td></tr>"
            for name, value in rows
        )
        box = QMessageBox(self)
        box.setObjectName("about_box")
        box.setWindowTitle(self.tr("About Companion"))
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>{html.escape(self.tr('Companion {0}').format(__version__))}</h3>"
            f"<p>{html.escape(self.tr('Everything you need before walking into a client, on this laptop and offline.'))}</p>"
            f"<table style='margin-top: 4px'>{table}</table>"
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder = box.addButton(self.tr("Open the data folder"), QMessageBox.ButtonRole.ActionRole)
        folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir))))
        box.addButton(QMessageBox.StandardButton.Close)
        box.open()
        return box

    def show_shortcuts(self) -> QMessageBox:
        place = {name: number for number, name in enumerate(SHORTCUT_ORDER)}
        listed = sorted(self._shortcut_help.items(), key=lambda item: place.get(item[0], len(place)))
        rows = "".join(
            f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;{self.tr(text)}</td></tr>"
            for _name, (keys, text) in listed
        )
        # Opened, not exec'd: the window (and its database thread's answers) keep going meanwhile.
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("Keyboard shortcuts"), f"<table>{rows}</table>", parent=self
        )
        box.setObjectName("shortcuts_box")
        box.open()
        return box

    # --- errors and layout ---------------------------------------------------------------

    def show_failure(self, failure: Failure) -> None:
        """Expected problems are explained; anything else is logged and shown with its details."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        if isinstance(failure.error, CompanionError):
            box.setWindowTitle(self.tr("That did not work"))
            # What a library said underneath (a keyring's, the network's) goes under "Show Details…".
            detail = str(getattr(failure.error, "detail", "") or "")
            box.setText(
                str(getattr(failure.error, "message", failure.error)) if detail else str(failure.error)
            )
            if detail:
                box.setDetailedText(detail)
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
        for feature in self.features:
            feature.close()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)
