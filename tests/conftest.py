"""Shared fixtures: a fresh workspace file per test, and Qt without a screen."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# New workspaces are encrypted with a key kept in the OS keyring. Tests (and the commands they run)
# share a keyring kept in a file; tests of the real Secret Service start gnome-keyring themselves.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.file_keyring.FileKeyring")
os.environ.setdefault(
    "COMPANION_TEST_KEYRING", str(Path(tempfile.mkdtemp(prefix="keyring-")) / "keyring.json")
)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")) if p
)

import pytest

from companion.core.service import Workspace


@pytest.fixture(scope="session")
def empty_workspace_file(tmp_path_factory):
    """One freshly migrated workspace, copied for each test (migrating every time is slow)."""
    path = tmp_path_factory.mktemp("template") / "workspace.sqlite"
    Workspace.open(path).close()
    return path


@pytest.fixture
def workspace(tmp_path, empty_workspace_file):
    """An empty workspace in a real SQLite file of its own."""
    path = tmp_path / "workspace.sqlite"
    shutil.copyfile(empty_workspace_file, path)
    ws = Workspace.open(path)
    yield ws
    ws.close()


@pytest.fixture
def client_id(workspace):
    return workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
