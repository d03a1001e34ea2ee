"""Saves what can be read of a damaged workspace into a new one, table by table and row by row, and says
what was lost; the damaged file is only ever read (a copy of it, in fact).

SQLite's own recovery is not reachable from Python, and an encrypted file's damage makes a connection
refuse every later read: so the copy is attached afresh after each failure (with the key derived once),
and each table is read by rowid ranges, skipping the pages that cannot be read.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from companion.model.errors import WorkspaceError, WriteFailed
from companion.store import cipher, integrity
from companion.store.cipher import SQLITE_MAGIC, WorkspaceKey
from companion.store.fileinfo import head_revision, known_revisions

# Rebuilt from the records once they are in (store/search_index.py), or kept by SQLite itself.
_DERIVED = ("search_doc", "search_name", "search_text", "search_field", "sqlite_", "alembic_version")
_BATCH = 500
_LOWEST, _HIGHEST = -(2**63), 2**63 - 1


class _Unreadable(Exception):
    """A read of the damaged copy failed: the attachment is spent, and made again."""


@dataclass(frozen=True)
class TableRecovery:
    """What became of one table: rows read, rows kept in the new workspace (a row pointing at a record that
    was lost, or not fitting its table, is left out), rows the damaged file counted (None when it cannot
    count them any more), and the rowids whose pages could not be read."""

    table: str
    read: int
    kept: int
    counted: int | None
    unreadable: bool = False
    skipped: tuple[tuple[int, int | None], ...] = ()

    @property
    def lost(self) -> int | None:
        if self.counted is not None and self.counted >= self.read:
            return self.counted - self.kept
        return None if self.skipped else self.read - self.kept

    @property
    def whole(self) -> bool:
        return not self.unreadable and not self.skipped and self.lost == 0

    def describe(self) -> str:
        if self.unreadable:
            counted = f" (it held {self.counted} rows)" if self.counted is not None else ""
            return f"{self.table}: could not be read at all{counted}"
        if self.lost is None:
            where = ", ".join(f"{lo}-{'end' if hi is None else hi}" for lo, hi in self.skipped)
            return f"{self.table}: {self.kept} rows recovered; rows at rowids {where} could not be read"
        return f"{self.table}: {self.kept} of {self.kept + self.lost} rows recovered, {self.lost} lost"


@dataclass(frozen=True)
class Recovery:
    source: Path
    target: Path
    tables: tuple[TableRecovery, ...]
    cleared: int  # references to lost records left empty

    @property
    def damaged_tables(self) -> list[TableRecovery]:
        return [t for t in self.tables if not t.whole]

    def report(self) -> list[str]:
        whole = [t for t in self.tables if t.whole]
        lines = [
            f"Recovered what could be read from {self.source} into {self.target} (a new workspace; the "
            "damaged file was left as it was)."
        ]
        if self.damaged_tables:
            lines.append("Lost:")
            lines.extend(f"  {t.describe()}" for t in self.damaged_tables)
        else:
            lines.append("Nothing was lost: every row could be read.")
        if self.cleared:
            lines.append(f"  {self.cleared} references to lost records were left empty.")
        lines.append(
            f"Read whole: {sum(t.kept for t in whole)} rows in {len(whole)} tables. The search index "
            "was made again."
        )
        return lines


def recover(source: Path, target: Path, *, key: WorkspaceKey | None) -> Recovery:
    """Reads what can be read of SOURCE into a new workspace TARGET (never overwritten) with the same key,
    made by the current migrations, its search index made again; SOURCE is not written to."""
    source, target = Path(source), Path(target)
    if not source.exists() or source.stat().st_size == 0:
        raise WorkspaceError(
            f"{source} holds nothing to recover (it is missing or empty). Nothing was written."
        )
    if target.exists():
        raise WorkspaceError(f"{target} exists already: choose another name. Nothing was written.")
    if not target.parent.is_dir():
        raise WriteFailed(
            f"Cannot write {target}: the folder {target.parent} does not exist. Nothing was written."
        )
    scratch = target.with_name(f".{target.name}.recovering")
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        scratch.mkdir()
        copy = _copy_of(source, scratch)
        made = scratch / "recovered.sqlite"
        with _Attached(copy, key, source=source) as damaged:
            revision = damaged.revision()
            _new_workspace(made, key, revision)
            tables, cleared = _salvage(damaged, made, key)
        _finish(made, key)
        os.link(made, target)  # never over a file made meanwhile
        cipher.sync_folder(target.parent)
    except OSError as exc:
        raise WriteFailed(integrity.os_error_line(exc, target)) from None
    except cipher.database_errors() as exc:
        raise WriteFailed(f"Cannot write {target}: {exc}. Nothing was written.") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Recovery(source, target, tables, cleared)


def _copy_of(source: Path, scratch: Path) -> Path:
    """The damaged file and its write-ahead log copied to read from; a plain file's damaged first bytes
    put right in the copy (SQLite reads nothing past them otherwise)."""
    copy = scratch / "damaged.sqlite"
    shutil.copyfile(source, copy)
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    with copy.open("r+b") as handle:
        header = handle.read(24)
        if cipher.plain_page_size(header) is not None and header[: len(SQLITE_MAGIC)] != SQLITE_MAGIC:
            handle.seek(0)
            handle.write(SQLITE_MAGIC)
    return copy


class _Attached:
    """The damaged copy, attached to a connection that holds its key (derived once): attached again under
    a new name after each failed read, since an encrypted file's failed page spoils the attachment."""

    def __init__(self, path: Path, key: WorkspaceKey | None, *, source: Path):
        self.path = path
        self.source = source
        self.key = key
        self.count = 0
        self.conn = None
        self.name = ""

    def __enter__(self) -> _Attached:
        self.conn = cipher.connect(self.path, self.key, isolation_level=None)
        self.conn.text_factory = bytes  # a damaged text is read as bytes, never refused as not UTF-8
        try:
            self.conn.execute("PRAGMA query_only = ON")
            cipher.check_key(self.conn, self.path)
        except cipher.WrongKey:
            self.conn.close()
            raise WorkspaceError(
                f"The first page of {self.source} cannot be read (with this key): nothing of it can be "
                "recovered. Restore a backup with `companion restore FILE`. Nothing was written."
            ) from None
        self._attach()
        return self

    def __exit__(self, *exc) -> None:
        self.conn.close()

    def _attach(self) -> None:
        if self.name:
            try:
                self.conn.execute(f"DETACH DATABASE {self.name}")
            except cipher.database_errors():
                pass
        self.count += 1
        self.name = f"damaged{self.count}"
        self.conn.execute(f"ATTACH DATABASE ? AS {self.name}", (str(self.path),))

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """All rows of a query on the copy (`{db}` in SQL names it); _Unreadable when it fails."""
        try:
            return self.conn.execute(sql.format(db=self.name), params).fetchall()
        except cipher.database_errors() as exc:
            self._attach()
            raise _Unreadable(str(exc)) from None

    def each(self, sql: str, params: Sequence[object], take: Callable[[tuple], None]) -> None:
        """Hands rows to `take` one by one until the query ends or fails (_Unreadable, the rows before
        the failure taken)."""
        cursor = self.conn.cursor()
        try:
            for row in cursor.execute(sql.format(db=self.name), params):
                take(row)
        except cipher.database_errors() as exc:
            cursor.close()
            self._attach()
            raise _Unreadable(str(exc)) from None
        cursor.close()

    def revision(self) -> str:
        """The schema the damaged file was at (the newest known when it cannot say)."""
        try:
            found = self.rows("SELECT version_num FROM {db}.alembic_version")
        except _Unreadable:
            return head_revision()
        revision = _text(found[0][0]) if found else None
        return revision if revision in known_revisions() else head_revision()

    def columns(self, table: str) -> list[str] | None:
        try:
            return [_text(row[1]) for row in self.rows(f'PRAGMA {{db}}.table_info("{table}")')]
        except _Unreadable:
            return None


