"""The sync feature's jobs: the indicator's state, connecting, a sync, and settling conflicts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: nothing of sync is read before a server is connected
    from companion.core.changes import ChangeSet
    from companion.sync.client import SyncSummary


def sync_status(ws) -> dict:
    """Reads what the indicator shows (server, team, edits to send, conflicts, whether a first sync is
    due); cheap, and without the HTTP client's imports while not connected."""
    server = ws.meta(key="sync_url")
    if server is None:
        return {"server": None}
    conflicts = json.loads(ws.meta(key="sync_conflicts") or "{}")
    return {
        "server": server,
        "team": ws.meta(key="sync_team_name"),
        "pending": ws.outbox_count(),
        "conflicts": len(conflicts),
        "set_aside": ws.set_aside(),
        "first": ws.meta(key="sync_cursor") in (None, "0"),
    }


def sync(
    ws, *, allow_deletes: bool = False, progress: Callable[[str, int], None] | None = None
) -> SyncSummary:
    """One cycle with the connected server: sends the edits waiting, writes what the team sent;
    `progress("push" or "pull", records so far)` is called from this thread."""
    from companion.app.sync_account import connected_client

    client = connected_client(ws)
    return client.sync(allow_deletes=allow_deletes, progress=progress)


def connect(ws, *, server: str, team_name: str, token: str, allow_http: bool = False) -> str:
    """Checks the token and team with the server, keeps the token, writes the connection to the
    workspace; returns the team's id. Plain http to another computer only with `allow_http`."""
    from companion.app.sync_account import login

    return login(ws, server=server, team_name=team_name, token=token, allow_http=allow_http)


def open_conflicts(ws) -> list[dict]:
    """Reads the conflicts nobody resolved yet, oldest first, named and labelled for a person
    (sync.conflicts.described_conflicts)."""
    from companion.sync.conflicts import described_conflicts

    return described_conflicts(ws)


def merge_twins(ws, *, kind: str, keep_id: str, duplicate_id: str) -> ChangeSet:
    """Merges a record made twice into the one the server had first, unless one of them is gone already
    (then nothing is written): the window's undoable step of a duplicate's merge."""
    from companion.core.duplicates import merge_if_both_live

    return merge_if_both_live(ws, kind=kind, keep_id=keep_id, duplicate_id=duplicate_id)


def merge_duplicate(ws, *, conflict: dict) -> SyncSummary:
    """Merges a possible duplicate (if not merged yet), closes its flag for everyone, and syncs."""
    from companion.app.sync_account import connected_client

    return connected_client(ws).merge_duplicate(conflict)


def resolve(ws, *, conflict_id: str, value) -> SyncSummary:
    """Settles a conflict with the value kept (tells the server), then syncs."""
    from companion.app.sync_account import connected_client

    client = connected_client(ws)
    client.resolve(conflict_id=conflict_id, value=value)
    return client.sync()
