"""What a workspace file is, read with the DB-API driver alone: ours or not, and at which schema revision."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from companion.model.errors import WorkspaceError
from companion.store import cipher, integrity
from companion.store.cipher import SQLITE_MAGIC, KeyNeeded, WorkspaceKey, WrongKey, is_encrypted

# "Cmpn": marks an SQLite file as a Companion workspace (set by the first migration).
APPLICATION_ID = 0x436D706E

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens `path` read-only; as_uri() escapes '#', '?' and '%' in folder names."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def known_revisions() -> list[str]:
    """Schema revisions this build knows, oldest first (file names start with the revision id)."""
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))


def head_revision() -> str:
    return known_revisions()[-1]


def app_id_read(conn) -> int | None:
    """The file's application id, or None when even that cannot be read."""
    try:
        return conn.execute("PRAGMA application_id").fetchone()[0]
    except cipher.database_errors():
        return None


def _check_whole(conn, path: Path) -> None:
    """A Companion workspace about to be opened: refused while it is marked damaged (unless it is another
    file than the one marked and passes quick_check), and checked cheaply for damage."""
    if integrity.known_damage(path) is not None:
        if integrity.mark_is_current(path):
            integrity.refuse_if_marked(path)
        integrity.quick_check(conn, path)  # a file put in the marked one's place
        integrity.clear_mark(path)
    integrity.check_structure(conn, path)


def inspect_file(path: Path, key: WorkspaceKey | None = None) -> str | None:
    """The schema revision of an existing file, or None for a new one; refuses what is not ours.

    Reads the file read-only, so a refused file is left exactly as it was. An encrypted file needs
    its key: without one this raises KeyNeeded, with a wrong one WrongKey.
    """
    with checked_reader(path, key) as (revision, _conn):
        return revision


def check_header(path: Path) -> None:
    """An empty file, or a plain one with a damaged header, is named as such (never taken for a new or an
    encrypted workspace, never replaced): DamagedWorkspace."""
    if (problem := integrity.header_problem(path)) is not None:
        if integrity.empty(path):
            raise integrity.refusal(path, problem)
        raise integrity.damaged(path, problem)


@contextlib.contextmanager
def checked_reader(path: Path, key: WorkspaceKey | None = None) -> Iterator[tuple[str | None, object]]:
    """(revision, read-only connection) once the file is known to be ours, as inspect_file checks it;
    (None, None) for a new file. One connection serves the check and the reads that follow it."""
    if not path.exists():
        yield None, None
        return
    check_header(path)
    encrypted = is_encrypted(path)
    if not encrypted and cipher.read_header(path, len(SQLITE_MAGIC)) != SQLITE_MAGIC:
        raise WorkspaceError(
            f"{path} is not a Companion workspace (it is not a database file). "
            "Choose another file or folder; this one was left untouched."
        )
    if encrypted and key is None:
        raise KeyNeeded(
            f"{path} is encrypted: it opens with its key (kept in the keyring) or its passphrase."
        )
    if not encrypted and key is not None:
        raise WorkspaceError(f"{path} is not encrypted, but a key was given for it.")
    try:
        conn = cipher.connect(read_only_uri(path), key, uri=True)
    except cipher.database_errors() as exc:  # pragma: no cover - the OS refused the file
        raise WorkspaceError(f"{path} cannot be opened: {exc}.") from exc
    if key is not None:
        try:
            cipher.check_key(conn, path)
        except WrongKey:
            conn.close()
            raise
    try:
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        except cipher.database_errors() as exc:
            if (refusal := integrity.translated(exc, path)) is not None:  # damaged, locked, read-only…
                raise refusal from None
            if app_id_read(conn) == APPLICATION_ID:
                raise integrity.damaged(path, exc) from None
            raise WorkspaceError(
                f"{path} is damaged or not a Companion workspace ({exc}). It was left untouched."
            ) from exc
        if app_id == APPLICATION_ID:
            _check_whole(conn, path)
        if app_id == 0 and not tables:
            yield None, conn
            return
        if app_id != APPLICATION_ID or revision is None:
            raise WorkspaceError(
                f"{path} is a database of another program, not a Companion workspace. It was left untouched."
            )
        if revision not in known_revisions():
            raise WorkspaceError(
                f"{path} was written by a newer version of Companion (schema {revision}; "
                f"this version knows up to {head_revision()}). Update Companion to open it; "
                "the file was left untouched."
            )
        yield revision, conn
    finally:
        conn.close()
