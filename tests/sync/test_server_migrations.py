"""The server's migrations build exactly the tables its schema describes, and an older server upgrades intact."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from companion.server import db
from companion.server.schema import metadata
from tests.sync.conftest import database_url


def _upgrade(engine: sa.Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()


def test_schema_and_migrations_agree(server):
    with server.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> str:
    return database_url(request, tmp_path)


def test_a_server_of_the_last_release_upgrades_with_its_records_and_history(empty_database):
    engine = db.make_engine(empty_database)
    _upgrade(engine, "0002")
    with engine.connect() as conn, conn.begin():
        conn.exec_driver_sql(
            "INSERT INTO team (id, name, created_at) VALUES ('t1', 'North', '2026-01-01T00:00:00Z')"
        )
        conn.exec_driver_sql(
            "INSERT INTO record (id, team_id, kind, fields, field_seqs, field_hlcs, created_at, updated_at, seq) "
            "VALUES ('r1', 't1', 'client', '{\"name\": \"Halvorsen\"}', '{\"name\": 2}', '{}', 'x', 'x', 2)"
        )
        conn.exec_driver_sql(
            "INSERT INTO history (record_id, field, value, seq, device_id) VALUES ('r1', 'name', '\"Old\"', 1, 'd')"
        )
    db.migrate(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT team_id, id FROM record").all() == [("t1", "r1")]
        assert conn.exec_driver_sql("SELECT team_id, record_id, seq FROM history").all() == [("t1", "r1", 1)]
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    engine.dispose()
