"""The one way into a workspace, opened with its key, for the window, the command line, sync and the self-test.

Nothing else touches the store's key (from the keyring, a passphrase, or none for a plain file).

The first paint reads the client list with the driver alone while SQLAlchemy and the services load.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from companion.store.cipher import WorkspaceKey
from companion.store.fileinfo import checked_reader, head_revision
from companion.store.snapshot import read_columns

if TYPE_CHECKING:  # the services load SQLAlchemy: the window asks for keys and paints before they load
    from companion.core.service import Workspace


def open_workspace(path: Path, *, passphrase: str | None = None) -> Workspace:
    """Opens an existing workspace with its key, or creates a new one, encrypted unless the settings
    say otherwise (and never plain because no keyring was found)."""
    from companion.app import workspace_keys

    path = Path(path)
    data_dir = path.parent
    if path.exists() and path.stat().st_size > 0:
        workspace_keys.require_encryption(data_dir, path)
        return open_with_key(path, workspace_keys.key_for(path, passphrase))
    if not workspace_keys.encrypt_new(data_dir):
        return open_with_key(path, None)
    return open_with_key(path, workspace_keys.new_key(passphrase))


def open_with_key(path: Path, key: WorkspaceKey | None) -> Workspace:
    """Opens (or makes) the workspace with a key already found: the window's unlock step, the self-test."""
    from companion.core.service import Workspace

    return Workspace.open(Path(path), key)


def another_connection(workspace: Workspace) -> Workspace:
    """A second connection to an open workspace, with the same key (sync runs on one of its own)."""
    return open_with_key(workspace.path, workspace.db.key)


def passphrase_of(workspace: Workspace) -> str | None:
    """The passphrase a passphrase-protected workspace was opened with (it also unlocks the window)."""
    key = workspace.db.key
    return key.secret.decode("utf-8") if key is not None and key.is_passphrase else None


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
