"""The first paint: the client list read with sqlite3 while SQLAlchemy and the services load behind it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from companion.store.cipher import WorkspaceKey
from companion.store.fileinfo import checked_reader, head_revision
from companion.store.snapshot import read_columns


def first_paint(
    path: Path, *, client_fields: Sequence[str | None], key: WorkspaceKey | None = None
) -> tuple[list[tuple], list[tuple]] | None:
    """Clients and colleagues of an up-to-date workspace; None when it is new or must be migrated first.

    Refuses foreign and newer files with WorkspaceError, exactly as opening them would.
    """
    with checked_reader(Path(path), key) as (revision, conn):  # one connection: one key set-up
        if revision is None or revision != head_revision():
            return None
        return read_columns(conn, "client", client_fields), read_columns(conn, "colleague", ("id", "name"))
