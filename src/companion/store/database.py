"""Opens a workspace file: refuses foreign or newer files, migrates older ones, makes the one engine."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from companion.core.errors import WorkspaceError
from companion.store.schema import APPLICATION_ID

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_MAGIC = b"SQLite format 3\x00"


def known_revisions() -> list[str]:
    """Schema revisions this build knows, oldest first (file names start with the revision id)."""
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))


def head_revision() -> str:
    return known_revisions()[-1]


def _inspect_existing(path: Path) -> str | None:
    """The schema revision of an existing file, or None for a new one; refuses what is not ours.

    Reads the file read-only, so a refused file is left exactly as it was.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise WorkspaceError(
            f"{path} is not a Companion workspace (it is not a database file). "
            "Choose another file or folder; this one was left untouched."
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:  # pragma: no cover - the OS refused the file
        raise WorkspaceError(f"{path} cannot be opened: {exc}.") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(
            f"{path} is damaged or not a Companion workspace ({exc}). It was left untouched."
        ) from exc
    finally:
        conn.close()
    if app_id == 0 and not tables:
        return None
    if app_id != APPLICATION_ID or revision is None:
        raise WorkspaceError(
            f"{path} is a database of another program, not a Companion workspace. "
            "It was left untouched."
        )
    if revision not in known_revisions():
        raise WorkspaceError(
            f"{path} was written by a newer version of Companion (schema {revision}; "
            f"this version knows up to {head_revision()}). Update Companion to open it; "
            "the file was left untouched."
        )
    return revision


def _on_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's begin event issue BEGIN itself, so writes can ask for IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_begin(conn: sa.Connection) -> None:
    # A writer takes the lock up front so two writers never deadlock upgrading a read lock.
    immediate = conn.get_execution_options().get("companion_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path) -> sa.Engine:
    """The one place an engine is made (encryption plugs in here later)."""
    engine = sa.create_engine(f"sqlite:///{path}", future=True)
    sa.event.listen(engine, "connect", _on_connect)
    sa.event.listen(engine, "begin", _on_begin)
    return engine


def _backup(path: Path, revision: str) -> Path:
    """Copies the workspace before a migration so an upgrade can always be undone by hand."""
    target = path.with_name(f"{path.name}.before-{head_revision()}-from-{revision}.bak")
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def upgrade(engine: sa.Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect().execution_options(companion_write=True) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()


class Database:
    """An open workspace: its file, its engine, and transactions on it."""

    def __init__(self, path: Path, engine: sa.Engine):
        self.path = path
        self.engine = engine

    @classmethod
    def open(cls, path: Path) -> Database:
        path = Path(path)
        revision = _inspect_existing(path)
        if revision is None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(path)
        if revision != head_revision():
            if revision is not None:
                backup = _backup(path, revision)
                log.info("Upgrading %s from schema %s; backup at %s", path, revision, backup)
            upgrade(engine)
        return cls(path, engine)

    @contextlib.contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        """One write transaction: committed whole, or rolled back whole on any error."""
        with self.engine.connect().execution_options(companion_write=True) as conn, conn.begin():
            yield conn

    def close(self) -> None:
        self.engine.dispose()
