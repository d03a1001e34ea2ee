"""A server restored from last night's backup: laptops notice what it forgot, send it again, and converge."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from tests.sync.postgres import binaries


def _clients(ws) -> dict[str, str | None]:
    return {r.values["name"]: r.values["industry"] for r in ws.list(kind="client")}


class _Backups:
    """Last night's backup of the server's database, and the admin restoring it (SQLite: a copy of the
    file; PostgreSQL: pg_dump, then a database rebuilt from the dump with pg_restore)."""

    def __init__(self, server, folder: Path):
        self.server, self.folder = server, folder
        self.url = server.engine.url

    def take(self) -> Path:
        if self.url.get_backend_name() == "sqlite":
            target = self.folder / "backup.sqlite"
            with (
                sqlite3.connect(self.url.database or _sqlite_file(self.server)) as source,
                sqlite3.connect(target) as copy,
            ):
                source.backup(copy)
            return target
        target = self.folder / "backup.dump"
        self._pg("pg_dump", "-Fc", "-f", str(target), self.url.database)
        return target

    def restore(self, backup: Path) -> None:
        self.server.engine.dispose()  # the server's connections go; its next ones open the restored data
        if self.url.get_backend_name() == "sqlite":
            live = Path(_sqlite_file(self.server))
            for leftover in (Path(f"{live}-wal"), Path(f"{live}-shm")):
                leftover.unlink(missing_ok=True)
            shutil.copyfile(backup, live)
            return
        name = self.url.database
        self._pg("dropdb", "--force", name)
        self._pg("createdb", name)
        self._pg("pg_restore", "--no-owner", "-d", name, str(backup))

    def _pg(self, program: str, *args: str) -> None:
        url = self.url
        subprocess.run(
            [str(binaries() / program), "-h", url.host, "-p", str(url.port), "-U", url.username, *args],
            check=True, capture_output=True, text=True, timeout=120,
        )  # fmt: skip


def _sqlite_file(server) -> str:
    with server.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA database_list").all()[0][2]


def test_laptops_send_again_what_a_restored_server_lost_and_converge(server, laptops, tmp_path):
    a, b, c = laptops("a"), laptops("b"), laptops("c")
    early = a.ws.create(kind="client", values={"name": "Early"}).created_id
    for laptop in (a, b, c):
        laptop.sync()
    backups = _Backups(server, tmp_path)
    backup = backups.take()

    # After the backup: A and B push (A edits a record the backup holds), C only reads.
    a.ws.update(kind="client", id=early, values={"industry": "Energy"})
    a.ws.create(kind="client", values={"name": "Late from A"})
    a.sync()
    b.ws.create(kind="client", values={"name": "Late from B"})
    b.sync()
    c.sync()
    everything = {"Early": "Energy", "Late from A": None, "Late from B": None}
    assert _clients(c.ws) == everything

    backups.restore(backup)
    # B comes first, with more work than C ever read: the team's counter passes C's cursor, so only the
    # mark of the history C read to tells C that this server forgot it.
    for n in range(12):
        b.ws.create(kind="client", values={"name": f"After the restore {n}"})
    told = b.sync()
    assert any("restored from a backup" in m for m in told.messages), told.messages
    counter = server.admin(lambda conn: conn.exec_driver_sql("SELECT seq FROM team_counter").scalar())
    assert counter > int(c.ws.meta(key="sync_cursor"))
    c.ws.create(kind="client", values={"name": "Typed by C offline"})
    told = c.sync()
    assert any("restored from a backup" in m for m in told.messages), told.messages
    for laptop in (a, b, c, a, b):
        laptop.sync()

    everything |= {f"After the restore {n}": None for n in range(12)} | {"Typed by C offline": None}
    for name, laptop in {"a": a, "b": b, "c": c}.items():
        assert _clients(laptop.ws) == everything, name
        assert laptop.ws.outbox() == [], name
        assert laptop.sync().messages == [], name  # nobody is stuck, and nothing is sent again
    newcomer = laptops("newcomer")
    newcomer.sync()
    assert _clients(newcomer.ws) == everything
