"""A server restored from last night's backup: laptops notice what it forgot, send it again, and converge."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

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


def test_an_edit_made_after_the_backup_survives_other_edits_after_the_restore(server, laptops, tmp_path):
    a, b = laptops("a"), laptops("b")
    client = a.ws.create(kind="client", values={"name": "Halvorsen"}).created_id
    a.sync()
    b.sync()
    backups = _Backups(server, tmp_path)
    backup = backups.take()
    b.ws.update(kind="client", id=client, values={"industry": "Energy"})
    b.sync()
    backups.restore(backup)
    for n in range(3):
        a.ws.create(kind="client", values={"name": f"After {n}"})
    a.ws.update(kind="client", id=client, values={"aliases": ["Halvorsen AS"]})
    for laptop in (a, b, a, b):
        laptop.sync()
    for laptop in (a, b):
        held = laptop.ws.get(kind="client", id=client)
        assert (held["industry"], held["aliases"]) == ("Energy", ["Halvorsen AS"])


def test_a_deleted_record_the_restored_server_lost_still_resolves_the_lists_naming_it(
    server, laptops, tmp_path
):
    a, b = laptops("a"), laptops("b")
    client = a.ws.create(kind="client", values={"name": "Halvorsen"}).created_id
    a.sync()
    backups = _Backups(server, tmp_path)
    backup = backups.take()
    guest = a.ws.create(kind="contact", values={"name": "Visiting Auditor"}).created_id
    meeting = a.ws.create(
        kind="meeting",
        values={
            "client_id": client,
            "title": "Audit",
            "starts_at": "2026-12-07T09:00:00Z",
            "contact_ids": [guest],
        },
    ).created_id
    a.sync()
    a.ws.delete(kind="contact", id=guest)
    a.sync()
    backups.restore(backup)
    a.sync()
    assert a.ws.outbox() == [] and a.sync().messages == []
    b.sync()
    assert b.ws.get(kind="meeting", id=meeting)["title"] == "Audit"


def test_an_edit_waiting_for_a_record_the_server_lost_goes_with_the_whole_record(
    server, laptops, tmp_path, monkeypatch
):
    from companion.sync import wire

    monkeypatch.setattr(wire, "PUSH_LIMIT", 3)
    a, b = laptops("a"), laptops("b")
    a.ws.create(kind="client", values={"name": "Early"})
    a.sync()
    backups = _Backups(server, tmp_path)
    backup = backups.take()
    lost = a.ws.create(kind="client", values={"name": "Made after the backup"}).created_id
    a.sync()
    backups.restore(backup)
    a.ws.update(kind="client", id=lost, values={"industry": "Energy"})
    for n in range(3):
        a.ws.create(kind="client", values={"name": f"New {n}"})
    a.sync()
    assert a.ws.outbox() == []
    b.sync()
    assert b.ws.get(kind="client", id=lost)["industry"] == "Energy"
    assert len(b.ws.list(kind="client")) == 5


def test_a_laptop_whose_pull_broke_off_notices_the_restore(server, laptops, tmp_path):
    from companion.sync.client import SyncError

    a, b, c = laptops("a"), laptops("b"), laptops("c")
    a.ws.create(kind="client", values={"name": "Before"})
    a.sync()
    backups = _Backups(server, tmp_path)
    backup = backups.take()
    for n in range(5):
        a.ws.create(kind="client", values={"name": f"Lost {n}"})
    a.sync()
    # C's pull stops after its first page, part-way through A's push.
    c.client.pull_limit = 2
    real = c.client._fetch_page
    pages = []

    def breaking(cursor, known):
        pages.append(cursor)
        if len(pages) == 2:
            raise SyncError("The connection broke off.")
        return real(cursor, known)

    c.client._fetch_page = breaking
    with pytest.raises(SyncError):
        c.sync()
    c.client._fetch_page = real
    backups.restore(backup)
    for n in range(3):
        b.ws.create(kind="client", values={"name": f"After {n}"})
    b.sync()
    told = c.sync()
    assert any("restored from a backup" in m for m in told.messages), told.messages
    for laptop in (a, b, c):
        laptop.sync()
    everything = {"Before", *(f"Lost {n}" for n in range(5)), *(f"After {n}" for n in range(3))}
    for laptop in (a, b, c):
        assert set(_clients(laptop.ws)) == everything
