"""The induction feature's jobs on the database thread: a client's pack to read, and signing it off."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: start-up needs none of it
    from companion.core.changes import ChangeSet
    from companion.core.induction import ReaderView


def reader_view(ws, *, client_id: str, colleague_id: str | None) -> ReaderView:
    """Reads a client's pack at its current version, what changed since this reader signed, who is cleared."""
    from companion.core.induction import reader_view as view

    return view(ws, client_id=client_id, colleague_id=colleague_id)


def sign_off(ws, *, client_id: str, colleague_id: str, content_hash: str | None) -> ChangeSet:
    """Writes that the colleague read the pack's current version; refused if it changed while they read."""
    from companion.core.induction import sign_off as sign

    return sign(ws, client_id=client_id, colleague_id=colleague_id, content_hash=content_hash)


def add_reader(ws, *, name: str) -> ChangeSet:
    """Writes a new colleague who reads packs: a new hire adding themselves."""
    return ws.create(kind="colleague", values={"name": name, "role": "New staff"})
