"""Before the window: the keyring's key, or the passphrase asked for until it opens the file; a new
workspace's passphrase when there is no keyring; a plain workspace encrypted when an admin requires it."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from companion.app.workspace_keys import WorkspaceKey
from companion.core.service import Workspace
from companion.store import cipher
from companion.ui.security.unlock import Cancelled, PassphraseDialog, workspace_key
from tests.ui.helpers import SHOTS


def _answer_dialogs(answers: list) -> None:
    """Each answer handles the next modal dialog (a PassphraseDialog or a message box) as it opens."""
    pending = list(answers)

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and pending and dialog.property("answered") is None:
            dialog.setProperty("answered", True)
            pending.pop(0)(dialog)
        if pending:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def _type(passphrase: str, *, shot: str | None = None):
    def answer(dialog: PassphraseDialog) -> None:
        dialog.passphrase.setText(passphrase)
        dialog.again.setText(passphrase)
        if shot:
            SHOTS.mkdir(exist_ok=True)
            dialog.grab().save(str(SHOTS / shot))
        dialog.buttons.accepted.emit()

    return answer


@pytest.fixture
def no_keyring():
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def test_a_passphrase_workspace_asks_until_the_passphrase_opens_it(qtbot, tmp_path):
    path = tmp_path / "workspace.sqlite"
    Workspace.open(path, WorkspaceKey.from_passphrase("field notes 2026")).close()
    problems: list[str] = []

    def wrong(dialog: PassphraseDialog) -> None:
        assert "Type its passphrase" in dialog.explanation.text()
        _type("field notes 2025")(dialog)

    def right(dialog: PassphraseDialog) -> None:
        problems.append(dialog.problem.text())
        _type("field notes 2026", shot="unlock-passphrase-light.png")(dialog)

    _answer_dialogs([wrong, right])
    key = workspace_key(path)
    assert key is not None and key.is_passphrase
    assert problems == ["That passphrase does not open this workspace. Try again."]


def test_giving_up_opens_nothing(qtbot, tmp_path):
    path = tmp_path / "workspace.sqlite"
    Workspace.open(path, WorkspaceKey.from_passphrase("field notes 2026")).close()
    _answer_dialogs([lambda dialog: dialog.reject()])
    with pytest.raises(Cancelled):
        workspace_key(path)


def test_a_new_workspace_without_a_keyring_gets_a_passphrase_never_plain(qtbot, tmp_path, no_keyring):
    path = tmp_path / "workspace.sqlite"
    said: list[str] = []

    def choose(dialog: PassphraseDialog) -> None:
        said.append(dialog.explanation.text())
        assert dialog.again.isVisible()  # a new passphrase is typed twice
        _type("a long enough phrase", shot="new-passphrase-light.png")(dialog)

    _answer_dialogs([choose])
    key = workspace_key(path)
    assert key is not None and key.is_passphrase
    assert "keyring" in said[0] and "missing or locked" in said[0]
    Workspace.open(path, key).close()
    assert cipher.is_encrypted(path)


def test_a_plain_workspace_is_encrypted_when_the_admin_requires_it(qtbot, tmp_path, monkeypatch):
    site = tmp_path / "config.toml"
    site.write_text('[locked]\n"workspace.require_encryption" = true\n', encoding="utf-8")
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(site))
    path = tmp_path / "data" / "workspace.sqlite"
    ws = Workspace.open(path)
    ws.create(kind="client", values={"name": "Kept Through Encryption AS"})
    ws.close()

    def yes(box: QMessageBox) -> None:
        assert "must be" in box.text()
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    _answer_dialogs([yes])
    key = workspace_key(path)
    assert key is not None and not key.is_passphrase
    assert cipher.is_encrypted(path)
    ws = Workspace.open(path, key)
    assert [c["name"] for c in ws.list(kind="client")] == ["Kept Through Encryption AS"]
    ws.close()
