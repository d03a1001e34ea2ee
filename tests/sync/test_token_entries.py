"""Each workspace keeps its own device token for a server in the keyring: two people (two workspaces) on one
computer and one server no longer overwrite each other's token; a token kept by an earlier version under the
server alone is taken over. (The keyring here is tests/file_keyring.py; test_keyring.py uses gnome-keyring.)"""

from __future__ import annotations

import keyring

from companion.app import sync_account
from companion.core.service import Workspace

SERVER = "http://127.0.0.1:9"  # never reached: the server's answers come through its test client


def test_two_workspaces_keep_their_own_tokens_for_one_server(server, tmp_path, monkeypatch):
    from companion.server import admin

    monkeypatch.delenv(sync_account.TOKEN_ENV, raising=False)
    monkeypatch.setenv("COMPANION_TEST_KEYRING", str(tmp_path / "keyring.json"))
    server.admin(
        lambda conn: (
            admin.add_account(conn, "noor"),
            admin.add_member(conn, team_name="North", user_name="noor"),
        )
    )
    tokens = {"mira": server.token(user="mira", device="m"), "noor": server.token(user="noor", device="n")}
    spaces = {user: Workspace.open(tmp_path / f"{user}.sqlite") for user in tokens}
    try:
        for user, ws in spaces.items():
            sync_account.login(ws, server=SERVER, team_name="North", token=tokens[user], http=server.http())
        for user, ws in spaces.items():
            assert (
                sync_account.connected_client(ws, http=server.http()).http.headers["Authorization"]
                == f"Bearer {tokens[user]}"
            )
        sync_account.logout(spaces["mira"])
        assert sync_account.load_token(SERVER, device_id=spaces["mira"].meta(key="device_id")) is None
        assert (
            sync_account.connected_client(spaces["noor"], http=server.http()).http.headers["Authorization"]
            == f"Bearer {tokens['noor']}"
        )
    finally:
        for ws in spaces.values():
            ws.close()


def test_a_token_kept_under_the_server_alone_is_taken_over(tmp_path, monkeypatch):
    monkeypatch.delenv(sync_account.TOKEN_ENV, raising=False)
    monkeypatch.setenv("COMPANION_TEST_KEYRING", str(tmp_path / "keyring.json"))
    keyring.set_password(sync_account.SERVICE, SERVER, "old-token")
    assert sync_account.load_token(SERVER, device_id="device-1") == "old-token"
    assert (
        keyring.get_password(sync_account.SERVICE, sync_account.entry_name(SERVER, "device-1")) == "old-token"
    )
    sync_account.forget_token(SERVER, device_id="device-1")
    assert keyring.get_password(sync_account.SERVICE, SERVER) is None
