"""A second opening of a workspace in a process that has it open keeps that process's locks on the file."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from contextlib import closing

import pytest

from companion.core.service import Workspace
from companion.store import cipher
from companion.store.cipher import WorkspaceKey

# The workspace open, a client written, the file opened a second time (as the window's sync does), then
# on a word from the test a commit, and the process waits to be killed.
HOLDER = """
import os, sys
from companion.core.service import Workspace
from companion.store.cipher import WorkspaceKey
key = WorkspaceKey(bytes.fromhex(os.environ["KEY"])) if os.environ.get("KEY") else None
ws = Workspace.open(sys.argv[1], key)
client = ws.create(kind="client", values={"name": "first"}).created_id
second = Workspace.open(sys.argv[1], key)
print("ready", flush=True)
sys.stdin.readline()
ws.update(kind="client", id=client, values={"name": "second"})
print("written", flush=True)
sys.stdin.readline()
"""


def _line(process: subprocess.Popen) -> str:
    readable, _, _ = select.select([process.stdout], [], [], 60)
    return process.stdout.readline() if readable else ""


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_commit_survives_another_process_closing_the_file(tmp_path, encrypted):
    """SQLite keeps the log of commits not yet copied into the file as long as any process has the file
    open; it knows by the POSIX locks each holds, which closing any descriptor of the file drops. The
    second opening must not drop the first's, or another process closing the file deletes the log and
    the holder's next commit is lost when it is killed."""
    path = tmp_path / "workspace.sqlite"
    key = WorkspaceKey.random() if encrypted else None
    env = {**os.environ, "KEY": key.secret.hex() if key else ""}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert _line(holder) == "ready\n"
        # Another process (the command line, a second window) opens the workspace and closes it.
        with closing(cipher.connect(path, key)) as other:
            assert other.execute("SELECT name FROM client").fetchall() == [("first",)]
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert _line(holder) == "written\n"
    finally:
        holder.kill()
        holder.wait(timeout=30)
    ws = Workspace.open(path, key)
    try:
        assert [r.values["name"] for r in ws.list(kind="client")] == ["second"]
    finally:
        ws.close()
