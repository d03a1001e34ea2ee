"""Security in the window: the lock (Ctrl+L, or after the idle minutes in the settings) and backups."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate

from companion.ui.common.feature import Feature
from companion.ui.security.lock import LockController

if TYPE_CHECKING:
    from companion.ui.security.unlock import PassphraseDialog


class SecurityFeature(Feature):
    """Edit → Lock and Edit → Back up workspace."""

    def install(self) -> None:
        w = self.window
        self.lock_action = w.add_action(
            "lock", "Lock", "Ctrl+L", self.lock_window, menu="&Edit",
            help="Lock Companion (also after the idle minutes set in Settings)",
        )  # fmt: skip
        self.backup_action = w.add_action(
            "backup", "Back up workspace…", None, self._on_backup_triggered, menu="&Edit"
        )
        self.lock = LockController(w, w.settings, self._workspace_passphrase)

    def on_settled(self) -> None:
        self.arm_idle_lock()

    # --- locking ---------------------------------------------------------------------------

    def _workspace_passphrase(self) -> str | None:
        from companion.app.opener import passphrase_of

        workspace = self.window.worker.workspace
        return passphrase_of(workspace) if workspace is not None else None

    def choose_unlock_passphrase(self, why: str) -> PassphraseDialog:
        """The passphrase that unlocks the window, for workspaces whose key is in the keyring (or plain)."""
        from companion.ui.security.unlock import PassphraseDialog

        dialog = PassphraseDialog(why, confirm=True, parent=self.window)
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
        minutes = int(self.window.preferences.managed().value("ui.lock_after_minutes"))
        self.lock.set_idle_minutes(minutes)
        if minutes > 0 and not self.lock.can_lock():
            dialog = self.choose_unlock_passphrase(
                self.tr("Companion locks itself after {0} idle minutes. Choose the passphrase that unlocks it.")
                .format(minutes)
            )  # fmt: skip
            unarmed = self.tr(
                "Companion cannot lock itself when idle until you choose an unlock passphrase (Edit → Lock)."
            )
            dialog.rejected.connect(lambda: self.window.statusBar().showMessage(unarmed))
            dialog.open()

    # --- backups ---------------------------------------------------------------------------

    def _on_backup_triggered(self) -> None:
        self.back_up()

    def back_up(self, path: str | None = None) -> None:
        """A consistent copy of the workspace, taken while it stays open, encrypted as it is (the
        command line's `companion backup`; a copy for another computer is made there, with a passphrase)."""
        from PySide6.QtWidgets import QFileDialog

        from companion.ui.preferences.folders import in_documents

        if self.window.worker.workspace is None:
            return
        if path is None:
            stamp = QDate.currentDate().toString("yyyy-MM-dd")
            suggested = in_documents(f"companion-{stamp}.companion")
            path, _ = QFileDialog.getSaveFileName(
                self.window,
                self.tr("Back up workspace"),
                suggested,
                self.tr("Companion backup (*.companion)"),
            )
            if not path:
                return
        from companion.ui.security import operations

        self.window.worker.submit(partial(operations.back_up, target=Path(path)), self._on_backed_up)

    def _on_backed_up(self, outcome) -> None:
        self.window.statusBar().showMessage(outcome.message, 10000)
