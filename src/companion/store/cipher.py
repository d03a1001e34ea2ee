"""SQLCipher: encrypted workspace files opened with their key, copied and converted safely.

A workspace key is 32 random bytes applied as a raw key (no KDF on each connection), or a passphrase
that SQLCipher stretches with its own KDF. Plain files keep using Python's sqlite3.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from companion.model.errors import WorkspaceError

SQLITE_MAGIC = b"SQLite format 3\x00"
SALT_BYTES = 16  # SQLCipher keeps a random salt in the first 16 bytes: it names the file's key


class WrongKey(WorkspaceError):
    """The key does not open this file (or the file is not a database at all)."""


class KeyNeeded(WorkspaceError):
    """The file is encrypted and no key was given."""


class WorkspaceBusy(WorkspaceError):
    """Another window or command has the workspace open; conversion needs it alone."""


@dataclass(frozen=True)
class WorkspaceKey:
    secret: bytes
    is_passphrase: bool = False

    @classmethod
    def random(cls) -> WorkspaceKey:
        import secrets  # here, not at start-up: it loads OpenSSL (~5 MiB) that a plain workspace never needs

        return cls(secrets.token_bytes(32))

    @classmethod
    def from_passphrase(cls, text: str) -> WorkspaceKey:
        if not text:
            raise WrongKey("The passphrase is empty.")
        return cls(text.encode("utf-8"), is_passphrase=True)

    @property
    def salt(self) -> str:
        """A raw key's file salt, derived from the key: every copy made with the key (a backup, a
        migration's safety copy) carries the same salt, so the keyring finds the key for each."""
        import hashlib

        return hashlib.sha256(b"companion workspace salt\0" + self.secret).digest()[:SALT_BYTES].hex()

    def pragma(self) -> str:
        """The value for PRAGMA key / ATTACH … KEY."""
        if self.is_passphrase:
            return "'" + self.secret.decode("utf-8").replace("'", "''") + "'"
        return f"\"x'{self.secret.hex()}{self.salt}'\""

    def __repr__(self) -> str:  # never in a log or a traceback
        return f"WorkspaceKey({'passphrase' if self.is_passphrase else 'raw'})"


# Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's included
# (https://www.sqlite.org/howtocorrupt.html, "Posix advisory locks canceled"). A header read by open() and
# close() while a workspace is open in this process would let another process closing the file take itself
# for its last user, copy the write-ahead log into it and delete the log: this process's next commits would
# go to the deleted log and be lost. So an open workspace holds a descriptor of its file (`hold`) until it
# closes, and the file's header is read through that one.
_held: dict[tuple[int, int], list[int]] = {}  # (device, inode) → [descriptor, openings holding it]
_held_lock = threading.Lock()


def hold(path: Path) -> tuple[int, int] | None:
    """Keeps a descriptor of the file (made, empty, when missing) until `release`; before any connection
    to it is made. None where closing a descriptor drops no other's locks (Windows)."""
    if os.name != "posix":
        return None
    with _held_lock:
        try:
            found = os.stat(path)
        except FileNotFoundError:
            found = None
        if found is not None and (entry := _held.get((found.st_dev, found.st_ino))) is not None:
            entry[1] += 1
            return (found.st_dev, found.st_ino)
        descriptor = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
        opened = os.fstat(descriptor)
        _held[(opened.st_dev, opened.st_ino)] = [descriptor, 1]
        return (opened.st_dev, opened.st_ino)


def release(held: tuple[int, int] | None) -> None:
    """Lets go of what `hold` kept, once the opening's connections are closed."""
    if held is None:
        return
    with _held_lock:
        entry = _held[held]
        entry[1] -= 1
        if entry[1]:
            return
        del _held[held]
    os.close(entry[0])


def read_header(path: Path, size: int) -> bytes:
    """The first `size` bytes of the file, through the descriptor an open workspace holds when there is
    one (FileNotFoundError when there is no file)."""
    found = os.stat(path)
    with _held_lock:
        entry = _held.get((found.st_dev, found.st_ino))
        if entry is not None:
            return os.pread(entry[0], size, 0)
    with Path(path).open("rb") as handle:
        return handle.read(size)


def plain_page_size(header: bytes) -> int | None:
    """The page size a plain SQLite header gives (its bytes 16-23: the page size, then 64, 32, 32 at 21-23),
    or None when these fields are not SQLite's. An encrypted file's first page is random past its 16-byte
    salt: there they almost never match, so a plain file whose first bytes are damaged is still told apart."""
    if len(header) < 24 or header[21:24] != b"\x40\x20\x20":
        return None
    size = int.from_bytes(header[16:18], "big")
    size = 65536 if size == 1 else size
    if size < 512 or size & (size - 1):
        return None
    return size


def is_encrypted(path: Path) -> bool:
    """True for what looks like a SQLCipher file: no plain SQLite header (nor the fields of one whose
    first bytes are damaged), and whole pages (a file of another kind usually is not a multiple of 512
    bytes long)."""
    try:
        size = Path(path).stat().st_size
        header = read_header(path, 24)
    except FileNotFoundError:
        return False
    if header[: len(SQLITE_MAGIC)] == SQLITE_MAGIC or plain_page_size(header) is not None:
        return False
    return size >= 512 and size % 512 == 0


def file_salt(path: Path) -> str:
    """The hex salt at the start of an encrypted file: it names the key in the keyring."""
    return read_header(path, SALT_BYTES).hex()


def driver(key: WorkspaceKey | None):
    """The DB-API module for a file: SQLCipher's when it has a key, Python's sqlite3 otherwise."""
    return sqlite3 if key is None else _sqlcipher()


