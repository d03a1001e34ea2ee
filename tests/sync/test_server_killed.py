"""The sync server killed (SIGKILL) while it writes a laptop's first pushes: no push is ever half there,
the laptop is never stuck, and in the end every record arrives, once, on another laptop."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from companion.server import db
from companion.server.schema import device, mutation, record, team_counter
from tests.cli.test_cli import _env
from tests.sync.conftest import database_url
from tests.sync.live import ServerProcess
from tests.sync.test_real_server import companion, exported_counts, log_in, ok


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    return database_url(request, tmp_path)


def _whole_pushes_only(url: str) -> int:
    """Checks the server's tables agree (every stored push is there whole); the records it holds."""
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            (last_seq,) = conn.execute(sa.select(device.c.last_seq)).one()
            results = [r for row in conn.execute(sa.select(mutation.c.result)) for r in row.result["results"]]
            held = conn.execute(sa.select(sa.func.count()).select_from(record)).scalar_one()
            top = conn.execute(sa.select(sa.func.max(record.c.seq))).scalar_one() or 0
            counter = conn.execute(sa.select(team_counter.c.seq)).scalar_one()
    finally:
        engine.dispose()
    assert sorted(r["seq"] for r in results) == list(range(1, last_seq + 1)), "a push stored in part"
    assert held == last_seq, "each mutation of a first sync made one record, no more, no less"
    assert counter == top == held
    return held


def _kill_after_next_commit(server: ServerProcess, url: str, syncing: subprocess.Popen, held: int) -> None:
    """Kills the server as soon as a push commits (the next one is then on its way), or once the sync ends.

    One engine polls (a pooled connection a look): making an engine for every look took long enough for
    a quick laptop to finish all its pushes unseen."""
    engine = db.make_engine(url)

    def records_held() -> int:
        with engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(record)).scalar_one()

    try:
        deadline = time.monotonic() + 60
        while syncing.poll() is None and records_held() <= held and time.monotonic() < deadline:
            time.sleep(0.005)
    finally:
        server.kill()
        engine.dispose()


def test_a_server_killed_mid_transaction_loses_nothing_and_never_shows_half_a_push(database, tmp_path):
    folder = tmp_path / "server"
    admin = ("server", "--database", database)
    ok(folder, *admin, "team", "add", "North")
    ok(folder, *admin, "user", "add", "mira")
    ok(folder, *admin, "member", "add", "North", "mira")
    tokens = [ok(folder, *admin, "token", "issue", "mira", "--device", d).splitlines()[-1] for d in "AB"]
    laptop = tmp_path / "a"
    ok(laptop, "demo", "--synthetic", "200")  # about 9,000 records: five pushes of 2,000
    server = ServerProcess(folder, database=database, env=_env())
    url = server.start()
    log_in(laptop, url, tokens[0])
    env = _env(COMPANION_SYNC_TOKEN=tokens[0])
    cut_off, seen = 0, [0]
    try:
        for _ in range(3):
            syncing = subprocess.Popen(
                [sys.executable, "-m", "companion", "--data-dir", str(laptop), "sync"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            _kill_after_next_commit(server, database, syncing, seen[-1])
            _out, err = syncing.communicate(timeout=120)
            if syncing.returncode != 0:
                cut_off += 1
                assert "did not answer" in err and "your edits are kept" in err, err
            seen.append(_whole_pushes_only(database))
            server.start()
        assert cut_off, "no sync was cut off: the kills came too late to test anything"
        final = companion(laptop, "sync", token=tokens[0])
        assert final.returncode == 0, final.stderr
        assert (
            ok(laptop, "sync", "status", token=tokens[0]).splitlines()[-1]
            == "0 edits to push, 0 conflicts open"
        )
        held = _whole_pushes_only(database)
        assert any(0 < n < held for n in seen), f"no kill came between two pushes: {seen}"
        other = tmp_path / "b"
        log_in(other, url, tokens[1])
        ok(other, "sync", token=tokens[1])
    finally:
        server.stop()
    counts = [exported_counts(data_dir, tmp_path) for data_dir in (laptop, other)]
    assert counts[0] == counts[1] and counts[0]["client"] == 200
    assert sum(counts[0].values()) == held
