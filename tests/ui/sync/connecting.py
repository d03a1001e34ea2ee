"""Connecting the real window to a sync server through Sync → Connect, as a person does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from companion.ui.sync.panel import ConnectDialog
from tests.ui.helpers import TIMEOUT, visible, wait_idle


def connect_and_sync(qtbot, window, *, url: str, token: str, team: str = "North"):
    """Fills the connect dialog, clicks OK and waits for the first sync; its SyncSummary."""
    qtbot.waitUntil(lambda: window.sync.controller is not None, timeout=TIMEOUT)
    controller = window.sync.controller
    window.sync.connect_action.trigger()
    dialog = visible(qtbot, window, ConnectDialog)
    dialog.server.setText(url)
    dialog.team.setText(team)
    dialog.token.setText(token)
    with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2) as synced:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    return synced.args[0]