def _sqlcipher():
    import sqlcipher3.dbapi2

    global _defaults_set
    if not _defaults_set:
        # Pages are authenticated with HMAC-SHA256 rather than SQLCipher's default SHA-512: as strong for
        # this purpose, and on CPUs with SHA extensions the list the window opens on reads ~12% faster
        # (tests/benchmarks/bench_encryption.py). A process-wide default, so attached copies and backups
        # get it too; every Companion file is written and read with it.
        setup = sqlcipher3.dbapi2.connect(":memory:")
        setup.execute(f"PRAGMA cipher_default_hmac_algorithm = {HMAC}")
        setup.close()
        _defaults_set = True
    return sqlcipher3.dbapi2


_defaults_set = False
HMAC = "HMAC_SHA256"


def connect(database: str | Path, key: WorkspaceKey | None, *, sqlcipher: bool = False, **kwargs):
    """A connection with the key applied before anything is read (uri=True etc. pass through).
    `sqlcipher` opens even a plain file with SQLCipher's driver, for sqlcipher_export."""
    module = _sqlcipher() if sqlcipher else driver(key)
    conn = module.connect(str(database), **kwargs)
    if key is not None:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported by us, not on stderr
        conn.execute(f"PRAGMA key = {key.pragma()}")
    return conn


def database_errors() -> tuple[type[BaseException], ...]:
    """sqlite3's and (once loaded) SQLCipher's DatabaseError: the two drivers do not share classes."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.DatabaseError, cipher.DatabaseError) if cipher else (sqlite3.DatabaseError,)


def check_key(conn, path: Path) -> None:
    """Reads the first page: a wrong key (or a file that is not a database) fails here, untouched."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except database_errors() as exc:
        raise WrongKey(
            f"{path} cannot be opened with this key: the key or passphrase is wrong, or the file is not "
            f"a Companion workspace ({exc}). The file was left untouched."
        ) from None


def _tables(conn) -> list[str]:
    """Every real table (a full-text index's shadow tables included: virtual tables are read through them)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]


def same_content(first, second) -> str | None:
    """None when both databases hold the same tables, rows and header ids; else what differs."""
    tables = _tables(first)
    if tables != _tables(second):
        return "the copies hold different tables"
    for table in tables:
        sql = first.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0] or ""
        order = "" if "WITHOUT ROWID" in sql.upper() else " ORDER BY rowid"
        left = first.execute(f'SELECT * FROM "{table}"{order}')
        right = second.execute(f'SELECT * FROM "{table}"{order}')
        while True:
            a, b = left.fetchmany(2000), right.fetchmany(2000)
            if a != b:
                return f"table {table} differs"
            if not a:
                break
    for pragma in ("application_id", "user_version"):
        if first.execute(f"PRAGMA {pragma}").fetchone() != second.execute(f"PRAGMA {pragma}").fetchone():
            return f"its {pragma} differs"
    return None


def export(source, target: Path, key: WorkspaceKey | None) -> None:
    """Copies a database open on SQLCipher's driver into a new file with KEY (or plain), header ids
    included (sqlcipher_export carries tables, indexes and rows, not the application id and version)."""
    target.unlink(missing_ok=True)
    attach_key = key.pragma() if key is not None else "''"  # '' attaches a plain file
    source.execute(f"ATTACH DATABASE ? AS converted KEY {attach_key}", (str(target),))
    try:
        source.execute("SELECT sqlcipher_export('converted')")
        for pragma in ("application_id", "user_version"):
            value = int(source.execute(f"PRAGMA main.{pragma}").fetchone()[0])
            source.execute(f"PRAGMA converted.{pragma} = {value}")
    finally:
        source.execute("DETACH DATABASE converted")


def verify_copy(source, copy_path: Path, key: WorkspaceKey | None) -> None:
    """The copy opens with its key, passes SQLite's integrity check and holds what the source holds."""
    copy = connect(copy_path, key)
    try:
        check_key(copy, copy_path)
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise WorkspaceError(f"The new copy failed its integrity check ({result}); the original is kept.")
        if (difference := same_content(source, copy)) is not None:
            raise WorkspaceError(
                f"The new copy does not match the original ({difference}); the original is kept."
            )
    finally:
        copy.close()
    with copy_path.open("rb") as handle:
        os.fsync(handle.fileno())


def hold_alone(conn, path: Path) -> None:
    """Makes sure nobody else has the file open, and keeps writers out until CONN closes: leaving WAL
    mode needs every other connection gone; exclusive locking mode keeps the read lock taken."""
    try:
        conn.execute("PRAGMA main.journal_mode=DELETE").fetchone()
        conn.execute("PRAGMA main.locking_mode=EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except database_errors() as exc:
        raise WorkspaceBusy(
            f"{path} is open in Companion or another command ({exc}): close it and try again. "
            "Nothing was changed."
        ) from None


def convert(path: Path, old: WorkspaceKey | None, new: WorkspaceKey | None) -> None:
    """Rewrites the workspace with another key (or none): a new file is written beside it, verified,
    and only then put in its place. Killed at any point, the workspace is the old file or the new one.
    (A new raw key is in the keyring before this starts: workspace_keys.new_key.)"""
    path = Path(path)
    converting = path.with_name(path.name + ".converting")
    source = connect(path, old, sqlcipher=True, isolation_level=None)
    try:
        check_key(source, path)
        hold_alone(source, path)
        export(source, converting, new)
        verify_copy(source, converting, new)
        if os.name == "nt":  # Windows replaces no file that is open
            source.close()
        os.replace(converting, path)
    finally:
        source.close()
        converting.unlink(missing_ok=True)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Makes a rename in FOLDER durable (POSIX; Windows has no folder handles to flush)."""
    if os.name == "posix":
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
