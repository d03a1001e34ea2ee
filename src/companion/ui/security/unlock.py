"""Before the window opens: the passphrase app.opener asks for, and a plain workspace encrypted on request.

The key comes from the keyring, or a passphrase asked for here; a new workspace gets a passphrase where
there is no keyring; a plain one is encrypted first when an admin requires it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from companion.app import opener, workspace_files, workspace_keys
from companion.app.workspace_keys import WorkspaceKey
from companion.ui.common.theme import set_role


class Cancelled(Exception):
    """The person chose not to open the workspace now."""


class PassphraseDialog(QDialog):
    """Asks for a passphrase; with `confirm`, twice (a new one), at least MIN_LENGTH characters."""

    MIN_LENGTH = 8

    def __init__(self, message: str, *, confirm: bool, details: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Companion: passphrase"))
        self.setMinimumWidth(480)
        self.confirm = confirm
        layout = QVBoxLayout(self)
        self.explanation = QLabel(message)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.details = QLabel(details)
        self.details.setWordWrap(True)
        set_role(self.details, "muted")
        self.details.setVisible(bool(details))
        layout.addWidget(self.details)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("Passphrase"))
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        layout.addWidget(self.passphrase)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setPlaceholderText(self.tr("The same passphrase again"))
        self.again.setAccessibleName(self.tr("The same passphrase again"))
        self.again.setVisible(confirm)
        layout.addWidget(self.again)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        set_role(self.problem, "error")
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _check(self) -> None:
        text = self.passphrase.text()
        if not text:
            self.show_problem(self.tr("Type the passphrase."))
        elif self.confirm and len(text) < self.MIN_LENGTH:
            self.show_problem(self.tr("Use at least {0} characters.").format(self.MIN_LENGTH))
        elif self.confirm and text != self.again.text():
            self.show_problem(self.tr("The two passphrases differ."))
        else:
            self.accept()


def ask_passphrase(why: str, *, new: bool, details: str = "", problem: str | None = None) -> str:
    """The passphrase app.opener asks for, typed in a dialog; Cancelled when the person gives up."""
    dialog = PassphraseDialog(why, confirm=new, details=details)
    if problem:
        dialog.show_problem(problem)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        raise Cancelled
    return dialog.passphrase.text()


def _encrypt_required(path: Path) -> None:
    """An admin requires encryption and the workspace is plain: encrypt it now, or do not open it."""
    try:
        workspace_keys.require_encryption(path.parent, path)
        return
    except workspace_keys.EncryptionRequired as exc:
        message = str(exc)
    answer = QMessageBox.question(
        None,
        "Companion",
        f"{message}\n\nEncrypt it now? It takes a moment; everything in it is kept.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        raise Cancelled
    try:
        workspace_files.encrypt(path)
    except workspace_keys.KeyringUnavailable as exc:
        workspace_files.encrypt(
            path, passphrase=ask_passphrase(f"{exc}\n\nChoose a passphrase instead.", new=True)
        )


def workspace_key(path: Path) -> WorkspaceKey | None:
    """The key to open (or create) the workspace with (app.opener decides how, asking here when it must);
    Cancelled when the person gives up."""
    path = Path(path)
    if path.exists():
        opener.check_header(path)  # an empty or damaged file is refused before anything is asked
        _encrypt_required(path)
    return opener.key_to_open(path, ask=ask_passphrase)
