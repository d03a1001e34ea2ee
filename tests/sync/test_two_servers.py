"""Two `companion serve` processes on one PostgreSQL database, laptops alternating between them: all state
lives in the database, so they converge with no error."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import _env
from tests.sync.conftest import database_url
from tests.sync.live import ServerProcess
from tests.sync.test_real_server import companion, log_in, ok, team_with_tokens


@pytest.fixture(params=["postgresql"])
def database(request, tmp_path) -> str:
    return database_url(request, tmp_path)


def test_laptops_alternating_between_two_server_processes_converge(database, tmp_path):
    url = database
    folders = [tmp_path / "server-1", tmp_path / "server-2"]
    servers = [ServerProcess(folder, database=url, env=_env()) for folder in folders]
    urls = [server.start() for server in servers]
    try:
        tokens = team_with_tokens(folders[1], "L0", "L1", "L2", database=url)
        laptops = [tmp_path / f"laptop-{n}" for n in range(3)]
        client = ok(laptops[0], "add", "client", "name=Halvorsen Offshore").strip()
        for round_ in range(3):
            for n, laptop in enumerate(laptops):
                # Each laptop talks to one server this round and to the other the next.
                server_url = urls[(n + round_) % 2]
                if round_:
                    ok(laptop, "sync", "logout")
                log_in(laptop, server_url, tokens[n])
                first = companion(laptop, "sync", token=tokens[n])  # what the others sent
                assert first.returncode in (0, 3), first.stderr
                note = f"body=Round {round_} from laptop {n}"
                ok(laptop, "add", "note", note, "privacy=team", f"client_id={client}")
                then = companion(laptop, "sync", token=tokens[n])  # and this laptop's note out
                assert then.returncode in (0, 3), then.stderr
        for n, laptop in enumerate(laptops):
            assert companion(laptop, "sync", token=tokens[n]).returncode in (0, 3)
        notes = [
            sorted(n["body"] for n in json.loads(ok(laptop, "list", "note", "--json", token=tokens[i])))
            for i, laptop in enumerate(laptops)
        ]
        assert notes[0] == notes[1] == notes[2] and len(notes[0]) == 9
    finally:
        for server in servers:
            server.stop()
