"""Text files from other programs decoded whatever they were saved as: UTF-8 (with or without BOM), UTF-16, cp1252."""

from __future__ import annotations

import codecs
from pathlib import Path

from companion.model.errors import BundleError

# Byte-order marks, longest first (UTF-32's starts with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_file(path: Path) -> bytes:
    """The bytes of a file a person chose; BundleError naming it when it is missing or unreadable."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise BundleError(f"There is no file {path}.") from None
    except OSError as exc:
        raise BundleError(f"{path} cannot be read: {exc.strerror or exc}.") from None


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
