"""The first paint: the client list read with sqlite3 while SQLAlchemy and the services load behind it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from companion.store.cipher import WorkspaceKey
from companion.store.fileinfo import head_revision, inspect_file
from companion.store.snapshot import read_columns


def first_paint(
    path: Path, *, client_fields: Sequence[str | None], key: WorkspaceKey | None = None
) -> tuple[list[tuple], list[tuple]] | None:
    """Clients and colleagues of an up-to-date workspace; None when it is new or must be migrated first.

    Refuses foreign and newer files with WorkspaceError, exactly as opening them would.
    """
    revision = inspect_file(Path(path), key)
    if revision is None or revision != head_revision():
        return None
    return (
        read_columns(path, "client", client_fields, key),
        read_columns(path, "colleague", ("id", "name"), key),
    )
