"""Sync in the window: the indicator and background sync, Sync now, connecting, conflicts, the team's changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.ui.common.feature import Feature

if TYPE_CHECKING:  # made once settled: it opens a connection of its own
    from companion.ui.sync.panel import ConflictsDialog, ConnectDialog, SyncController


class SyncFeature(Feature):
    """The Sync menu; the controller exists once the window has settled and a workspace is open."""

    def install(self) -> None:
        w = self.window
        self.controller: SyncController | None = None
        self.sync_action = w.add_action(
            "sync_now", "Sync now", "F5", self.sync_now, icon="sync", menu="&Sync",
            help="Sync now (when connected to a server)",
        )  # fmt: skip
        self.connect_action = w.add_action(
            "sync_connect", "Connect to a sync server…", None, self.connect_server, menu="&Sync"
        )
        self.conflicts_action = w.add_action(
            "sync_conflicts", "Sync conflicts…", None, self.show_conflicts, menu="&Sync"
        )

    def on_settled(self) -> None:
        from companion.ui.sync.panel import SyncController

        if self.controller is not None or self.window.worker.workspace is None:
            return
        self.controller = SyncController(self.window.worker.workspace.path, self.window.worker, self)
        self.window.statusBar().insertPermanentWidget(0, self.controller.indicator)
        self.controller.sig_synced.connect(self._on_controller_synced)
        self.controller.sig_failed.connect(self.window.show_failure)
        self.controller.start()

    def sync_now(self) -> None:
        if self.controller is None:
            return
        if not self.controller.state.get("server"):
            self.connect_server()
            return
        self.controller.sync_now()

    def connect_server(self) -> ConnectDialog | None:
        return self.controller.connect_dialog(self.window) if self.controller is not None else None

    def show_conflicts(self) -> ConflictsDialog | None:
        if self.controller is None:
            return None
        return self.controller.conflicts_dialog(self.window, self.window.edits)

    def _on_controller_synced(self, summary) -> None:
        """What arrived from the team shows at once; the edits sent need nothing. What the sync had to
        do out of the ordinary (a server restored from a backup) is said in the status bar."""
        if summary.pulled:
            self.window.team_changed()
        if summary.messages:
            self.window.statusBar().showMessage(" ".join(summary.messages), 20_000)

    def close(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
