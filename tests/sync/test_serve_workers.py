"""`companion serve --workers 2`: two worker processes answer the same team, on SQLite and PostgreSQL, and
stop with the command."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from companion.core.service import Workspace
from companion.server import db
from companion.sync.client import SyncClient
from tests.cli.test_cli import _env
from tests.sync.conftest import database_url
from tests.sync.live import ServerProcess, free_port, team_with_devices


def _workers(pid: int) -> set[int]:
    """The worker processes `pid` started (multiprocessing's spawned children; its resource tracker
    aside), from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(int(child))
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    url = database_url(request, tmp_path)
    engine = db.make_engine(url)
    db.migrate(engine)
    team_id, tokens = team_with_devices(engine, 4)
    engine.dispose()
    return url, team_id, tokens


def test_two_workers_serve_laptops_syncing_at_once(database, tmp_path):
    url, team_id, tokens = database
    server = ServerProcess(tmp_path / "server", database=url, env=_env())
    server.command += ["--workers", "2"]
    address = server.start()
    try:
        assert server.process is not None
        workers = _workers(server.process.pid)
        assert len(workers) == 2, workers
        laptops = [
            SyncClient(Workspace.open(tmp_path / f"l{n}.sqlite"), server=address, token=t, team_id=team_id)
            for n, t in enumerate(tokens)
        ]
        errors: list[BaseException] = []

        def edit_and_sync(n: int, laptop: SyncClient) -> None:
            try:
                for round_number in range(3):
                    laptop.ws.create(kind="client", values={"name": f"Laptop {n} round {round_number}"})
                    laptop.sync()
            except BaseException as exc:  # reported by the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=edit_and_sync, args=(n, c)) for n, c in enumerate(laptops)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        for laptop in laptops:
            laptop.sync()
        names = [sorted(r.values["name"] for r in c.ws.list(kind="client")) for c in laptops]
        assert names[0] == sorted(f"Laptop {n} round {r}" for n in range(4) for r in range(3))
        assert all(held == names[0] for held in names)
        for laptop in laptops:
            laptop.ws.close()
    finally:
        server.stop()
    assert server.process.returncode is not None
    # The workers stop with the command: none is left answering.
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_the_workers_socket_says_it_is_tcp():
    """asyncio sets TCP_NODELAY only on connections of a socket whose protocol is TCP; uvicorn's own for
    several workers says 0, and each kept-alive request after the first waited for a delayed ACK."""
    from companion.server.worker import IMPORT_STRING, _TcpConfig

    config = _TcpConfig(IMPORT_STRING, factory=True, workers=2, host="127.0.0.1", port=free_port())
    listening = config.bind_socket()
    try:
        assert listening.proto == socket.IPPROTO_TCP
    finally:
        listening.close()
