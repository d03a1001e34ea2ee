"""Damaged, empty, read-only and locked workspaces (issue 21): refused in one line naming the file, exit 1,
never written to; damage is found cheaply on open, mid-command, and by quick_check before a backup or a
conversion. Each test damages a copy of a real demo workspace by flipping bytes."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from companion.store import cipher, database
from companion.store.cipher import WorkspaceKey
from tests.store.damage import copy_of, digest, flip, make_demo, pages_of, refused_in_one_line, root_page, run

KEY = WorkspaceKey(bytes(range(32)))


@pytest.fixture(scope="module")
def plain_demo(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("plain") / "data", key=None)


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("encrypted") / "data", key=KEY)


def _files(folder: Path) -> dict[str, str]:
    """Every file of the folder but the note that marks a damaged one, and SQLite's empty -shm/-wal."""
    return {
        p.name: digest(p)
        for p in folder.iterdir()
        if p.is_file() and not p.name.endswith(".damaged") and not p.name.endswith(("-shm", "-wal"))
    }


def _table_hashes(path: Path, key: WorkspaceKey | None = None) -> dict[str, int]:
    with closing(cipher.connect(path, key)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: hash(tuple(sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))))) for t in tables}


def test_damaged_pages_are_refused_in_one_line_and_never_written(plain_demo, tmp_path, capsys):
    """Issue 21: `search` showed an SQLAlchemy traceback and `add` wrote into the damaged file."""
    path = copy_of(plain_demo, tmp_path / "data")
    folder = path.parent
    pages = pages_of(path, "contact")
    flip(path, pages[len(pages) // 2], *pages_of(path, "search_name_data"))
    before = _files(folder)

    code, _out, err = run(capsys, folder, "search", "Halvorsen")
    assert code == 1
    refused_in_one_line(err, str(path), "is damaged", "companion recover", "will not write")
    # Found once, the damage holds every later command off the file, writes first of all.
    code, _out, err = run(capsys, folder, "add", "client", "name=Written into damage")
    assert code == 1
    refused_in_one_line(err, str(path), "is damaged", "companion recover")
    code, _out, err = run(capsys, folder, "list", "client")
    assert code == 1
    refused_in_one_line(err, "is damaged")
    assert _files(folder) == before


def test_a_write_that_meets_damage_is_refused_and_rolled_back(plain_demo, tmp_path, capsys):
    path = copy_of(plain_demo, tmp_path / "data")
    flip(path, *pages_of(path, "sqlite_autoindex_client_1"), *pages_of(path, "client"))
    before = _files(path.parent)
    code, _out, err = run(capsys, path.parent, "add", "client", "name=Kestrel")
    assert code == 1
    refused_in_one_line(err, str(path), "is damaged")
    assert _files(path.parent) == before


def test_an_encrypted_workspace_with_a_damaged_page_is_refused_on_open(encrypted_demo, tmp_path, capsys):
    path = copy_of(encrypted_demo, tmp_path / "data")
    flip(path, root_page(path, "contact", KEY), start=200, length=300)
    before = _files(path.parent)
    for args in (("list", "client"), ("add", "client", "name=Kestrel"), ("search", "Halvorsen")):
        code, _out, err = run(capsys, path.parent, *args)
        assert code == 1, args
        refused_in_one_line(err, str(path), "is damaged", "companion recover")
    assert _files(path.parent) == before


def test_an_empty_workspace_is_named_and_never_replaced(tmp_path, capsys):
    """Issue 21: a zero-byte workspace silently became a new empty one (encrypted with a new key)."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "workspace.sqlite").touch()
    for args in (("list", "client"), ("add", "client", "name=Kestrel")):
        code, _out, err = run(capsys, folder, *args)
        assert code == 1
        refused_in_one_line(err, str(folder / "workspace.sqlite"), "is empty (0 bytes)", "leaves it as it is")
    assert [(p.name, p.stat().st_size) for p in folder.iterdir()] == [("workspace.sqlite", 0)]


def test_a_plain_file_with_a_damaged_header_is_not_called_encrypted(plain_demo, tmp_path, capsys):
    """Issue 21: a damaged header was reported as "encrypted … keyring cannot be reached"."""
    path = copy_of(plain_demo, tmp_path / "data")
    flip(path, 1, start=0, length=16)
    before = _files(path.parent)
    code, _out, err = run(capsys, path.parent, "list", "client")
    assert code == 1
    refused_in_one_line(err, str(path), "header is damaged", "companion recover")
    assert "encrypted" not in err and "keyring" not in err
    assert _files(path.parent) == before


def test_damage_the_cheap_check_misses_is_found_before_a_backup_or_a_conversion(plain_demo, tmp_path, capsys):
    path = copy_of(plain_demo, tmp_path / "data")
    flip(path, *pages_of(path, "ix_outbox_record_id"))  # an index no command here reads
    before = _files(path.parent)
    out = tmp_path / "copy.companion"
    code, _out, err = run(capsys, path.parent, "backup", "--out", str(out))
    assert code == 1
    refused_in_one_line(err, str(path), "is damaged", "SQLite's check")
    assert not out.exists()
    (path.parent / "workspace.sqlite.damaged").unlink()  # as if found only now
    code, _out, err = run(capsys, path.parent, "encrypt")
    assert code == 1
    refused_in_one_line(err, str(path), "is damaged")
    assert _files(path.parent) == before


def test_restoring_a_damaged_backup_is_refused_in_one_line(plain_demo, tmp_path, capsys):
    """Issue 21: restoring a damaged file gave a traceback."""
    path = copy_of(plain_demo, tmp_path / "data")
    damaged = tmp_path / "damaged.companion"
    damaged.write_bytes(path.read_bytes())
    flip(damaged, *pages_of(damaged, "contact")[:2])
    before, backup_before = _files(path.parent), digest(damaged)
    code, _out, err = run(capsys, path.parent, "restore", str(damaged))
    assert code == 1
    refused_in_one_line(err, str(damaged), "cannot be restored", "damaged", "Nothing was changed")
    assert _files(path.parent) == before and digest(damaged) == backup_before
    assert not (tmp_path / "damaged.companion.damaged").exists()


def test_a_backup_into_a_missing_folder_is_one_line(plain_demo, tmp_path, capsys):
    path = copy_of(plain_demo, tmp_path / "data")
    before = _files(path.parent)
    out = tmp_path / "no such folder" / "copy.companion"
    code, _out, err = run(capsys, path.parent, "backup", "--out", str(out))
    assert code == 1
    refused_in_one_line(err, f"Cannot write {out}", "does not exist", "Nothing was written")
    assert not out.parent.exists() and _files(path.parent) == before


@contextlib.contextmanager
def _small_disk(where: Path, size: str = "64k"):
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=False)
    if mounted.returncode != 0:
        pytest.skip("this machine does not let the test mount a small disk")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_backup_onto_a_full_disk_is_one_line_and_leaves_nothing(plain_demo, tmp_path, capsys):
    path = copy_of(plain_demo, tmp_path / "data")
    before = _files(path.parent)
    with _small_disk(tmp_path / "small") as small:
        out = small / "copy.companion"
        code, _out, err = run(capsys, path.parent, "backup", "--out", str(out))
        assert code == 1
        refused_in_one_line(err, f"Cannot write {out}", "disk is full", "Nothing was written")
        assert list(small.iterdir()) == []
    assert _files(path.parent) == before


def test_a_read_only_workspace_is_one_line(plain_demo, tmp_path, capsys):
    with _small_disk(tmp_path / "ro", "8m") as folder:
        path = copy_of(plain_demo, folder / "data")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        before = _files(path.parent)
        code, _out, err = run(capsys, path.parent, "add", "client", "name=Kestrel")
        assert code == 1
        refused_in_one_line(err, str(path), "read-only", "Nothing was changed")
        assert _files(path.parent) == before


def test_a_workspace_another_program_is_writing_is_one_line(plain_demo, tmp_path, capsys, monkeypatch):
    path = copy_of(plain_demo, tmp_path / "data")
    before = _table_hashes(path)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        code, _out, err = run(capsys, path.parent, "add", "client", "name=Kestrel")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1
    refused_in_one_line(err, str(path), "in use by another program", "Nothing was changed")
    assert _table_hashes(path) == before
