"""Where the file dialogs start: the person's Documents folder, or their home folder when there is none."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def documents_dir() -> Path:
    """The Documents folder the system names (XDG on Linux), if it exists; else the home folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def in_documents(name: str) -> str:
    """A file name suggested in the Documents folder, for a save dialog."""
    return str(documents_dir() / name)
