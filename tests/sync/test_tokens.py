"""Device tokens an admin can see: who, which device, issued, last used, expiry; an expired token is refused
like a revoked one; the list from `companion server token list` (a real process)."""

from __future__ import annotations

import sqlalchemy as sa

from companion.server import admin
from companion.server.schema import token
from tests.sync.test_real_server import companion, ok


def test_tokens_are_listed_with_their_last_use_and_expiry(server):
    lasting = server.admin(lambda conn: admin.issue_token(conn, user_name="mira", device="laptop A"))
    brief = server.admin(
        lambda conn: admin.issue_token(conn, user_name="mira", device="laptop B", expires_in_days=30)
    )
    before = {t["id"]: t for t in server.admin(admin.list_tokens)}
    assert before[lasting[0]]["last_used"] is None and before[lasting[0]]["expires"] is None
    assert before[brief[0]]["expires"] > before[brief[0]]["issued"]
    assert server.http(lasting[1]).get("/v1/sync/hello").status_code == 200
    after = {t["id"]: t for t in server.admin(admin.list_tokens)}
    assert after[lasting[0]]["last_used"] is not None and after[brief[0]]["last_used"] is None
    assert (after[lasting[0]]["user"], after[lasting[0]]["device"]) == ("mira", "laptop A")


def test_an_expired_token_is_refused(server):
    token_id, secret = server.admin(
        lambda conn: admin.issue_token(conn, user_name="mira", device="old laptop", expires_in_days=1)
    )
    assert server.http(secret).get("/v1/sync/hello").status_code == 200
    server.admin(
        lambda conn: conn.execute(
            sa.update(token).where(token.c.id == token_id).values(expires_at="2026-01-01T00:00:00.000000Z")
        )
    )
    refused = server.http(secret).get("/v1/sync/hello")
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]


def test_server_token_list_on_the_command_line(tmp_path):
    folder = tmp_path / "server"
    ok(folder, "server", "user", "add", "mira")
    issued = ok(folder, "server", "token", "issue", "mira", "--device", "laptop A", "--expires-in", "90")
    assert "valid 90 days" in issued
    ok(folder, "server", "token", "issue", "mira", "--device", "laptop B")
    revoked = ok(folder, "server", "token", "issue", "mira", "--device", "laptop C").split()[1]
    ok(folder, "server", "token", "revoke", revoked)
    lines = ok(folder, "server", "token", "list").splitlines()
    assert lines[0].split()[:3] == ["token", "user", "device"]
    by_device = {line.split()[2] + " " + line.split()[3]: line for line in lines[1:]}
    assert by_device["laptop A"].endswith("active") and "never" in by_device["laptop A"]
    assert by_device["laptop B"].rstrip().endswith("active")
    assert by_device["laptop C"].endswith("revoked")
    refused = companion(folder, "server", "token", "issue", "mira", "--device", "D", "--expires-in", "0")
    assert refused.returncode == 2 and "--expires-in takes a whole number from 1 to" in refused.stderr
