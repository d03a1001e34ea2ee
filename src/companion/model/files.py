"""Writing a file whole or not at all: a temporary file beside it, flushed to disk, renamed into place."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from companion.model.errors import WriteFailed

PART_SUFFIX = ".part"


def write_failed(path: Path, reason: str, *, existed: bool | None = None) -> WriteFailed:
    """The one line a failed write answers with: the path, the reason, and what became of the file there."""
    if existed is None:
        existed = os.path.lexists(path)
    kept = "The file there before was left as it was." if existed else "Nothing was written."
    return WriteFailed(f"Cannot write {path}: {reason.rstrip('.')}. {kept}")


def check_folder(path: Path) -> None:
    """Refuses, naming the path, a file whose folder does not exist (before anything is written)."""
    folder = Path(path).parent
    if not folder.is_dir():
        raise write_failed(Path(path), f"the folder {folder} does not exist", existed=False)


def write_whole(path: Path, write: Callable[[Path], object]) -> Path:
    """Runs `write` on a temporary file in the target's folder, flushes it to disk and renames it into
    place. Any failure on the way (no folder, no room, no permission, a writer's OSError) raises
    WriteFailed naming the path and the reason; the file there before stays as it was, and the
    temporary file is removed."""
    path = Path(path)
    check_folder(path)
    existed = os.path.lexists(path)
    part: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PART_SUFFIX, dir=path.parent)
        os.close(fd)
        part = Path(name)
        write(part)
        _keep_mode(path, part)
        with open(part, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(part, path)
    except OSError as exc:
        raise write_failed(path, _reason(exc), existed=existed) from exc
    finally:
        if part is not None:
            with contextlib.suppress(OSError):  # already renamed, or the folder no longer lets us
                part.unlink(missing_ok=True)
    _sync_folder(path.parent)
    return path


def _reason(exc: OSError) -> str:
    # strerror is the system's own words ("No space left on device"); the file name is said once, by us.
    return exc.strerror or str(exc) or type(exc).__name__


def _keep_mode(path: Path, part: Path) -> None:
    # A file written over keeps who may read it; a new one keeps mkstemp's owner-only mode.
    with contextlib.suppress(OSError):
        os.chmod(part, stat.S_IMODE(os.stat(path).st_mode))


def _sync_folder(folder: Path) -> None:
    # The rename itself is on disk only once the folder is; not every system lets a folder be opened.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
