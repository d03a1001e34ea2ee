"""Writing a file whole or not at all: a temporary file beside it, flushed to disk, renamed into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from companion.model.errors import ValidationError


def check_folder(path: Path) -> None:
    """Refuses, naming the path, a file whose folder does not exist (before anything is written)."""
    if not Path(path).parent.is_dir():
        raise ValidationError(f"Cannot write {path}: the folder {Path(path).parent} does not exist.")


def write_whole(path: Path, write: Callable[[Path], object]) -> Path:
    """Runs `write` on a temporary file in the target's folder, flushes it to disk and renames it into
    place: a crash or a failure leaves no half file, and the file there before stays."""
    path = Path(path)
    check_folder(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    part = Path(name)
    try:
        write(part)
        if part.stat().st_size == 0:  # some writers (QPdfWriter) say nothing when they cannot write
            raise OSError(f"Could not write {path}: nothing was written.")
        with open(part, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(part, path)
        _sync_folder(path.parent)
    finally:
        part.unlink(missing_ok=True)
    return path


def _sync_folder(folder: Path) -> None:
    # The rename itself is on disk only once the folder is; not every system lets a folder be opened.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
