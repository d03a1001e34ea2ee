"""The server's database: one engine per process, its migrations, and its identity (id and epoch)."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import orjson
import sqlalchemy as sa

from companion.server.schema import server_meta

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _dumps(value) -> str:
    return orjson.dumps(value).decode()


def _loads(value):
    # SQLite gives a column declared JSON numeric affinity: a number stored as JSON text (a conflict's
    # value, an overwritten value in history) comes back as a number, already decoded.
    return value if isinstance(value, int | float) else orjson.loads(value)


# Every record is three JSON columns: orjson writes them several times faster than the json module.
_JSON = {"json_serializer": _dumps, "json_deserializer": _loads}


def make_engine(url: str) -> sa.Engine:
    """SQLite (a file) or PostgreSQL (`postgresql+psycopg://…`); writes take their lock up front."""
    if url.startswith("sqlite"):
        filename = sa.engine.make_url(url).database or ":memory:"
        engine = sa.create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(filename, check_same_thread=False, timeout=30),
            poolclass=sa.pool.QueuePool,
            **_JSON,
        )

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            dbapi_connection.execute("PRAGMA foreign_keys=ON")
            dbapi_connection.execute("PRAGMA busy_timeout=30000")
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")
            # A push of 2,000 records touches pages all over the record table's indexes: with SQLite's
            # 2 MiB default cache it read them back at every push, and with the default 4 MiB log it
            # copied the log into the file (and waited for the disk) at nearly every commit.
            dbapi_connection.execute("PRAGMA cache_size=-32768")
            dbapi_connection.execute("PRAGMA wal_autocheckpoint=10000")

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn: sa.Connection) -> None:
            # One writer at a time, decided at BEGIN: the team counter is the SQLite "row lock".
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True, **_JSON)


def migrate(engine: sa.Engine) -> None:
    """Brings the schema to head and gives a new server its id and epoch."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        known = {row.key for row in conn.execute(sa.select(server_meta.c.key))}
        for key in ("server_id", "epoch"):
            if key not in known:
                conn.execute(sa.insert(server_meta).values(key=key, value=str(uuid.uuid4())))


def meta(conn: sa.Connection, key: str) -> str:
    return conn.execute(sa.select(server_meta.c.value).where(server_meta.c.key == key)).scalar_one()


def schema_version() -> str:
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))[-1]
