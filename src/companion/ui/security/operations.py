"""The security feature's jobs on the database thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.app.workspace_files import Outcome


def back_up(ws, *, target: Path) -> Outcome:
    """A consistent copy of the open workspace (SQLite's online backup), encrypted as it is."""
    from companion.app import workspace_files

    return workspace_files.backup_open(ws, target)
