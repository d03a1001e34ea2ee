"""Migrations build exactly the tables the models describe, and every old workspace upgrades intact."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from companion.core.service import Workspace
from companion.store.fileinfo import head_revision, known_revisions
from companion.store.migrations_check import include_object
from companion.store.schema import metadata

FIXTURES = Path(__file__).parents[1] / "fixtures" / "workspaces"


# SQLAlchemy cannot reflect the lower(title) indexes; include_object leaves them out on purpose.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_models_and_migrations_agree(workspace):
    with workspace.db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_new_workspace_is_at_head(workspace):
    with workspace.db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()


def test_every_schema_version_has_a_fixture_workspace():
    have = sorted(p.stem for p in FIXTURES.glob("*.sqlite"))
    assert have == known_revisions()


@pytest.mark.parametrize("revision", known_revisions())
def test_fixture_workspace_upgrades_with_its_data(tmp_path, revision):
    path = tmp_path / "workspace.sqlite"
    shutil.copyfile(FIXTURES / f"{revision}.sqlite", path)
    expected = json.loads((FIXTURES / f"{revision}.json").read_text(encoding="utf-8"))
    ws = Workspace.open(path)
    try:
        with ws.db.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        assert ws.export_records() == expected
        # The upgraded workspace still searches and takes edits.
        client = expected["client"][0]
        assert any(hit.record_id == client["id"] for hit in ws.search(text=client["name"]))
        ws.update(kind="client", id=client["id"], values={"status": "dormant"})
    finally:
        ws.close()
    if revision != head_revision():
        assert list(tmp_path.glob("workspace.sqlite.before-*.bak")), "a backup is kept before migrating"
    # Same indexes (expression ones included, which compare_metadata cannot see) as a new workspace.
    fresh = Workspace.open(tmp_path / "fresh.sqlite")
    fresh.close()
    assert _schema_objects(path) == _schema_objects(tmp_path / "fresh.sqlite")


def _schema_objects(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
    finally:
        conn.close()
