"""Edit → Lock and Edit → Back up workspace triggered, and the passphrase dialogs' and the lock screen's
buttons clicked as a person would (never the handlers called)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from companion.app.workspace_keys import WorkspaceKey
from companion.core.service import Workspace
from companion.store import cipher
from companion.ui.security.lock import LockScreen
from companion.ui.security.unlock import Cancelled, PassphraseDialog, workspace_key
from tests.ui.helpers import TIMEOUT, run_edit
from tests.ui.security.test_unlock import _answer_dialogs


def _click(qtbot, button) -> None:
    qtbot.waitUntil(button.isVisible, timeout=TIMEOUT)  # a widget just placed shows on the next event
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _passphrase_dialog(qtbot, window) -> PassphraseDialog:
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in window.findChildren(PassphraseDialog)), timeout=TIMEOUT
    )
    return next(d for d in window.findChildren(PassphraseDialog) if d.isVisible())


def _ok(dialog) -> object:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def _cancel(dialog) -> object:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)


def test_lock_from_the_menu_chooses_a_passphrase_then_unlock_is_clicked(qtbot, window):
    window.security.lock_action.trigger()
    dialog = _passphrase_dialog(qtbot, window)
    dialog.passphrase.setText("harbour lights")
    dialog.again.setText("harbour lights")
    _click(qtbot, _ok(dialog))
    qtbot.waitUntil(lambda: window.security.lock.locked, timeout=TIMEOUT)
    screen = window.centralWidget()
    assert isinstance(screen, LockScreen)
    screen.passphrase.setText("harbour light")
    _click(qtbot, screen.unlock_button)
    assert window.security.lock.locked and "not the passphrase" in screen.problem.text()
    screen.passphrase.setText("harbour lights")
    _click(qtbot, screen.unlock_button)
    assert not window.security.lock.locked and window.centralWidget() is window.splitter
    # Chosen once: the menu entry locks at once from now on.
    window.security.lock_action.trigger()
    assert window.security.lock.locked
    window.centralWidget().passphrase.setText("harbour lights")
    _click(qtbot, window.centralWidget().unlock_button)
    assert not window.security.lock.locked


def test_cancelling_the_unlock_passphrase_leaves_the_window_open(qtbot, window):
    window.security.lock_action.trigger()
    dialog = _passphrase_dialog(qtbot, window)
    _click(qtbot, _cancel(dialog))
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert not window.security.lock.locked and not window.security.lock.can_lock()


def test_back_up_from_the_menu_twice_to_one_name_is_refused_the_second_time(
    qtbot, window, tmp_path, monkeypatch
):
    run_edit(qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Twice Backed Up AS"}))
    out = tmp_path / "monday.companion"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    window.security.backup_action.trigger()
    qtbot.waitUntil(lambda: "Backed up" in window.statusBar().currentMessage(), timeout=TIMEOUT)
    assert cipher.is_encrypted(out) and b"Twice Backed Up" not in out.read_bytes()
    window.security.backup_action.trigger()

    def refusal() -> str:
        boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
        return boxes[-1].text() if boxes else ""

    qtbot.waitUntil(lambda: "exists already" in refusal(), timeout=TIMEOUT)


def test_the_passphrase_asked_before_the_window_is_typed_and_clicked(qtbot, tmp_path):
    path = tmp_path / "workspace.sqlite"
    Workspace.open(path, WorkspaceKey.from_passphrase("field notes 2026")).close()

    def typed(passphrase: str):
        def answer(dialog: PassphraseDialog) -> None:
            dialog.passphrase.setText(passphrase)
            _click(qtbot, _ok(dialog))

        return answer

    _answer_dialogs([typed("field notes 2025"), typed("field notes 2026")])
    key = workspace_key(path)
    assert key is not None and key.is_passphrase
    _answer_dialogs([lambda dialog: _click(qtbot, _cancel(dialog))])
    with pytest.raises(Cancelled):
        workspace_key(path)


def test_declining_to_encrypt_a_required_workspace_opens_nothing(qtbot, tmp_path, monkeypatch):
    site = tmp_path / "config.toml"
    site.write_text('[locked]\n"workspace.require_encryption" = true\n', encoding="utf-8")
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(site))
    path = tmp_path / "data" / "workspace.sqlite"
    Workspace.open(path).close()
    _answer_dialogs([lambda box: _click(qtbot, box.button(QMessageBox.StandardButton.No))])
    with pytest.raises(Cancelled):
        workspace_key(path)
    assert not cipher.is_encrypted(path)