def _text(value: object) -> object:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _new_workspace(path: Path, key: WorkspaceKey | None, revision: str) -> None:
    """An empty workspace at the damaged one's schema, so that its rows fit as they are (the current
    migrations carry them up afterwards)."""
    from companion.store.database import make_engine, upgrade

    held = cipher.hold(path)
    try:
        engine = make_engine(path, key)
        try:
            upgrade(engine, revision)
        finally:
            engine.dispose()
    finally:
        cipher.release(held)


def _tables(conn) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' "
            "ORDER BY name"
        )
        if not row[0].startswith(_DERIVED)
    ]


def _salvage(
    damaged: _Attached, made: Path, key: WorkspaceKey | None
) -> tuple[tuple[TableRecovery, ...], int]:
    conn = cipher.connect(made, key, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # records come table by table; references checked after
        conn.execute("BEGIN IMMEDIATE")
        found = []
        for table in _tables(conn):
            conn.execute(f'DELETE FROM "{table}"')  # what a migration seeded: the damaged file's rows count
            found.append(_salvage_table(damaged, conn, table))
        cleared = _settle_references(conn)
        _continue_sequences(damaged, conn)
        outcomes = tuple(
            TableRecovery(t.table, t.read, _count(conn, t.table), t.counted, t.unreadable, t.skipped)
            for t in found
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return outcomes, cleared


def _continue_sequences(damaged: _Attached, conn) -> None:
    """Numbers the new workspace gives go on above every number the damaged file gave (SQLite keeps the
    high-water mark of AUTOINCREMENT in sqlite_sequence, which is not copied with the rows): the outbox's
    acknowledged mark and the batches written down name mutation ids, and a new edit numbered below
    them would be taken as sent."""
    from companion.store.records import OUTBOX_ACKED_BEFORE  # SQLAlchemy's import, only when recovering

    try:
        held = {
            _text(name): int(seq) for name, seq in damaged.rows("SELECT name, seq FROM {db}.sqlite_sequence")
        }
    except (_Unreadable, TypeError, ValueError):
        held = {}
    mark = conn.execute(
        "SELECT CAST(value AS INTEGER) - 1 FROM workspace_meta WHERE key = ?", (OUTBOX_ACKED_BEFORE,)
    ).fetchone()
    held["outbox"] = max(held.get("outbox", 0), mark[0] if mark and mark[0] is not None else 0)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for name, seq in held.items():
        if name in tables:
            conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (name,))
            conn.execute(
                f'INSERT INTO sqlite_sequence (name, seq) SELECT ?, max(?, coalesce(max(rowid), 0)) FROM "{name}"',
                (name, seq),
            )


def _count(conn, table: str) -> int:
    return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def _salvage_table(damaged: _Attached, conn, table: str) -> TableRecovery:
    """Reads one table's rows into the new workspace (`kept` is counted once references are settled)."""
    wanted = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    had = damaged.columns(table)
    if not had:
        return TableRecovery(table, 0, 0, None, unreadable=True)
    columns = [c for c in wanted if c in had]
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT OR REPLACE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    try:
        counted = damaged.rows(f'SELECT count(*) FROM {{db}}."{table}"')[0][0]
    except _Unreadable:
        counted = None
    read = f'SELECT rowid, {names} FROM {{db}}."{table}" NOT INDEXED WHERE rowid >= ? ORDER BY rowid'
    probe = f'SELECT rowid FROM {{db}}."{table}" NOT INDEXED WHERE rowid >= ? ORDER BY rowid LIMIT 1'
    recovered = 0
    skipped: list[tuple[int, int | None]] = []
    batch: list[tuple] = []
    last = [None]

    def flush() -> None:
        nonlocal recovered
        recovered += len(batch)
        try:
            conn.executemany(insert, batch)
        except cipher.database_errors():
            for row in batch:  # one by one: a row that does not fit its table is left out, the rest kept
                with contextlib.suppress(*cipher.database_errors()):
                    conn.execute(insert, row)
        batch.clear()

    def take(row: tuple) -> None:
        last[0] = row[0]
        batch.append(tuple(_text(v) for v in row[1:]))
        if len(batch) >= _BATCH:
            flush()

    low = _LOWEST
    while True:
        try:
            first = damaged.rows(probe, (low,))
        except _Unreadable:
            resume = _readable_after(damaged, probe, 0 if low == _LOWEST else low)
            skipped.append((low if low != _LOWEST else 0, None if resume is None else resume - 1))
            if resume is None:
                break
            low = resume
            continue
        if not first:
            break
        start = first[0][0]
        last[0] = None
        try:
            damaged.each(read, (start,), take)
            flush()
            break
        except _Unreadable:
            flush()
            if last[0] is None:  # its rowid reads, its record does not (an overflow page is damaged)
                skipped.append((start, start))
                low = start + 1
            else:
                low = last[0] + 1
            if low > _HIGHEST:
                break
    unreadable = recovered == 0 and bool(skipped)
    return TableRecovery(table, recovered, 0, counted, unreadable, tuple(skipped))


def _readable_after(damaged: _Attached, probe: str, low: int) -> int | None:
    """The lowest rowid above LOW from which the table reads again (past the damaged pages), or None."""

    def reads(rowid: int) -> bool:
        try:
            damaged.rows(probe, (rowid,))
            return True
        except _Unreadable:
            return False

    failing, step = low, 1
    while True:  # leaps until a read works, then halves the gap back
        trying = min(low + step, _HIGHEST)
        if reads(trying):
            working = trying
            break
        failing = trying
        if trying == _HIGHEST:
            return None
        step *= 2
    while working - failing > 1:
        middle = (working + failing) // 2
        if reads(middle):
            working = middle
        else:
            failing = middle
    return working


def _settle_references(conn) -> int:
    """Rows pointing at records that were lost: the reference left empty where it may be (how many is
    returned), else the row left out (counted as lost with its table)."""
    cleared = 0
    for _ in range(20):  # leaving a row out may leave others pointing at it
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if not broken:
            break
        for table, rowid, _parent, fkid in broken:
            keys = [row for row in conn.execute(f'PRAGMA foreign_key_list("{table}")') if row[0] == fkid]
            info = {row[1]: row for row in conn.execute(f'PRAGMA table_info("{table}")')}
            columns = [row[3] for row in keys]
            if columns and all(not info[c][3] for c in columns):  # notnull is False
                sets = ", ".join(f'"{c}" = NULL' for c in columns)
                conn.execute(f'UPDATE "{table}" SET {sets} WHERE rowid = ?', (rowid,))
                cleared += 1
            else:
                conn.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
    return cleared


def _finish(made: Path, key: WorkspaceKey | None) -> None:
    """Carries the new workspace up to the current schema, makes its search index again, and checks it."""
    from companion.store import search_index
    from companion.store.database import Database

    db = Database.open(made, key)
    try:
        with db.writing() as conn:
            search_index.rebuild(conn)
    finally:
        db.close()
    conn = cipher.connect(made, key)
    try:
        found = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        conn.execute("PRAGMA journal_mode = DELETE")  # one file to put in place, no log beside it
    finally:
        conn.close()
    if found != ["ok"]:
        raise WorkspaceError(f"The recovered workspace failed its own check ({integrity.summary(found)}).")
    with made.open("rb") as handle:
        os.fsync(handle.fileno())
