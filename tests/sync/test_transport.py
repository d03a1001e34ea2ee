"""Transport: a device token never goes over plain http to another computer unless a person allowed it;
`serve` warns when it listens beyond loopback without TLS; the API describes itself only when asked."""

from __future__ import annotations

import pytest

from companion.app.sync_account import ALLOW_HTTP, connected_client, login
from companion.server.app import create_app
from companion.sync.client import SyncError, check_transport
from tests.cli.test_cli import _env
from tests.sync.test_real_server import companion


@pytest.mark.parametrize(
    "server",
    [
        "https://sync.example.com",
        "http://127.0.0.1:8765",
        "http://localhost:8765",
        "http://[::1]:8765",
        "http://127.0.0.2",
    ],
)
def test_https_and_loopback_need_no_permission(server):
    check_transport(server, allow_http=False)


def test_plain_http_elsewhere_is_refused_unless_allowed():
    with pytest.raises(SyncError, match="plain http: your device token and records would cross the network"):
        check_transport("http://sync.example.com", allow_http=False)
    check_transport("http://sync.example.com", allow_http=True)
    with pytest.raises(SyncError, match="starts with https://"):
        check_transport("ftp://sync.example.com", allow_http=True)


def test_login_keeps_the_permission_and_the_next_sync_honours_it(server, tmp_path, monkeypatch):
    from companion.core.service import Workspace

    token = server.token(device="http-laptop")
    monkeypatch.setenv("COMPANION_SYNC_TOKEN", token)
    ws = Workspace.open(tmp_path / "laptop.sqlite")
    try:
        with pytest.raises(SyncError, match="plain http"):
            login(ws, server="http://sync.example.com", team_name="North", token=token, http=server.http())
        assert ws.meta(key="sync_url") is None, "nothing was connected"
        login(
            ws, server="http://sync.example.com", team_name="North", token=token, http=server.http(),
            allow_http=True,
        )  # fmt: skip
        assert ws.meta(key=ALLOW_HTTP) == "1"
        assert connected_client(ws, http=server.http()) is not None
        # Taken back: the connection stays, but the next sync refuses to send the token.
        ws.set_meta(values={ALLOW_HTTP: None})
        with pytest.raises(SyncError, match="plain http"):
            connected_client(ws, http=server.http())
    finally:
        ws.close()


def test_sync_login_refuses_plain_http_before_it_sends_anything(tmp_path):
    result = companion(
        tmp_path / "laptop", "sync", "login", "--server", "http://sync.example.com", "--team", "North",
        "--token-stdin", stdin="some-token",
    )  # fmt: skip
    assert result.returncode != 0
    assert (
        "plain http" in result.stderr and "--allow-http" in result.stderr and "Traceback" not in result.stderr
    )


def test_serve_warns_when_it_listens_beyond_loopback_without_tls(tmp_path, monkeypatch, capsys):
    import uvicorn

    from companion.cli import main

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(kw))  # nothing listens here
    monkeypatch.setenv("COMPANION_HOME", str(tmp_path))
    for env_key, value in _env().items():
        monkeypatch.setenv(env_key, value)
    assert main(["--data-dir", str(tmp_path / "server"), "serve", "--host", "0.0.0.0"]) == 0
    assert started[0]["host"] == "0.0.0.0"
    assert "listening on 0.0.0.0 without TLS" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path / "server"), "serve"]) == 0
    assert "without TLS" not in capsys.readouterr().err


def test_the_api_describes_itself_only_when_asked(server):
    from fastapi.testclient import TestClient

    quiet = TestClient(create_app(server.engine))
    assert quiet.get("/openapi.json").status_code == 404 and quiet.get("/docs").status_code == 404
    told = TestClient(create_app(server.engine, api_docs=True))
    assert told.get("/openapi.json").status_code == 200 and told.get("/docs").status_code == 200
