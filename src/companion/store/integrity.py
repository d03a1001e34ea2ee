"""Is a workspace file whole: its header, a cheap check on every open, SQLite's quick_check before whole-file
work, and what a driver's error says about the file, each told in one line that offers the way back."""

from __future__ import annotations

import contextlib
import errno
import json
import os
from pathlib import Path

from companion.model.errors import CompanionError, DamagedWorkspace, WorkspaceUnavailable
from companion.model.files import write_whole
from companion.store.cipher import SQLITE_MAGIC, database_errors, plain_page_size, read_header

HEADER_BYTES = 100
# A damaged file is marked beside it (workspace.sqlite.damaged) the moment any process finds the damage: from
# then on every opening refuses it, and no process writes to it, until it is restored or replaced.
MARK_SUFFIX = ".damaged"
# The backups `companion backup` and the window made of a workspace, newest last (workspace.sqlite.backups).
BACKUPS_SUFFIX = ".backups"

# What SQLite (and Python's driver, for a text whose bytes were damaged) says of a damaged file; not a bare
# "malformed", which SQLite's JSON functions also say of a value.
_DAMAGE_WORDS = (
    "database disk image is malformed",
    "malformed database schema",
    "file is not a database",
    "could not decode to utf-8",
)


# --- the header ------------------------------------------------------------------------------------------


def header_problem(path: Path) -> str | None:
    """What the first bytes and the size of an existing file say is wrong with it as a plain SQLite file
    (an encrypted one is checked by its key), or None. Reads 100 bytes: cheap enough for every open."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    if size == 0:
        return "it is empty (0 bytes)"
    header = read_header(path, HEADER_BYTES)
    page_size = plain_page_size(header)
    if page_size is None:
        return None  # encrypted, or not a database at all: fileinfo says which
    if header[: len(SQLITE_MAGIC)] != SQLITE_MAGIC:
        return "its header is damaged (the first bytes of an SQLite file are not there)"
    if size % page_size:
        return f"it is cut short or padded ({size} bytes is not a whole number of {page_size}-byte pages)"
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header holds only while the two change counters agree (SQLite's rule).
    if pages and header[24:28] == header[92:96] and size < pages * page_size:
        return f"it is cut short ({size} bytes where its header counts {pages * page_size})"
    return None


# --- checks on a connection ------------------------------------------------------------------------------


def check_structure(conn, path: Path) -> None:
    """The cheap check on every open, no full scan: the schema reads whole, the free-page count fits the
    file, and every table's first page reads. DamagedWorkspace (the file marked) when not."""
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name, type, sql, rootpage FROM sqlite_master ORDER BY rowid"
            ).fetchall()
            if row[1] == "table" and row[3]
        ]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        if free > pages:
            raise damaged(path, "its list of free pages is damaged")
        for table in tables:
            conn.execute(f'SELECT 1 FROM "{table}" NOT INDEXED LIMIT 1').fetchall()
    except database_errors() as exc:
        raise damaged(path, exc) from None


def quick_check(conn, path: Path) -> None:
    """SQLite's quick_check over the whole file (every page read; indexes not compared with their
    tables): before a backup, a conversion or a migration, and on the window's schedule."""
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    except database_errors() as exc:
        raise damaged(path, exc) from None
    if found != ["ok"]:
        raise damaged(path, summary(found))


def summary(problems: list[str]) -> str:
    """SQLite's list of problems as a few words: how many, and the first."""
    lines = [
        line for text in problems for line in str(text).splitlines() if line and not line.startswith("***")
    ]
    if not lines:
        return "SQLite's check failed"
    first = lines[0].strip()
    more = f" and {len(lines) - 1} more" if len(lines) > 1 else ""
    return f"SQLite's check found {first!r}{more}"


# --- what a driver's error says ---------------------------------------------------------------------------


