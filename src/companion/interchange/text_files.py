"""Text files from other programs decoded whatever they were saved as: UTF-8 (with or without BOM), UTF-16, cp1252."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from companion.model.errors import BundleError

# More than any contacts file, calendar or bundle a person moves between programs.
MAX_BYTES = 2**31

# Byte-order marks, longest first (UTF-32's starts with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_file(path: Path, *, max_bytes: int = MAX_BYTES, expected: str = "the file to read") -> bytes:
    """The bytes of a file a person chose, at most `max_bytes`: BundleError naming it when it is missing,
    unreadable, too large or not a regular file (a folder, a named pipe, a device: `expected` says what
    to give instead). Checked before it is opened and again on the opened file (it could be swapped in
    between), and opened without blocking, so a named pipe never hangs the program."""
    try:
        _check_regular(path, os.stat(path), max_bytes=max_bytes, expected=expected)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise BundleError(f"There is no file {path}.") from None
    except OSError as exc:
        raise BundleError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    try:
        _check_regular(path, os.fstat(fd), max_bytes=max_bytes, expected=expected)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise BundleError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise too_large(path, max_bytes)
    return data


def _check_regular(path: Path, info: os.stat_result, *, max_bytes: int, expected: str) -> None:
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        what = (
            "a folder" if stat.S_ISDIR(mode)
            else "a named pipe" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode)
            else "not a regular file"
        )  # fmt: skip
        raise BundleError(f"{path} is {what}, not a file: give the path of {expected}.")
    if info.st_size > max_bytes:
        raise too_large(path, max_bytes)


def too_large(path: Path, max_bytes: int) -> BundleError:
    return BundleError(
        f"{path} is larger than {max_bytes // 2**20:,} MB, more than Companion reads from one file; "
        "split it into several."
    )


def guess_encoding(data: bytes) -> str:
    """The encoding `data` is most likely in: its BOM's; UTF-16 without a BOM when every other byte of
    the start is NUL (as Windows tools write it); UTF-8 when it decodes; else cp1252, the Windows
    default that Outlook and Excel save CSV and .ics files in."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    head = data[:400]
    if len(head) >= 4:
        if head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
            return "utf-16-le"
        if head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
            return "utf-16-be"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def decode_text(data: bytes) -> str:
    """`data` as text in its guessed encoding, without a BOM; bytes cp1252 leaves undefined (five of
    them) come out as U+FFFD rather than failing the whole file."""
    encoding = guess_encoding(data)
    for bom, name in _BOMS:
        if name == encoding and data.startswith(bom):
            data = data[len(bom) :]
            break
    return data.decode(encoding, errors="replace")
