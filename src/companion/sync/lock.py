"""One sync of a workspace at a time, across processes (the app's background sync and `companion sync`).

Two syncs at once would number different batches alike: the server would take the second for a replay
of the first and the laptop would drop edits it never sent. An OS file lock ends with its process, so a
killed sync never leaves the workspace locked.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from companion.model.errors import CompanionError


class SyncBusy(CompanionError):
    """Another sync of this workspace is running."""


def _try_lock(handle) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def exclusive_sync(workspace_path: Path) -> Iterator[None]:
    """Held for a whole sync; raises SyncBusy at once when another process or thread holds it."""
    lock_path = Path(f"{workspace_path}.sync-lock")
    with open(lock_path, "a+b") as handle:
        if not _try_lock(handle):
            raise SyncBusy(
                "Another sync of this workspace is running (the app or `companion sync`); "
                "try again when it has finished. Your edits are kept."
            )
        yield  # the lock goes with the file's closing, or with the process
