"""A damaged workspace, in words: what is wrong, and a choice of restoring the latest backup, recovering what
can be read into a new workspace, or quitting. The damaged file is kept whichever is chosen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from companion.model.errors import CompanionError, DamagedWorkspace
from companion.ui.common.widgets import button_bar


class DamagedWorkspaceDialog(QDialog):
    """Says what is wrong with the workspace and asks what to do: `choice` is "restore", "recover" or
    "quit" once it closes."""

    def __init__(self, error: DamagedWorkspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Companion: the workspace is damaged"))
        self.setMinimumWidth(520)
        self.error = error
        self.path = Path(getattr(error, "path", ""))
        self.backup: Path | None = getattr(error, "backup", None)
        self.empty = bool(getattr(error, "empty", False))
        self.choice = "quit"
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.explanation = QLabel(self._words())
        self.explanation.setWordWrap(True)
        self.explanation.setObjectName("damage_explanation")
        layout.addWidget(self.explanation)
        self.restore_button = QPushButton(self.tr("Restore the latest backup"))
        self.recover_button = QPushButton(self.tr("Recover what can be read"))
        self.quit_button = QPushButton(self.tr("Quit"))
        self.restore_button.setEnabled(self.backup is not None)
        if self.backup is None:
            self.restore_button.setToolTip(self.tr("Companion knows of no backup of this workspace."))
        self.recover_button.setEnabled(not self.empty)
        self.quit_button.setDefault(True)
        layout.addLayout(button_bar(self.restore_button, self.recover_button, self.quit_button))

    def _connect_signals(self) -> None:
        self.restore_button.clicked.connect(lambda: self._choose("restore"))
        self.recover_button.clicked.connect(lambda: self._choose("recover"))
        self.quit_button.clicked.connect(lambda: self._choose("quit"))

    def _words(self) -> str:
        what = getattr(self.error, "what", None)
        if self.empty:
            said = self.tr("The workspace file {0} is empty: it holds nothing. Companion leaves it as it is.")
            said = said.format(self.path)
        elif what:
            said = self.tr(
                "The workspace file {0} is damaged: {1}. Companion has not written to it and will not."
            ).format(self.path, what)
        else:
            said = str(self.error)
        if self.backup is not None:
            made = QDateTime.fromSecsSinceEpoch(int(self.backup.stat().st_mtime)).toString("yyyy-MM-dd HH:mm")
            restore = self.tr("You can restore the latest backup ({0}, made {1}).").format(
                self.backup.name, made
            )
        else:
            restore = self.tr("Companion knows of no backup of it.")
        if self.empty:
            rest = self.tr("Or quit, and move the file away to start a new workspace.")
        else:
            rest = self.tr(
                "You can recover what can still be read into a new workspace; Companion then says what was "
                "lost. The damaged file is kept beside it either way."
            )
        return f"{said}\n\n{restore} {rest}"

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept() if choice != "quit" else self.reject()


def resolve(
    error: DamagedWorkspace,
    *,
    parent: QWidget | None = None,
    before_change: Callable[[], None] | None = None,
) -> bool:
    """Shows the dialog and does what the person chooses; True when a whole workspace is in place again
    (restored, or recovered and put in place) and may be opened, False to quit. `before_change` lets go
    of the open workspace first (the window's own connections)."""
    from companion.app import opener, workspace_files
    from companion.ui.security.unlock import Cancelled, ask_passphrase

    dialog = DamagedWorkspaceDialog(error, parent)
    dialog.exec()
    if dialog.choice == "quit":
        return False
    path = dialog.path
    try:
        if before_change is not None:
            before_change()
        if dialog.choice == "restore":
            backup = dialog.backup
            outcome = workspace_files.restore(
                path, backup, backup_key=opener.key_of(backup, ask=ask_passphrase)
            )
            _tell(parent, outcome.message)
            return True
        key = opener.key_of(path, ask=ask_passphrase)
        recovered = workspace_files.recover(path, key=key)
        report = "\n".join(recovered.report())
        answer = QMessageBox.question(
            parent,
            "Companion",
            f"{report}\n\nPut the recovered workspace in place now? The damaged one is kept beside it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            _tell(
                parent, f"The recovered workspace is {recovered.target}; the damaged one was left as it was."
            )
            return False
        outcome = workspace_files.restore(path, recovered.target, backup_key=key)
        _tell(parent, outcome.message)
        return True
    except Cancelled:
        return False
    except CompanionError as exc:
        QMessageBox.critical(parent, "Companion", str(exc))
        return False


def _tell(parent: QWidget | None, text: str) -> None:
    QMessageBox.information(parent, "Companion", text)
