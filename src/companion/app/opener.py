"""The one way into a workspace, opened with its key, for the window, the command line, sync and the self-test.

Nothing else touches the store's key (from the keyring, a passphrase, or none for a plain file).

The first paint reads the client list with the driver alone while SQLAlchemy and the services load.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from companion.store.cipher import WorkspaceKey
from companion.store.fileinfo import check_header, checked_reader, head_revision
from companion.store.snapshot import read_columns, read_first_columns

if TYPE_CHECKING:  # the services load SQLAlchemy: the window asks for keys and paints before they load
    from companion.core.service import Workspace


class AskPassphrase(Protocol):
    """Asks the person for a passphrase: `why` says what it is for, `details` what went wrong underneath,
    `new` that it is a new one (typed twice), `problem` what was wrong with the last one. None when
    nobody can be asked (a script): the reason stands as the error."""

    def __call__(
        self, why: str, *, new: bool, details: str = "", problem: str | None = None
    ) -> str | None: ...


NEEDS_PASSPHRASE = (
    "This workspace is encrypted, and this computer's keyring holds no key for it: it was made on "
    "another computer, or protected with a passphrase. Type its passphrase."
)
KEYRING_LOCKED = (
    "The keyring that holds this workspace's key is missing or locked. Unlock it (log in to your "
    "desktop session) and start Companion again, or type the workspace's passphrase if it has one."
)
NEW_WITHOUT_KEYRING = (
    "Companion encrypts your workspace. This computer's keyring (where the key is normally kept, "
    "so you never type it) is missing or locked.\n\nChoose a passphrase for this workspace instead: "
    "Companion asks for it each time it opens. Without it nobody, you included, can read the workspace."
)
WRONG_PASSPHRASE = "That passphrase does not open this workspace. Try again."


def key_to_open(path: Path, *, ask: AskPassphrase | None = None, passphrase: str | None = None):
    """The key to open the workspace with, or to make a new one with: the passphrase given; else the
    keyring's (for a new workspace a random key, kept there first), or COMPANION_PASSPHRASE; else the
    passphrase `ask` gets from the person, asked again until it opens the file. None for a plain file,
    or a new one when the settings make new workspaces plain; DamagedWorkspace for an empty file or a
    plain one whose header is damaged. Never plain because no keyring was found;
    a plain workspace where an admin requires encryption is refused (EncryptionRequired)."""
    from companion.app import workspace_keys

    path = Path(path)
    if not path.exists():
        if not workspace_keys.encrypt_new(path.parent):
            return None
        try:
            return workspace_keys.new_key(passphrase)
        except workspace_keys.KeyringUnavailable as exc:
            typed = ask(NEW_WITHOUT_KEYRING, new=True, details=str(exc)) if ask else None
            if typed is None:
                raise
            return workspace_keys.WorkspaceKey.from_passphrase(typed)
    check_header(path)  # an empty or damaged file is named as such, before any key is looked for
    workspace_keys.require_encryption(path.parent, path)
    return key_of(path, ask=ask, passphrase=passphrase)


def key_of(path: Path, *, ask: AskPassphrase | None = None, passphrase: str | None = None):
    """The key an existing file opens with (None when plain): the passphrase given, the keyring's or
    COMPANION_PASSPHRASE, else the passphrase `ask` gets, asked again until it opens the file."""
    from companion.app import workspace_keys

    try:
        return workspace_keys.key_for(Path(path), passphrase)
    except workspace_keys.KeyNeeded as exc:
        why, refusal = NEEDS_PASSPHRASE, exc
    except workspace_keys.KeyringUnavailable as exc:
        why, refusal = KEYRING_LOCKED, exc
    problem = None
    while True:
        typed = ask(why, new=False, details=str(refusal), problem=problem) if ask else None
        if typed is None:
            raise refusal
        try:
            return workspace_keys.passphrase_key(path, typed)
        except workspace_keys.WrongKey:
            problem = WRONG_PASSPHRASE


def open_workspace(
    path: Path, *, passphrase: str | None = None, ask: AskPassphrase | None = None
) -> Workspace:
    """Opens an existing workspace with its key, or creates a new one, encrypted unless the settings
    say otherwise (and never plain because no keyring was found): `key_to_open`, then `open_with_key`."""
    return open_with_key(path, key_to_open(path, ask=ask, passphrase=passphrase))


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
    path: Path,
    *,
    client_fields: Sequence[str | None],
    key: WorkspaceKey | None = None,
    first: int | None = None,
    also: Sequence[str] = (),
) -> tuple | None:
    """Clients and colleagues of an up-to-date workspace; None when it is new or must be migrated first.

    With `first`: only the first clients by name and those of `also` (the list's pinned and recent
    ones), their colleagues, and how many clients there are: (clients, colleagues, count).
    Refuses foreign and newer files with WorkspaceError, exactly as opening them would.
    """
    with checked_reader(Path(path), key) as (revision, conn):  # one connection: one key set-up
        if revision is None or revision != head_revision():
            return None
        colleagues = read_columns(conn, "colleague", ("id", "name"))
        if first is None:
            return read_columns(conn, "client", client_fields), colleagues
        clients, count = read_first_columns(conn, "client", client_fields, first=first, ids=also)
        return clients, colleagues, count
