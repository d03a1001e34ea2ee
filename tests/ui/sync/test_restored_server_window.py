"""The window tells a person when the server was restored from a backup and what this laptop sent again
(a real server on 127.0.0.1, its SQLite file put back as it was)."""

from __future__ import annotations

import sqlite3

from companion.server import admin, db
from tests.sync.live import serving
from tests.ui.helpers import SHOTS, TIMEOUT, run_edit, wait_idle
from tests.ui.sync.connecting import connect_and_sync


def test_the_status_bar_says_the_server_was_restored(qtbot, window, tmp_path, monkeypatch):
    live = tmp_path / "server.sqlite"
    engine = db.make_engine(f"sqlite:///{live}")
    db.migrate(engine)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        admin.add_team(conn, "North")
        admin.add_account(conn, "mira")
        admin.add_member(conn, team_name="North", user_name="mira")
        token = admin.issue_token(conn, user_name="mira", device="window")[1]
    monkeypatch.setenv("COMPANION_SYNC_TOKEN", token)  # CI has no keyring; the app reads this first
    backup = tmp_path / "backup.sqlite"
    with serving(engine) as url:
        connect_and_sync(qtbot, window, url=url, token=token)
        controller = window.sync.controller
        with sqlite3.connect(live) as source, sqlite3.connect(backup) as copy:
            source.backup(copy)  # last night's backup
        run_edit(qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Made after the backup"}))
        with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2):
            window.sync.sync_action.trigger()
        wait_idle(qtbot, window)
        with sqlite3.connect(backup) as copy, sqlite3.connect(live) as target:
            copy.backup(target)  # the admin restores it, the server running
        with qtbot.waitSignal(controller.sig_synced, timeout=TIMEOUT * 2) as synced:
            window.sync.sync_action.trigger()
        wait_idle(qtbot, window)
        assert synced.args[0].messages
        message = window.statusBar().currentMessage()
        assert "restored from a backup" in message and "sent 1 record to it again" in message
        SHOTS.mkdir(exist_ok=True)
        assert window.grab().save(str(SHOTS / "sync-restored-server.png"))
        # The client is on the server again: a fresh read of it finds it.
        with engine.connect() as conn:
            names = [r[0] for r in conn.exec_driver_sql("SELECT fields FROM record WHERE kind = 'client'")]
        assert any("Made after the backup" in str(n) for n in names)
    engine.dispose()