def is_damage(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(word in text for word in _DAMAGE_WORDS)


def translated(exc: BaseException, path: Path) -> CompanionError | None:
    """What an error from SQLite means for the workspace at `path`, in one line; None when it says
    nothing about the file (a constraint, a bad statement). Damage marks the file."""
    text = str(exc).lower()
    if is_damage(exc):
        return damaged(path, exc)
    if "locked" in text or "busy" in text:
        return WorkspaceUnavailable(
            f"{path} is in use by another program (another Companion window or command, or a sync, is "
            "writing to it): try again when it has finished. Nothing was changed."
        )
    if "readonly" in text or "read-only" in text:
        return WorkspaceUnavailable(
            f"{path} cannot be written: the file or its folder is read-only. Make it writable (or copy the "
            "workspace to a folder you can write to), then try again. Nothing was changed."
        )
    if "disk is full" in text or "database or disk is full" in text:
        return WorkspaceUnavailable(
            f"{path} cannot be written: the disk is full. Free some space, then try again. Nothing was changed."
        )
    if "disk i/o error" in text:
        return WorkspaceUnavailable(
            f"{path} could not be read or written: the disk reported an error (disk I/O error). Check the "
            "disk, then try again. Nothing was changed."
        )
    if "unable to open database file" in text and not os.access(Path(path).parent, os.W_OK):
        return WorkspaceUnavailable(
            f"{path} cannot be opened: its folder is read-only, and SQLite needs to keep its log beside it. "
            "Make the folder writable (or copy the workspace to a folder you can write to), then try again. "
            "Nothing was changed."
        )
    if "unable to open database file" in text:
        return WorkspaceUnavailable(
            f"{path} cannot be opened: its folder cannot be read or written, or the file is gone. Check "
            "the folder, then try again. Nothing was changed."
        )
    return None


def damaged(path: Path, cause: BaseException | str) -> DamagedWorkspace:
    """The refusal for a damaged workspace (the file marked, so that no process writes to it)."""
    if isinstance(cause, BaseException):
        what = f"some of its pages cannot be read ({str(cause).strip() or type(cause).__name__})"
    else:
        what = cause
    mark_damaged(path, what)
    return refusal(path, what)


def refusal(path: Path, what: str) -> DamagedWorkspace:
    """DamagedWorkspace with its one line, and its parts for the window to say in its own words: `path`,
    `what` is wrong, the latest `backup` (or None), and whether the file is `empty`."""
    error = DamagedWorkspace(damage_message(path, what))
    error.path, error.what, error.backup, error.empty = Path(path), what, latest_backup(path), empty(path)
    return error


def damage_message(path: Path, what: str) -> str:
    """One line: the file, what is wrong, and the way back (the latest backup, and `companion recover`)."""
    path = Path(path)
    backup = latest_backup(path)
    restore = (
        f"Restore the latest backup with `companion restore {backup}`"
        if backup is not None
        else "Companion knows of no backup of it: restore one you keep with `companion restore FILE`"
    )
    if empty(path):
        return (
            f"{path} is empty (0 bytes): it holds no workspace, and Companion leaves it as it is. {restore}, "
            "or move the file away to start a new workspace."
        )
    return (
        f"{path} is damaged: {what}. Companion will not write to it. {restore}, or save what can be read "
        "into a new workspace with `companion recover`."
    )


def empty(path: Path) -> bool:
    try:
        return Path(path).stat().st_size == 0
    except FileNotFoundError:
        return False


# --- the mark beside a damaged file ----------------------------------------------------------------------


def mark_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + MARK_SUFFIX)


def _identity(path: Path) -> list[int] | None:
    try:
        found = Path(path).stat()
    except FileNotFoundError:
        return None
    return [found.st_ino, found.st_size, found.st_mtime_ns]


def mark_damaged(path: Path, what: str) -> None:
    """Notes beside the file that it is damaged (a read-only folder keeps no note: nothing is written
    there anyway)."""
    note = json.dumps({"what": what, "file": _identity(path)})
    with contextlib.suppress(OSError, CompanionError):
        write_whole(mark_path(path), lambda part: part.write_text(note, encoding="utf-8"))


def known_damage(path: Path) -> str | None:
    """What the mark beside the file says is wrong, while there is one."""
    try:
        note = json.loads(mark_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return "it was found damaged earlier"
    return str(note.get("what") or "it was found damaged earlier")


def mark_is_current(path: Path) -> bool:
    """The mark was made for the file as it is now (not one put in its place since, e.g. by hand)."""
    try:
        note = json.loads(mark_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return mark_path(path).exists()
    return note.get("file") == _identity(path)


def clear_mark(path: Path) -> None:
    mark_path(path).unlink(missing_ok=True)


def refuse_if_marked(path: Path) -> None:
    """DamagedWorkspace while the file is marked damaged: the one check before every write."""
    if (what := known_damage(path)) is not None:
        raise refusal(path, what)


# --- backups ---------------------------------------------------------------------------------------------


def backups_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + BACKUPS_SUFFIX)


def remember_backup(path: Path, backup: Path) -> None:
    """Adds a backup just written to the list beside the workspace (the newest is offered when it is
    damaged). A list that cannot be written loses nothing but the offer."""
    known = [p for p in _recorded(path) if p != Path(backup).resolve()][-49:]
    lines = "".join(f"{p}\n" for p in [*known, Path(backup).resolve()])
    with contextlib.suppress(OSError, CompanionError):
        write_whole(backups_path(path), lambda part: part.write_text(lines, encoding="utf-8"))


def _recorded(path: Path) -> list[Path]:
    try:
        text = backups_path(path).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return []
    return [Path(line) for line in text.splitlines() if line.strip()]


def latest_backup(path: Path) -> Path | None:
    """The newest backup of the workspace there still is: those `backup` made, and the copies kept
    beside it before a migration or a restore (workspace.sqlite.before-….bak)."""
    path = Path(path)
    candidates = [*_recorded(path), *path.parent.glob(f"{path.name}.before-*.bak")]
    found: list[tuple[int, Path]] = []
    for candidate in candidates:
        if mark_path(candidate).exists():
            continue  # a damaged workspace kept aside by a restore
        with contextlib.suppress(OSError):
            stat = candidate.stat()
            if stat.st_size > 0:
                found.append((stat.st_mtime_ns, candidate))
    return max(found)[1] if found else None


def os_error_line(exc: OSError, target: Path, *, what: str = "write") -> str:
    """An OSError while writing `target`, in one line."""
    if not Path(target).parent.is_dir():
        return (
            f"Cannot {what} {target}: the folder {Path(target).parent} does not exist. Nothing was written."
        )
    reason = exc.strerror or str(exc)
    if getattr(exc, "errno", None) == errno.ENOSPC or "disk is full" in str(exc).lower():
        reason = "the disk is full"
    return f"Cannot {what} {target}: {reason}. Nothing was written."
