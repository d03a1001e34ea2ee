"""Shared fixtures: a fresh workspace file per test, and Qt without a screen."""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
