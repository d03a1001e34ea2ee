"""Opens a workspace file: refuses foreign or newer files, migrates older ones, makes the one engine."""

from __future__ import annotations

import contextlib
import logging
import os
import weakref
from collections.abc import Iterator
from pathlib import Path

import orjson
import sqlalchemy as sa

from companion.store import cipher, integrity
from companion.store.cipher import WorkspaceKey
from companion.store.fileinfo import MIGRATIONS_DIR, head_revision, inspect_file, read_only_uri

log = logging.getLogger(__name__)

# How long a command waits for another program's write to finish before it says the workspace is in use.
BUSY_TIMEOUT_MS = 5000
# Pages of log after which a commit copies it into the file (SQLite's default), and for pulled pages.
CHECKPOINT_PAGES = 1000
PULL_CHECKPOINT_PAGES = 10_000


def _on_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's begin event issue BEGIN itself, so writes can ask for IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_begin(conn: sa.Connection) -> None:
    # A writer takes the lock up front so two writers never deadlock upgrading a read lock.
    immediate = conn.get_execution_options().get("companion_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path, key: WorkspaceKey | None = None) -> sa.Engine:
    """The one place an engine is made: SQLCipher's driver with the key applied first when encrypted."""
    # The file is opened by name through `creator`: a URL would read '?' or '#' in a folder name as syntax.
    filename = str(Path(path))
    engine = sa.create_engine(
        "sqlite://",
        # The dialect maps the driver's own exception classes (SQLCipher's are not sqlite3's).
        module=cipher.driver(key),
        creator=lambda: cipher.connect(filename, key, check_same_thread=False),
        poolclass=sa.pool.QueuePool,
        # Reuse the connection used last: its page cache is warm, so searches stay within a frame.
        pool_use_lifo=True,
        # List fields and outbox entries are JSON: orjson reads them several times faster (a first
        # sync reads 100,000s). Writing stays with the json module, in the format stored all along.
        json_deserializer=orjson.loads,
    )
    sa.event.listen(engine, "connect", _on_connect)
    sa.event.listen(engine, "begin", _on_begin)
    sa.event.listen(engine, "handle_error", lambda context: _on_error(context, Path(path)))
    return engine


def _on_error(context: sa.engine.ExceptionContext, path: Path) -> None:
    """What SQLite says of the file mid-command (damaged, locked, read-only, full, failing) becomes one line
    naming it (DamagedWorkspace or WorkspaceUnavailable); the transaction is rolled back as for any error."""
    original = context.original_exception
    if (
        isinstance(original, cipher.database_errors())
        and (refusal := integrity.translated(original, path)) is not None
    ):
        raise refusal from None


def _backup(path: Path, revision: str, key: WorkspaceKey | None) -> Path:
    """Copies the workspace before a migration so an upgrade can always be undone by hand (encrypted
    with the same key, so it opens as the workspace does)."""
    target = path.with_name(f"{path.name}.before-{head_revision()}-from-{revision}.bak")
    src = cipher.connect(read_only_uri(path), key, uri=True)
    try:
        integrity.quick_check(src, path)  # a damaged file is never migrated
    except BaseException:
        src.close()
        raise
    dst = cipher.connect(target, key)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Migrates the file to REVISION (the newest by default; recovery rebuilds a damaged file's rows at
    the schema they were written in)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect().execution_options(companion_write=True) as conn:
        # SQLite's procedure for changing a table's shape: references off while tables are rebuilt
        # (dropping the old copy would otherwise count as deleting rows others point at), checked
        # whole before committing. The pragma only takes effect outside a transaction.
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                conn.rollback()
                raise sa.exc.IntegrityError("PRAGMA foreign_key_check", None, Exception(broken[:5]))
            conn.commit()
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def _create(path: Path, key: WorkspaceKey | None) -> None:
    """Makes a new workspace whole under a name of its own, then gives it its name: killed on the way, no
    empty or half-made file is left where the workspace goes (an empty one there is refused as damaged)."""
    making = path.with_name(f".{path.name}.new-{os.getpid()}")
    _remove_with_logs(making)  # left by a run killed on the way
    held = cipher.hold(making)
    try:
        engine = make_engine(making, key)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        try:
            os.link(making, path)
        except FileExistsError:
            pass  # another process made it meanwhile: it is opened as theirs
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(making, path)
        cipher.sync_folder(path.parent)
    finally:
        cipher.release(held)
        _remove_with_logs(making)


def _remove_with_logs(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


class Database:
    """An open workspace: its file, its engine, and transactions on it."""

    def __init__(
        self,
        path: Path,
        engine: sa.Engine,
        key: WorkspaceKey | None = None,
        held: tuple[int, int] | None = None,
    ):
        self.path = path
        self.engine = engine
        self.key = key  # None: a plain file
        # The file's descriptor kept while open (cipher.hold): let go on closing, or once nothing uses it.
        self._release = weakref.finalize(self, cipher.release, held)

    @classmethod
    def open(cls, path: Path, key: WorkspaceKey | None = None) -> Database:
        """Opens (or creates) the file; a new one is encrypted with KEY when given."""
        path = Path(path)
        revision = inspect_file(path, key)
        if revision is None and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            _create(path, key)
            revision = head_revision()
        # Before the first connection: from now on this process reads the file's header without ever
        # closing a descriptor of it, which would drop the connections' locks.
        held = cipher.hold(path)
        engine = None
        try:
            engine = make_engine(path, key)
            if revision != head_revision():
                if revision is not None:
                    backup = _backup(path, revision, key)
                    log.info("Upgrading %s from schema %s; backup at %s", path, revision, backup)
                upgrade(engine)
        except BaseException:
            if engine is not None:
                engine.dispose()
            cipher.release(held)
            raise
        return cls(path, engine, key, held)

    @contextlib.contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def writing(self, *, check_references: bool = True) -> Iterator[sa.Connection]:
        """One write transaction: committed whole, or rolled back whole on any error.

        `check_references=False` is for pages pulled from the sync server, which may bring a record
        before the one it points at: the server keeps references whole across pages.
        """
        integrity.refuse_if_marked(self.path)  # found damaged, here or by another process: never written
        with self.engine.connect().execution_options(companion_write=True) as conn:
            raw = conn.connection.driver_connection
            if not check_references:
                raw.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction does it take
                # A pull writes page after page: its log is copied into the file every 10,000 pages
                # rather than every 1,000, since each copy held much of what the next page changes again.
                raw.execute(f"PRAGMA wal_autocheckpoint={PULL_CHECKPOINT_PAGES}")
            try:
                with conn.begin():
                    yield conn
            finally:
                if not check_references:
                    raw.execute("PRAGMA foreign_keys=ON")
                    raw.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")

    def close(self) -> None:
        self.engine.dispose()
        self._release()
