"""The connect dialog refuses plain http to another computer until its checkbox is ticked, in words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from companion.ui.sync.panel import ConnectDialog
from tests.ui.helpers import TIMEOUT, visible


def test_plain_http_is_refused_until_allowed(qtbot, window):
    qtbot.waitUntil(lambda: window.sync.controller is not None, timeout=TIMEOUT)
    window.sync.connect_action.trigger()
    dialog = visible(qtbot, window, ConnectDialog)
    assert not dialog.allow_http.isChecked()
    dialog.server.setText("http://sync.example.com")
    dialog.team.setText("North")
    dialog.token.setText("a-token")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.problem.isVisible, timeout=TIMEOUT)
    assert "plain http" in dialog.problem.text() and "checkbox" in dialog.problem.text()
    assert window.worker.workspace.meta(key="sync_url") is None
    qtbot.mouseClick(dialog.allow_http, Qt.MouseButton.LeftButton)
    assert dialog.allow_http.isChecked()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
