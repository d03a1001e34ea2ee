"""A record the server holds that this laptop's rules refuse is set aside: the window's sync indicator says
how many and, on hover, which and why; the rest of the team's work arrives (a real server on 127.0.0.1)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from companion.server import admin, db
from companion.server.schema import record, team_counter
from tests.sync.live import serving
from tests.ui.helpers import TIMEOUT
from tests.ui.sync.connecting import connect_and_sync


def test_the_indicator_names_what_was_set_aside(qtbot, window, tmp_path, monkeypatch):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'server.sqlite'}")
    db.migrate(engine)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        team_id = admin.add_team(conn, "North")
        admin.add_account(conn, "mira")
        admin.add_member(conn, team_name="North", user_name="mira")
        token = admin.issue_token(conn, user_name="mira", device="window")[1]
        # A row from before the server checked values: a client whose name is not text.
        bad = str(uuid.uuid4())
        conn.execute(
            sa.insert(record).values(
                id=bad,
                team_id=team_id,
                kind="client",
                fields={"name": ["not", "text"]},
                field_seqs={"name": 1},
                field_hlcs={"name": "t|old"},
                created_at="2026-01-01T00:00:00Z",
                updated_at="2026-01-01T00:00:00Z",
                deleted_at=None,
                deleted_seq=None,
                seq=1,
            )
        )
        conn.execute(sa.update(team_counter).where(team_counter.c.team_id == team_id).values(seq=1))
    monkeypatch.setenv("COMPANION_SYNC_TOKEN", token)  # CI has no keyring; the app reads this first
    with serving(engine) as url:
        summary = connect_and_sync(qtbot, window, url=url, token=token)
    controller = window.sync.controller
    engine.dispose()
    assert summary.set_aside == 1
    label = controller.indicator.label
    qtbot.waitUntil(lambda: "1 records set aside" in label.text(), timeout=TIMEOUT)
    assert f"client {bad}: Client · Name (name): expected text" in label.toolTip()
    assert label.property("role") == "warning"
