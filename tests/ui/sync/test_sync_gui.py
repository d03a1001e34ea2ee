"""Sync in the real window against a real server (uvicorn on 127.0.0.1, in a thread of this test)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from companion.core.service import Workspace
from companion.model.kinds import KINDS
from companion.server import admin, db
from companion.sync.client import SyncClient, open_conflicts
from tests.sync.live import serving
from tests.ui.helpers import SHOTS, TIMEOUT, run_edit, wait_idle


@pytest.fixture
def live_server(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'server.sqlite'}")
    db.migrate(engine)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        team_id = admin.add_team(conn, "North")
        admin.add_account(conn, "mira")
        admin.add_member(conn, team_name="North", user_name="mira")
        tokens = [admin.issue_token(conn, user_name="mira", device=d)[1] for d in ("window", "other")]
    with serving(engine) as url:
        yield url, team_id, tokens
    engine.dispose()


def _synced(qtbot, window):
    with qtbot.waitSignal(window.sync.controller.sig_synced, timeout=TIMEOUT * 2) as blocker:
        window.sync.sync_now()
    wait_idle(qtbot, window)
    return blocker.args[0]


def test_connect_sync_now_and_resolve_a_conflict(qtbot, window, live_server, tmp_path, monkeypatch):
    url, team_id, (window_token, other_token) = live_server
    monkeypatch.setenv("COMPANION_SYNC_TOKEN", window_token)  # CI has no keyring; the app reads this first
    client = run_edit(
        qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Halvorsen"})
    ).created_id
    assert window.sync.controller is not None
    qtbot.waitUntil(lambda: "Not connected" in window.sync.controller.indicator.label.text(), timeout=TIMEOUT)

    dialog = window.sync.connect_server()
    dialog.server.setText(url)
    dialog.team.setText("South")
    dialog.token.setText(window_token)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=TIMEOUT)
    assert "not a member of a team called 'South'" in dialog.problem.text()
    dialog.team.setText("North")
    with qtbot.waitSignal(window.sync.controller.sig_synced, timeout=TIMEOUT * 2) as first:
        dialog.buttons.accepted.emit()
    everything = sum(window.worker.workspace.count(kind=k.name) for k in KINDS)  # the client and built-ins
    assert first.args[0].pushed == everything > 1
    SHOTS.mkdir(exist_ok=True)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: "Synced at" in window.sync.controller.indicator.label.text(), timeout=TIMEOUT)
    window.grab().save(str(SHOTS / "sync-status-light.png"))

    # Another laptop reads it, and edits it; "Sync now" brings the edit into the window.
    other = Workspace.open(tmp_path / "other.sqlite")
    laptop = SyncClient(other, server=url, token=other_token, team_id=team_id)
    laptop.sync()
    assert other.get(kind="client", id=client)["name"] == "Halvorsen"
    other.update(kind="client", id=client, values={"industry": "Energy"})
    laptop.sync()
    assert _synced(qtbot, window).pulled == 1
    assert window.worker.workspace.get(kind="client", id=client)["industry"] == "Energy"

    # Both change the status offline: the window gets the conflict, a person keeps one value.
    other.update(kind="client", id=client, values={"status": "former"})
    laptop.sync()
    run_edit(qtbot, window, lambda ws: ws.update(kind="client", id=client, values={"status": "dormant"}))
    _synced(qtbot, window)
    qtbot.waitUntil(lambda: "1 conflicts" in window.sync.controller.indicator.label.text(), timeout=TIMEOUT)
    conflicts = window.sync.show_conflicts()
    qtbot.waitUntil(lambda: conflicts.list.count() == 1, timeout=TIMEOUT)
    assert "status" in conflicts.list.item(0).text()
    conflicts.grab().save(str(SHOTS / "sync-conflicts-light.png"))
    with qtbot.waitSignal(window.sync.controller.sig_synced, timeout=TIMEOUT * 2):
        qtbot.mouseClick(conflicts.other_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: conflicts.list.count() == 0, timeout=TIMEOUT)
    laptop.sync()
    kept = other.get(kind="client", id=client)["status"]
    assert window.worker.workspace.get(kind="client", id=client)["status"] == kept
    assert open_conflicts(other) == []

    # The same client made again on the other laptop, with a site: flagged, and merged from the window.
    twin = other.create(kind="client", values={"name": "halvorsen", "website": "https://halvorsen.example"})
    site = other.create(kind="site", values={"client_id": twin.created_id, "name": "Ågotnes"}).created_id
    laptop.sync()
    _synced(qtbot, window)
    conflicts.reload()
    qtbot.waitUntil(lambda: conflicts.list.count() == 1, timeout=TIMEOUT)
    assert conflicts.list.item(0).text() == "halvorsen: possibly the same client as Halvorsen"
    assert conflicts.same_button.isVisible() and not conflicts.keep_button.isVisible()
    assert "on the server first" in conflicts.other.text() and client not in conflicts.other.text()
    conflicts.grab().save(str(SHOTS / "sync-duplicate-light.png"))
    with qtbot.waitSignal(window.sync.controller.sig_synced, timeout=TIMEOUT * 2):
        qtbot.mouseClick(conflicts.same_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: conflicts.list.count() == 0, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    mine = window.worker.workspace
    assert [c.id for c in mine.list(kind="client")] == [client]
    assert mine.get(kind="site", id=site)["client_id"] == client
    assert window.undo_action.isEnabled() and "merge duplicate" in window.undo_action.text()
    laptop.sync()
    assert [c.id for c in other.list(kind="client")] == [client]
    assert other.get(kind="client", id=client)["website"] == "https://halvorsen.example"
    assert open_conflicts(other) == []
    other.close()


def test_the_sync_interval_follows_the_managed_settings(qtbot, window, tmp_path, monkeypatch):
    from companion.ui.sync.panel import SyncController

    site = tmp_path / "config.toml"
    site.write_text('[locked]\n"sync.interval_minutes" = 7\n', encoding="utf-8")
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(site))
    wait_idle(qtbot, window)
    controller = SyncController(window.worker.workspace.path, window.worker)
    assert controller.timer.interval() == 7 * 60 * 1000
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(tmp_path / "none.toml"))
    assert SyncController(window.worker.workspace.path, window.worker).timer.interval() == 5 * 60 * 1000


def test_a_malformed_site_config_is_named_with_its_line_in_the_status_bar(
    qtbot, window, tmp_path, monkeypatch
):
    site = tmp_path / "config.toml"
    site.write_text('[locked]\n"sync.server_url" = "https://unterminated\n', encoding="utf-8")
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(site))
    wait_idle(qtbot, window)
    window.preferences._report_problems()
    assert f"{site}:2:" in window.statusBar().currentMessage()


def test_a_locked_server_address_shows_read_only_with_the_reason(qtbot, window, tmp_path, monkeypatch):
    site = tmp_path / "config.toml"
    site.write_text('[locked]\n"sync.server_url" = "https://sync.example.com"\n', encoding="utf-8")
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(site))
    qtbot.waitUntil(lambda: window.sync.controller is not None, timeout=TIMEOUT)
    dialog = window.sync.connect_server()
    assert dialog.server.text() == "https://sync.example.com" and dialog.server.isReadOnly()
    assert "administrator" in dialog.server.toolTip()
    dialog.reject()


def test_export_buttons_go_when_an_admin_turned_exports_off(qtbot, window, tmp_path, monkeypatch):
    site = tmp_path / "config.toml"
    site.write_text('[locked]\n"exports.allowed" = false\n', encoding="utf-8")
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(site))
    page = window.meetings.page
    assert page.pdf_button.isHidden() and page.ics_button.isHidden() and not page.log_button.isHidden()
    reader = window.induction.reader
    assert reader.pdf_button.isHidden() and reader.html_button.isHidden()
    people = window.clients.page.people
    people.views.setCurrentWidget(people.org_chart)
    zoom_out, _zoom_in, _fit, export = people.chart_tools
    assert not zoom_out.isHidden() and export.isHidden(), "the org chart's PNG export goes too"
