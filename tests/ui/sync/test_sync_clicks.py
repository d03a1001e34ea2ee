"""The Sync menu's entries triggered and every sync button clicked as a person would, against a real server
(uvicorn on 127.0.0.1): connect, Sync now (menu and status bar), and each way to settle a conflict; a server
that cannot be reached is said in words."""

from __future__ import annotations

import socket

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from companion.core.service import Workspace
from companion.sync.client import SyncClient, open_conflicts
from companion.ui.sync.panel import ConflictsDialog, ConnectDialog
from tests.ui.helpers import TIMEOUT, run_edit, wait_idle
from tests.ui.sync.test_sync_gui import live_server  # noqa: F401 (the fixture)


def _click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _open(window, kind):
    shown = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(shown) == 1, shown
    return shown[0]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_every_sync_entry_and_button(qtbot, window, live_server, tmp_path, monkeypatch):  # noqa: F811
    url, team_id, (window_token, other_token) = live_server
    monkeypatch.setenv("COMPANION_SYNC_TOKEN", window_token)  # CI has no keyring; the app reads this first
    client = run_edit(
        qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Halvorsen"})
    ).created_id
    qtbot.waitUntil(lambda: window.sync.controller is not None, timeout=TIMEOUT)
    controller = window.sync.controller
    qtbot.waitUntil(lambda: "Not connected" in controller.indicator.label.text(), timeout=TIMEOUT)

    # Sync now while not connected: the connect dialog; Cancel closes it.
    window.sync.sync_action.trigger()
    dialog = _open(window, ConnectDialog)
    _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel))
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)

    # Connect to a sync server…: a server that is not running is said in words, then the real one.
    window.sync.connect_action.trigger()
    dialog = _open(window, ConnectDialog)
    dead = f"http://127.0.0.1:{_closed_port()}"
    dialog.server.setText(dead)
    dialog.team.setText("North")
    dialog.token.setText(window_token)
    _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=TIMEOUT)
    said = dialog.problem.text()
    assert f"Companion could not reach the sync server at {dead}" in said
    assert "Is the server running" in said and said.splitlines()[-1].startswith("Details: ")
    dialog.server.setText(url)
    with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2):
        _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: "Synced at" in controller.indicator.label.text(), timeout=TIMEOUT)

    # Another laptop edits three fields; the window edits the same three otherwise: three conflicts.
    other = Workspace.open(tmp_path / "other.sqlite")
    laptop = SyncClient(other, server=url, token=other_token, team_id=team_id)
    laptop.sync()
    other.update(
        kind="client", id=client, values={"status": "former", "industry": "Shipping", "summary": "B"}
    )
    laptop.sync()
    run_edit(
        qtbot,
        window,
        lambda ws: ws.update(
            kind="client", id=client, values={"status": "dormant", "industry": "Energy", "summary": "A"}
        ),
    )
    # Sync now, from the menu, then from the status bar's button.
    with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2):
        window.sync.sync_action.trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "3 conflicts" in controller.indicator.label.text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: controller.indicator.sync_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2):
        _click(qtbot, controller.indicator.sync_button)
    wait_idle(qtbot, window)

    # Sync conflicts…: keep mine, write a merged value, take the other.
    window.sync.conflicts_action.trigger()
    conflicts = _open(window, ConflictsDialog)
    qtbot.waitUntil(lambda: conflicts.list.count() == 3, timeout=TIMEOUT)

    def settle(field: str, button: QPushButton, merged: str | None = None) -> None:
        row = next(i for i, c in enumerate(conflicts.conflicts) if c["field"] == field)
        conflicts.list.setCurrentRow(row)
        if merged is not None:
            conflicts.merged.setPlainText(merged)
        left = conflicts.list.count() - 1
        with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2):
            _click(qtbot, button)
        qtbot.waitUntil(lambda: conflicts.list.count() == left, timeout=TIMEOUT)

    settle("status", conflicts.keep_button)
    settle("summary", conflicts.merge_button, merged="A and B")
    settle("industry", conflicts.other_button)
    wait_idle(qtbot, window)
    laptop.sync()
    mine, theirs = window.worker.workspace.get(kind="client", id=client), other.get(kind="client", id=client)
    assert (mine["status"], mine["summary"], mine["industry"]) == ("dormant", "A and B", "Shipping")
    assert (theirs["status"], theirs["summary"], theirs["industry"]) == ("dormant", "A and B", "Shipping")
    assert open_conflicts(other) == []

    # The same name typed on the other laptop: different clients, both kept.
    other.create(kind="client", values={"name": "halvorsen"})
    laptop.sync()
    with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2):
        _click(qtbot, controller.indicator.sync_button)
    wait_idle(qtbot, window)
    conflicts.reload()
    qtbot.waitUntil(lambda: conflicts.list.count() == 1, timeout=TIMEOUT)
    with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2):
        _click(qtbot, conflicts.both_button)
    qtbot.waitUntil(lambda: conflicts.list.count() == 0, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert len(window.worker.workspace.list(kind="client")) == 2

    # Typed once more elsewhere, with a site: the same client, merged (the site comes along).
    twin = other.create(kind="client", values={"name": "Halvorsen", "website": "https://halvorsen.example"})
    site = other.create(kind="site", values={"client_id": twin.created_id, "name": "Ågotnes"}).created_id
    laptop.sync()
    with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2):
        _click(qtbot, controller.indicator.sync_button)
    wait_idle(qtbot, window)
    conflicts.reload()
    qtbot.waitUntil(lambda: conflicts.list.count() >= 1, timeout=TIMEOUT)
    with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2):
        _click(qtbot, conflicts.same_button)
    qtbot.waitUntil(lambda: conflicts.list.count() == 0, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert len(window.worker.workspace.list(kind="client")) == 2
    assert window.worker.workspace.get(kind="site", id=site)["client_id"] != twin.created_id
    close = next(b for b in conflicts.findChildren(QPushButton) if b.text() == "Close")
    _click(qtbot, close)
    qtbot.waitUntil(lambda: not conflicts.isVisible(), timeout=TIMEOUT)
    other.close()
