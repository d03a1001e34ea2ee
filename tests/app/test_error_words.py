"""A missing or locked keyring, and a sync server that cannot be reached, explained in Companion's own
words: what is wrong, what to do. The library's text ("No recommended backend…", "[Errno 111] Connection
refused") comes only as the last line, "Details: …", kept apart as `detail`."""

from __future__ import annotations

import socket

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import InitError, KeyringLocked

from companion.app import sync_account, workspace_keys
from companion.app.workspace_keys import KeyringUnavailable, WorkspaceKey
from companion.core.service import Workspace
from companion.sync.client import SyncClient, SyncError


class LockedKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service, username, password):
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service, username):
        raise KeyringLocked("Failed to unlock the collection!")


class SilentKeyring(LockedKeyring):
    def get_password(self, service, username):
        raise InitError("org.freedesktop.DBus.Error.ServiceUnknown")

    def set_password(self, service, username, password):
        raise InitError("org.freedesktop.DBus.Error.ServiceUnknown")


@pytest.fixture
def use_keyring():
    before = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(before)


def _split(error) -> tuple[str, str]:
    *words, last = str(error).splitlines()
    return "\n".join(words), last


@pytest.mark.parametrize(
    ("backend", "what", "library"),
    [
        (fail.Keyring, "this computer has no keyring Companion can use", "No recommended backend"),
        (LockedKeyring, "the keyring is locked", "Failed to unlock the collection!"),
        (SilentKeyring, "the keyring could not be reached", "ServiceUnknown"),
    ],
)
def test_a_workspace_key_that_cannot_be_kept_is_explained(use_keyring, backend, what, library):
    use_keyring(backend())
    with pytest.raises(KeyringUnavailable) as refused:
        workspace_keys.remember(WorkspaceKey.random())
    words, last = _split(refused.value)
    assert words == refused.value.message
    assert f"Companion cannot keep the workspace key in this computer's keyring: {what}." in words
    assert "passphrase" in words and words.endswith("Nothing was written.")
    assert library not in words, "the library's words are not the message"
    assert last == f"Details: {refused.value.detail}" and library in refused.value.detail


def test_a_locked_keyring_says_to_unlock_it_when_opening(use_keyring, tmp_path, monkeypatch):
    monkeypatch.delenv("COMPANION_PASSPHRASE", raising=False)
    path = tmp_path / "workspace.sqlite"
    Workspace.open(path, WorkspaceKey.random()).close()
    use_keyring(LockedKeyring())
    with pytest.raises(KeyringUnavailable) as refused:
        workspace_keys.key_for(path)
    words, last = _split(refused.value)
    assert "Companion cannot read it: the keyring is locked. Unlock it" in words
    assert str(path) in words and "passphrase" in words
    assert last == "Details: Failed to unlock the collection!"


@pytest.mark.parametrize(
    ("backend", "what"),
    [
        (fail.Keyring, "this computer has no keyring Companion can use"),
        (LockedKeyring, "the keyring is locked"),
    ],
)
def test_a_sync_token_that_cannot_be_kept_or_read_is_explained(use_keyring, monkeypatch, backend, what):
    monkeypatch.delenv(sync_account.TOKEN_ENV, raising=False)
    use_keyring(backend())
    with pytest.raises(sync_account.NoKeyring) as refused:
        sync_account.save_token("https://sync.example.com", "secret-token")
    words, last = _split(refused.value)
    assert f"Companion cannot keep the sync token in this computer's keyring: {what}." in words
    assert "not saved anywhere else" in words and last.startswith("Details: ")
    with pytest.raises(sync_account.NoKeyring) as unread:
        sync_account.load_token("https://sync.example.com")
    assert f"cannot read the sync token from this computer's keyring: {what}." in str(unread.value)
    sync_account.forget_token("https://sync.example.com")  # logging out goes on


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_sync_server_that_is_not_running_is_said_so(workspace):
    server = f"http://127.0.0.1:{_closed_port()}"
    client = SyncClient(workspace, server=server, token="t", team_id="team")
    with pytest.raises(SyncError) as refused:
        client.hello()
    words, last = _split(refused.value)
    assert words == refused.value.message
    assert f"Companion could not reach the sync server at {server}: it did not answer." in words
    assert "Is the server running, and is the address right?" in words
    assert "your edits are kept" in words
    assert "Errno" not in words and "refused" not in words.lower()
    assert last.startswith("Details: ") and "refused" in last.lower()
    # Logging in to it: the same words, and what to do then.
    with pytest.raises(SyncError) as login:
        sync_account.login(workspace, server=server, team_name="North", token="t")
    assert "could not reach the sync server" in str(login.value)
    assert "Check the address, then connect again." in str(login.value)


@pytest.mark.parametrize(
    ("raised", "words"),
    [
        (httpx.ConnectTimeout("timed out"), "did not answer in time"),
        (httpx.ReadTimeout("timed out"), "did not answer in time"),
        (httpx.ReadError("connection reset"), "did not answer: the connection broke off"),
        (httpx.RemoteProtocolError("Server disconnected"), "did not answer: the connection broke off"),
    ],
)
def test_other_network_failures_are_said_in_words(workspace, raised, words):
    def fail_with(request):
        raise raised

    http = httpx.Client(base_url="http://sync.example.com", transport=httpx.MockTransport(fail_with))
    client = SyncClient(workspace, server="http://sync.example.com", token="t", team_id="team", http=http)
    with pytest.raises(SyncError) as refused:
        client.hello()
    assert f"The sync server at http://sync.example.com {words}" in refused.value.message
    assert "your edits are kept" in refused.value.message
    assert refused.value.detail == str(raised)


def test_an_address_that_is_not_http_is_said_so(workspace):
    with pytest.raises(SyncError) as refused:
        sync_account.login(workspace, server="sync.example.com", team_name="North", token="t")
    assert "starts with https://" in refused.value.message
