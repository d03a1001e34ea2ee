"""Many laptops pushing at once while another reads: sequences commit in order, no reader skips a row."""

from __future__ import annotations

import threading

from companion.core.service import Workspace
from companion.sync.client import SyncClient
from tests.sync.live import serving

LAPTOPS, CLIENTS = 8, 30


def test_concurrent_pushes_and_a_reader_that_never_skips(server, tmp_path):
    with serving(server.engine) as url:
        writers = []
        for n in range(LAPTOPS):
            ws = Workspace.open(tmp_path / f"w{n}.sqlite")
            for c in range(CLIENTS):
                ws.create(kind="client", values={"name": f"Laptop {n} client {c}"})
            writers.append(
                SyncClient(ws, server=url, token=server.token(device=f"w{n}"), team_id=server.team_id)
            )
        reader_ws = Workspace.open(tmp_path / "reader.sqlite")
        reader = SyncClient(
            reader_ws, server=url, token=server.token(device="reader"), team_id=server.team_id
        )
        reader.pull_limit = 7  # many small pages while the writers commit
        errors: list[BaseException] = []
        start = threading.Barrier(LAPTOPS + 1)
        done = threading.Event()

        def write(client):
            try:
                start.wait()
                client.sync()
            except BaseException as exc:  # reported below, with the test's failure
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(c,)) for c in writers]
        for thread in threads:
            thread.start()
        start.wait()
        cursors = []

        def read():
            while not done.is_set():
                reader.sync()
                cursors.append(int(reader_ws.meta(key="sync_cursor") or 0))  # none yet: 0

        reading = threading.Thread(target=read)
        reading.start()
        for thread in threads:
            thread.join(timeout=120)
        done.set()
        reading.join(timeout=120)
        assert errors == []
        reader.sync()
        assert cursors == sorted(cursors), "a cursor only moves forward"
        assert len(reader_ws.list(kind="client")) == LAPTOPS * CLIENTS
        # The writers pulled while the others were still pushing: one more sync each and all agree.
        for client in writers:
            client.sync()
            assert len(client.ws.list(kind="client")) == LAPTOPS * CLIENTS
        for client in writers:
            client.ws.close()
        reader_ws.close()
