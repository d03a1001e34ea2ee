"""Clients: the client list, a client's page, new clients, logging interactions, pinned and recent ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.model.kinds import kinds_shown_on
from companion.ui.clients.list_panel import ClientListPanel
from companion.ui.common.feature import PageFeature

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds them
    from PySide6.QtCore import QSettings

    from companion.ui.clients.page import ClientPageView
    from companion.ui.clients.quick_capture import QuickCaptureDialog
    from companion.ui.common.record_dialog import NewRecordDialog
    from companion.ui.shell.main_window import MainWindow

RECENT_LIMIT = 8
NEW_CLIENT_FIELDS = ("name", "aliases", "industry", "website", "status", "tags", "owner_id", "summary")


def listed_setting(settings: QSettings, key: str) -> list[str]:
    """A list kept in ui.ini ("pinned", "recent"): QSettings gives one value back as a string."""
    value = settings.value(key, [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value or []]


def marked_clients(settings: QSettings) -> list[str]:
    """The pinned and recent clients, which the list shows first: the first paint reads them too."""
    return [*listed_setting(settings, "pinned"), *listed_setting(settings, "recent")]


class ClientsFeature(PageFeature):
    """The client list and the client page; knows every client's name and every colleague's."""

    def __init__(self, window: MainWindow, first_paint: tuple | None = None):
        """`first_paint`: (clients, colleagues) read before the services loaded, every client; or
        (clients, colleagues, count) with only the first screenful of the `count` clients, as start-up
        reads it (`app.opener.first_paint` with `first` and `also`)."""
        super().__init__(window)
        self.rows: list[tuple] = []  # CLIENT_COLUMNS of every client (of the first screenful at start-up)
        self.colleagues: list[tuple[str, str]] = []
        self.list_panel = ClientListPanel()
        self.list_panel.setMinimumWidth(220)
        self._first_paint = first_paint

    def install(self) -> None:
        w = self.window
        self.new_client_action = w.add_action(
            "new_client", "New client…", "Ctrl+N", self.new_client, icon="add", help="New client"
        )
        self.capture_action = w.add_action(
            "capture", "Log interaction…", "Ctrl+Shift+L", self._on_capture_triggered, icon="capture",
            help="Log an interaction (quick capture)",
        )  # fmt: skip
        self.filter_action = w.add_action(
            "filter", "Filter clients", "Ctrl+F", self._focus_filter, help="Filter the client list"
        )
        self.list_panel.sig_client_activated.connect(self.open_client)
        if self._first_paint is not None:
            self._on_clients_loaded(self._first_paint)
            self._first_paint = None
            # The first paint leaves out aliases and tags (and may hold only the first screenful of
            # clients): the full list follows once the window is up.
            w.after_first_paint(self.reload)
        else:
            self.reload()

    # --- the list --------------------------------------------------------------------------

    def reload(self) -> None:
        from companion.ui.clients import operations  # here, not at start-up

        self.window.worker.submit(operations.client_list, self._on_clients_loaded)

    def _on_clients_loaded(self, result: tuple) -> None:
        self.rows, self.colleagues, *count = result
        self.list_panel.set_clients(self.rows, *count)
        self.list_panel.set_owners(self.colleagues)
        if self._page is not None:
            self._page.colleagues = self.colleagues
            self._page.clients = self.names()
        self._apply_marks()
        self.window.client_list_loaded()

    def names(self) -> list[tuple[str, str]]:
        """(id, name) of every client, for choosers."""
        return [(c[0], c[1]) for c in self.rows]

    def _focus_filter(self) -> None:
        self.list_panel.search.setFocus()
        self.list_panel.search.selectAll()

    # --- the page ----------------------------------------------------------------------------

    def make_page(self) -> ClientPageView:
        from companion.ui.clients.page import ClientPageView

        page = ClientPageView(self.window.edits)
        page.people.exports_allowed = self.window.preferences.exports_allowed()
        page.colleagues = self.colleagues
        page.clients = self.names()
        page.sig_closed.connect(self.window.show_home)
        page.sig_pin_toggled.connect(self._on_page_pin_toggled)
        page.sig_log_requested.connect(self.quick_capture)
        page.sig_meeting_opened.connect(self.window.open_meeting)
        page.sig_pack_requested.connect(self.window.open_pack)
        page.sig_record_opened.connect(self.window.open_record)
        page.sig_plan_requested.connect(self.window.meetings.plan_meeting)
        page.sig_contacts_dropped.connect(self.window.people.import_dropped)
        return page

    def current_client_id(self) -> str | None:
        """The client whose page is on screen, if one is."""
        return self._page.client_id if self.showing() else None

    def open_client(self, client_id: str, section: str | None = None) -> None:
        self.window.show_page(self.page)
        self.page.show_client(client_id)
        if section:
            self.page.show_section(section)
        recent = [client_id] + [c for c in self._list_setting("recent") if c != client_id]
        self.window.settings.setValue("recent", recent[:RECENT_LIMIT])
        self._apply_marks()
        self.list_panel.select(client_id)

    def on_changed(self, changes, kinds) -> None:
        if kinds & kinds_shown_on("client_list"):
            self.reload()
        super().on_changed(changes, kinds)

    def on_team_changes(self) -> None:
        self.reload()
        super().on_team_changes()

    # --- dialogs -----------------------------------------------------------------------------

    def new_client(self) -> NewRecordDialog:
        from companion.ui.common.record_dialog import NewRecordDialog

        dialog = NewRecordDialog(
            self.window.edits,
            "client",
            fields=NEW_CLIENT_FIELDS,
            initial={"status": "prospect"},
            ref_choices=lambda f: self.colleagues if f.ref_kind == "colleague" else [],
            parent=self.window,
        )
        dialog.accepted.connect(lambda: dialog.created_id and self.open_client(dialog.created_id))
        dialog.open()
        return dialog

    def _on_capture_triggered(self) -> None:
        self.quick_capture()

    def quick_capture(self, client_id: str | None = None) -> QuickCaptureDialog:
        """Log an interaction, at the client on screen unless another is given."""
        from companion.ui.clients.quick_capture import QuickCaptureDialog

        current = client_id or self.current_client_id()
        dialog = QuickCaptureDialog(self.window.edits, self.names(), current, parent=self.window)
        dialog.open()
        return dialog

    def log_meeting(self, meeting_id: str) -> QuickCaptureDialog:
        """Log what happened at a meeting: an interaction with its attendees (the meeting page asks)."""
        from companion.ui.clients.quick_capture import QuickCaptureDialog

        dialog = QuickCaptureDialog(self.window.edits, self.names(), None, parent=self.window)
        dialog.for_meeting(meeting_id)
        dialog.open()
        return dialog

    # --- pinned and recent clients -------------------------------------------------------------

    def _list_setting(self, key: str) -> list[str]:
        return listed_setting(self.window.settings, key)

    def recent(self) -> list[str]:
        known = {c[0] for c in self.rows}
        return [c for c in self._list_setting("recent") if c in known]

    def _apply_marks(self) -> None:
        pinned = self._list_setting("pinned")
        self.list_panel.set_marks(pinned=pinned, recent=self._list_setting("recent"))
        if self._page is not None and self._page.client_id:
            self._page.set_pinned(self._page.client_id in pinned)

    def _on_page_pin_toggled(self, client_id: str) -> None:
        pinned = self._list_setting("pinned")
        pinned = [c for c in pinned if c != client_id] if client_id in pinned else [*pinned, client_id]
        self.window.settings.setValue("pinned", pinned)
        self._apply_marks()
