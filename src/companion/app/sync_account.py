"""The laptop's link to a sync server: the device token, logging in and out, the connected sync client.

The token lives in the OS keyring, never in a plain file.

`COMPANION_SYNC_TOKEN` in the environment takes precedence, for scripts and CI runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from companion.app import settings
from companion.model.errors import CompanionError

if TYPE_CHECKING:
    import httpx

    from companion.core.service import Workspace
    from companion.sync.client import SyncClient

SERVICE = "companion-sync"
TOKEN_ENV = "COMPANION_SYNC_TOKEN"


class NoKeyring(CompanionError):
    """No OS keyring to keep the token in (or it is locked); it is not written anywhere else.

    Its message is Companion's own words; what the keyring library said is only its last line, kept
    apart in `detail`."""

    def __init__(self, message: str, *, detail: str = ""):
        from companion.app.workspace_keys import with_detail

        super().__init__(with_detail(message, detail))
        self.message = message
        self.detail = detail


def _keyring():
    from keyring.errors import KeyringError

    from companion.app.os_keyring import keyring

    return keyring(), KeyringError


def _refusal(doing: str, exc: Exception, then: str) -> NoKeyring:
    from companion.app.workspace_keys import keyring_problem, library_detail

    what, to_do = keyring_problem(exc)
    return NoKeyring(
        f"Companion cannot {doing} this computer's keyring: {what}. {to_do} {then}",
        detail=library_detail(exc),
    )


def entry_name(server: str, device_id: str | None) -> str:
    """The keyring entry of one workspace's token for one server: two workspaces on one computer (two
    people, two teams) keep their own tokens for the same server."""
    return f"{server} [{device_id}]" if device_id else server


def save_token(server: str, token: str, *, device_id: str | None = None) -> None:
    keyring, keyring_error = _keyring()
    try:
        keyring.set_password(SERVICE, entry_name(server, device_id), token)
    except keyring_error as exc:
        raise _refusal(
            "keep the sync token in",
            exc,
            f"The token was not saved anywhere else; set {TOKEN_ENV} for scripts instead.",
        ) from None


def load_token(server: str, *, device_id: str | None = None) -> str | None:
    """The device token for `server`: COMPANION_SYNC_TOKEN, else the keyring's for this workspace (an
    entry under the server alone, from an earlier version, is taken and kept under this workspace's)."""
    if os.environ.get(TOKEN_ENV):
        return os.environ[TOKEN_ENV]
    keyring, keyring_error = _keyring()
    try:
        token = keyring.get_password(SERVICE, entry_name(server, device_id))
        if token is None and device_id:
            token = keyring.get_password(SERVICE, server)
            if token is not None:
                keyring.set_password(SERVICE, entry_name(server, device_id), token)
        return token
    except keyring_error as exc:
        raise _refusal(
            "read the sync token from",
            exc,
            f"Your edits are kept and go with the next sync (or set {TOKEN_ENV} for scripts).",
        ) from None


def forget_token(server: str, *, device_id: str | None = None) -> None:
    """Forgets the token where it can; a keyring that cannot be reached keeps it (logging out goes on).
    An entry under the server alone (an earlier version's) goes too when it is this workspace's token."""
    keyring, keyring_error = _keyring()
    try:
        mine = keyring.get_password(SERVICE, entry_name(server, device_id))
        if device_id and mine is not None and keyring.get_password(SERVICE, server) == mine:
            keyring.delete_password(SERVICE, server)
        keyring.delete_password(SERVICE, entry_name(server, device_id))
    except keyring_error:  # none kept (PasswordDeleteError), or no keyring to ask
        return


# The workspace's bookkeeping: a person allowed plain http to this (non-loopback) server.
ALLOW_HTTP = "sync_allow_http"


def login(
    ws: Workspace,
    *,
    server: str,
    team_name: str,
    token: str,
    http: httpx.Client | None = None,
    allow_http: bool = False,
) -> str:
    """Checks the token and the team with the server, keeps the token in the keyring (unless it comes
    from COMPANION_SYNC_TOKEN) and connects the workspace; local records will go to that team.

    Plain http to another computer is refused unless `allow_http` (a person's explicit yes, kept with
    the connection)."""
    from companion.sync.client import SyncError, check_transport, server_teams

    check_transport(server, allow_http=allow_http)
    teams = server_teams(ws, server=server, token=token, http=http)
    if team_name not in teams:
        raise SyncError(
            f"You are not a member of a team called '{team_name}' there. Your teams: {', '.join(sorted(teams)) or 'none'}."
        )
    if os.environ.get(TOKEN_ENV) != token:
        save_token(server, token, device_id=ws.meta(key="device_id"))
    ws.set_meta(
        values={
            "sync_url": server, "sync_team": teams[team_name], "sync_team_name": team_name,
            ALLOW_HTTP: "1" if allow_http else None,
        }
    )  # fmt: skip
    return teams[team_name]


def logout(ws: Workspace) -> str | None:
    """Forgets the token and disconnects the workspace; it keeps its records and unsynced edits."""
    server = ws.meta(key="sync_url")
    if server is not None:
        forget_token(server, device_id=ws.meta(key="device_id"))
        ws.set_meta(values={"sync_url": None})
    return server


def connected_client(ws: Workspace, *, http: httpx.Client | None = None) -> SyncClient | None:
    """The client for the server this workspace is connected to, or None when it is not."""
    from companion.sync.client import SyncClient, SyncError, check_transport

    server = ws.meta(key="sync_url")
    if server is None:
        return None
    # A lock set after this laptop logged in (or a site file that cannot be read) holds here too.
    settings.sync_server(settings.load(Path(ws.path).parent), server)
    check_transport(server, allow_http=ws.meta(key=ALLOW_HTTP) == "1")
    token = load_token(server, device_id=ws.meta(key="device_id"))
    if not token:
        raise SyncError(
            f"This computer's keyring holds no device token for {server}: connect to the server again "
            "(Sync → Connect to a sync server, or `companion sync login`)."
        )
    return SyncClient(ws, server=server, token=token, team_id=str(ws.meta(key="sync_team")), http=http)
