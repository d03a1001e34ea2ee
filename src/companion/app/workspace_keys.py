"""Workspace keys: a random 256-bit key per workspace, kept in the OS keyring under the file's salt; a
passphrase instead where there is no keyring. Never an unencrypted file in place of an encrypted one.

Every way into a workspace (the window, the command line, sync) opens it through companion.app.opener.
"""

from __future__ import annotations

import os
from pathlib import Path

from companion.app import settings
from companion.model.errors import WorkspaceError
from companion.store import cipher
from companion.store.cipher import KeyNeeded, WorkspaceKey, WrongKey
from companion.store.fileinfo import inspect_file

__all__ = ["KeyNeeded", "WorkspaceKey", "WrongKey"]  # for the window, which never imports the store

SERVICE = "companion-workspace"
PASSPHRASE_ENV = "COMPANION_PASSPHRASE"


class KeyringUnavailable(WorkspaceError):
    """No OS keyring to keep a workspace key in (or it is locked); nothing was written.

    Its message is Companion's own words; what the keyring library said is only its last line
    ("Details: …"), kept apart in `detail` (the window shows it as the box's details)."""

    def __init__(self, message: str, *, detail: str = ""):
        super().__init__(with_detail(message, detail))
        self.message = message
        self.detail = detail


DETAIL_LINE = "Details: "


def with_detail(message: str, detail: str) -> str:
    """A message in Companion's words, and what a library said underneath on a line of its own."""
    return f"{message}\n{DETAIL_LINE}{detail}" if detail else message


def keyring_problem(exc: Exception) -> tuple[str, str]:
    """What is wrong with the OS keyring, in Companion's words: (what, what to do)."""
    from keyring.errors import KeyringLocked, NoKeyringError

    if isinstance(exc, NoKeyringError):
        return (
            "this computer has no keyring Companion can use",
            "On Linux a Secret Service keeps it (gnome-keyring or KWallet, running in your desktop "
            "session); Windows and macOS have theirs built in.",
        )
    if isinstance(exc, KeyringLocked):
        return (
            "the keyring is locked",
            "Unlock it (log in to your desktop session, or unlock it in your keyring app), then try again.",
        )
    return (
        "the keyring could not be reached",
        "Check that your desktop session's keyring (gnome-keyring, KWallet, or the system's own) is "
        "running, then try again.",
    )


def library_detail(exc: Exception) -> str:
    """What the keyring library said, for the details line."""
    return str(exc).strip() or type(exc).__name__


class EncryptionRequired(WorkspaceError):
    """The administrator requires encrypted workspaces and this one is not."""


def _keyring():
    from keyring.errors import KeyringError

    from companion.app.os_keyring import keyring

    return keyring(), KeyringError


def stored_key(path: Path) -> WorkspaceKey | None:
    """The key the keyring holds for an encrypted file (found by the salt the key gave the file)."""
    keyring, keyring_error = _keyring()
    try:
        secret = keyring.get_password(SERVICE, cipher.file_salt(path))
    except keyring_error as exc:
        what, to_do = keyring_problem(exc)
        raise KeyringUnavailable(
            f"{path} is encrypted with a key kept in this computer's keyring, and Companion cannot read "
            f"it: {what}. {to_do} If you protected the workspace with a passphrase instead, enter that "
            f"({PASSPHRASE_ENV} for scripts).",
            detail=library_detail(exc),
        ) from None
    if secret is None:
        return None
    return WorkspaceKey(bytes.fromhex(secret))


def remember(key: WorkspaceKey) -> None:
    """Keeps a raw key in the keyring; refuses (and writes nothing) when there is none."""
    keyring, keyring_error = _keyring()
    try:
        keyring.set_password(SERVICE, key.salt, key.secret.hex())
    except keyring_error as exc:
        what, to_do = keyring_problem(exc)
        raise KeyringUnavailable(
            f"Companion cannot keep the workspace key in this computer's keyring: {what}. {to_do} Or "
            f"protect the workspace with a passphrase instead (typed when asked, or {PASSPHRASE_ENV} for "
            "scripts). Nothing was written.",
            detail=library_detail(exc),
        ) from None


def key_for(path: Path, passphrase: str | None = None) -> WorkspaceKey | None:
    """The key an existing file opens with: None for a plain file; the passphrase given; else the
    keyring's; else COMPANION_PASSPHRASE. KeyNeeded (or KeyringUnavailable) says what to do."""
    if not cipher.is_encrypted(path):
        return None
    if passphrase:
        return WorkspaceKey.from_passphrase(passphrase)
    try:
        key = stored_key(path)
    except KeyringUnavailable:
        if os.environ.get(PASSPHRASE_ENV):
            return WorkspaceKey.from_passphrase(os.environ[PASSPHRASE_ENV])
        raise
    if key is not None:
        return key
    if os.environ.get(PASSPHRASE_ENV):
        return WorkspaceKey.from_passphrase(os.environ[PASSPHRASE_ENV])
    raise KeyNeeded(
        f"{path} is encrypted, and this computer's keyring holds no key for it: it was made on another "
        f"computer or protected with a passphrase. Enter its passphrase ({PASSPHRASE_ENV} for scripts)."
    )


def new_key(passphrase: str | None = None) -> WorkspaceKey:
    """A key for a new encrypted file: the passphrase given, else a random key put in the keyring first
    (so no file is ever encrypted with a key kept nowhere), else COMPANION_PASSPHRASE."""
    if passphrase:
        return WorkspaceKey.from_passphrase(passphrase)
    key = WorkspaceKey.random()
    try:
        remember(key)
    except KeyringUnavailable:
        if os.environ.get(PASSPHRASE_ENV):
            return WorkspaceKey.from_passphrase(os.environ[PASSPHRASE_ENV])
        raise
    return key


def passphrase_key(path: Path, passphrase: str) -> WorkspaceKey:
    """The key of a passphrase once it opens the file; WrongKey (the file untouched) otherwise."""
    key = WorkspaceKey.from_passphrase(passphrase)
    inspect_file(path, key)
    return key


def required_because(data_dir: Path | None) -> str | None:
    """Why workspaces here must be encrypted (an admin's lock, or the user's own setting), or None."""
    loaded = settings.load(data_dir)
    if not loaded.value("workspace.require_encryption"):
        return None
    return loaded.lock_reason("workspace.require_encryption") or "Your settings require it."


def encrypt_new(data_dir: Path | None) -> bool:
    return bool(settings.load(data_dir).value("workspace.encrypt_new") or required_because(data_dir))


def require_encryption(data_dir: Path | None, path: Path) -> None:
    where = required_because(data_dir)
    if where and path.exists() and not cipher.is_encrypted(path):
        raise EncryptionRequired(
            f"{path} is not encrypted, and workspaces on this laptop must be ({where}). "
            "Encrypt it with `companion encrypt` (or from the window when it asks). Nothing was opened."
        )
