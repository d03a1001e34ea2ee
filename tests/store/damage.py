"""Real demo workspaces (plain and encrypted) copied per test, damaged by flipping bytes in pages of the copy."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from companion import cli
from companion.core.demo import load_demo
from companion.core.service import Workspace
from companion.store import cipher
from companion.store.cipher import WorkspaceKey

PAGE = 4096


def make_demo(folder: Path, *, key: WorkspaceKey | None) -> Path:
    """A demo workspace in FOLDER: plain, or encrypted with a raw key kept in the (test) keyring."""
    from companion.app import workspace_keys

    folder.mkdir(parents=True, exist_ok=True)
    if key is None:
        (folder / "settings.json").write_text('{"workspace.encrypt_new": false}', encoding="utf-8")
    else:
        workspace_keys.remember(key)
    path = folder / "workspace.sqlite"
    ws = Workspace.open(path, key)
    try:
        load_demo(ws)
    finally:
        ws.close()
    return path


def copy_of(template: Path, folder: Path) -> Path:
    """The template's folder copied (workspace and settings) into FOLDER."""
    shutil.copytree(template.parent, folder)
    return folder / template.name


def pages_of(path: Path, name: str, kind: str = "leaf") -> list[int]:
    """The pages (1-based) of a plain file's table or index, of one type ('leaf', 'internal'), by dbstat."""
    with closing(sqlite3.connect(path)) as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno", (name, kind)
            )
        ]


def root_page(path: Path, name: str, key: WorkspaceKey | None) -> int:
    with closing(cipher.connect(path, key)) as conn:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]


def flip(path: Path, *pages: int, start: int = 0, length: int = PAGE) -> None:
    """Flips bytes all over the given pages (1-based), or over bytes start..start+length of page 1."""
    data = bytearray(path.read_bytes())
    for page in pages:
        offset = (page - 1) * PAGE
        for i in range(offset + start, offset + min(start + length, PAGE), 3):
            data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, folder: Path, *args: str) -> tuple[int, str, str]:
    """`companion --data-dir FOLDER ARGS` in this process: (exit status, stdout, stderr)."""
    capsys.readouterr()
    code = cli.main(["--data-dir", str(folder), *args])
    out, err = capsys.readouterr()
    return code, out, err


def refused_in_one_line(err: str, *words: str) -> None:
    assert "Traceback" not in err and "did not expect" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], (word, err)
