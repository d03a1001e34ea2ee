"""Opening a workspace: new files are made, foreign and newer files are refused and left untouched."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from companion.core.service import Workspace
from companion.model.errors import WorkspaceError
from companion.store.fileinfo import head_revision


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_workspace_uses_wal_and_foreign_keys(tmp_path):
    ws = Workspace.open(tmp_path / "sub" / "w.sqlite")
    try:
        with ws.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert ws.meta(key="device_id")
    finally:
        ws.close()


def test_reopening_keeps_records_and_device(tmp_path):
    path = tmp_path / "w.sqlite"
    ws = Workspace.open(path)
    cid = ws.create(kind="client", values={"name": "Kestrel Logistics"}).created_id
    device = ws.meta(key="device_id")
    ws.close()
    ws = Workspace.open(path)
    try:
        assert ws.get(kind="client", id=cid)["name"] == "Kestrel Logistics"
        assert ws.meta(key="device_id") == device
    finally:
        ws.close()


def test_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list\n")
    before = _digest(path)
    with pytest.raises(WorkspaceError, match="not a Companion workspace"):
        Workspace.open(path)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(WorkspaceError, match="another program"):
        Workspace.open(path)
    assert _digest(path) == before


def test_workspace_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "w.sqlite"
    Workspace.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(WorkspaceError, match="newer version of Companion") as caught:
        Workspace.open(path)
    assert "9999" in str(caught.value) and head_revision() in str(caught.value)
    assert _digest(path) == before


def test_an_empty_file_is_named_and_left_as_it_is(tmp_path):
    """Issue 21: a zero-byte workspace silently became a new empty one; it is refused, named, untouched."""
    path = tmp_path / "w.sqlite"
    path.touch()
    with pytest.raises(WorkspaceError, match=r"w\.sqlite is empty \(0 bytes\)"):
        Workspace.open(path)
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.sqlite"]
