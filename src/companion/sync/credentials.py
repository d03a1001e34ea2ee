"""The device token: kept in the OS keyring, never in a plain file.

`COMPANION_SYNC_TOKEN` in the environment takes precedence, for scripts and CI runs.
"""

from __future__ import annotations

import os

from companion.model.errors import CompanionError

SERVICE = "companion-sync"
TOKEN_ENV = "COMPANION_SYNC_TOKEN"


class NoKeyring(CompanionError):
    """No OS keyring to keep the token in; it is not written anywhere else."""


def _keyring():
    from keyring.errors import NoKeyringError

    from companion.os_keyring import keyring

    return keyring(), NoKeyringError


def save_token(server: str, token: str) -> None:
    keyring, no_keyring = _keyring()
    try:
        keyring.set_password(SERVICE, server, token)
    except no_keyring:
        raise NoKeyring(
            "This system has no keyring to keep the sync token in (on Linux: a Secret Service such as "
            f"gnome-keyring). It was not saved anywhere; set {TOKEN_ENV} for scripts instead."
        ) from None


def load_token(server: str) -> str | None:
    if os.environ.get(TOKEN_ENV):
        return os.environ[TOKEN_ENV]
    keyring, no_keyring = _keyring()
    try:
        return keyring.get_password(SERVICE, server)
    except no_keyring:
        return None


def forget_token(server: str) -> None:
    keyring, no_keyring = _keyring()
    try:
        keyring.delete_password(SERVICE, server)
    except no_keyring:
        return
    except keyring.errors.PasswordDeleteError:
        return
