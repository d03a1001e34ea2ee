"""The whole story as a person runs it: `companion serve` in its own process on 127.0.0.1, a team, a user,
two device tokens, two workspaces logged in, edits on both offline, sync, the same data and the conflict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.cli.test_cli import CLIENT_NAME, _env
from tests.sync.live import serving_process


def companion(data_dir, *args, token=None, stdin=None):
    env = _env(**({"COMPANION_SYNC_TOKEN": token} if token else {}))
    return subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, input=stdin, timeout=120, check=False,
    )  # fmt: skip


def ok(data_dir, *args, **kw) -> str:
    result = companion(data_dir, *args, **kw)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def team_with_tokens(folder, *devices: str, database: str | None = None) -> list[str]:
    """Team North with user mira on the server in `folder`, and a device token for each device."""
    where = ("--database", database) if database else ()
    ok(folder, "server", *where, "team", "add", "North")
    ok(folder, "server", *where, "user", "add", "mira")
    ok(folder, "server", *where, "member", "add", "North", "mira")
    return [
        ok(folder, "server", *where, "token", "issue", "mira", "--device", d).splitlines()[-1]
        for d in devices
    ]


def log_in(data_dir, url: str, token: str) -> str:
    """`companion sync login` to team North, the token given on standard input."""
    return ok(
        data_dir,
        "sync",
        "login",
        "--server",
        url,
        "--team",
        "North",
        "--token-stdin",
        token=token,
        stdin=token,
    )


def exported_counts(data_dir, out_dir) -> dict[str, int]:
    """How many records of each kind `companion export` writes from this workspace."""
    bundle = out_dir / f"{data_dir.name}.json"
    ok(data_dir, "export", "--out", str(bundle))
    return {kind: len(items) for kind, items in json.loads(bundle.read_text())["records"].items()}


@pytest.fixture
def served(tmp_path):
    folder = tmp_path / "server"
    with serving_process(folder, env=_env()) as url:
        yield folder, url


def test_two_laptops_through_a_real_server(served, tmp_path):
    folder, url = served
    tokens = team_with_tokens(folder, "A", "B")
    a, b = tmp_path / "a", tmp_path / "b"
    client = ok(a, "add", "client", f"name={CLIENT_NAME}", "status=active").strip()
    for laptop, token in ((a, tokens[0]), (b, tokens[1])):
        out = log_in(laptop, url, token)
        assert "local records will go to North" in out
    assert ok(a, "sync", token=tokens[0]).strip() == "pushed 1, pulled 0, conflicts 0"
    assert ok(b, "sync", token=tokens[1]).strip() == "pushed 0, pulled 1, conflicts 0"
    # Offline on both: the same field, and different fields.
    ok(a, "set", "client", client, "status=dormant", "industry=Energy")
    ok(b, "set", "client", client, "status=former", "website=https://sge.example")
    ok(a, "sync", token=tokens[0])
    second = companion(b, "sync", token=tokens[1])
    assert second.returncode == 3 and second.stdout.strip().endswith("conflicts 1"), second.stdout
    companion(a, "sync", token=tokens[0])
    shows = [ok(laptop, "show", "client", client, "--json") for laptop in (a, b)]
    assert shows[0] == shows[1]
    assert (
        '"status": "former"' in shows[0] and '"industry": "Energy"' in shows[0] and "sge.example" in shows[0]
    )
    assert ok(a, "sync", "status", token=tokens[0]).splitlines()[-1] == "0 edits to push, 1 conflicts open"
    # A revoked token is refused with a message that says what to do; nothing local changes.
    issued = ok(folder, "server", "token", "issue", "mira", "--device", "C").splitlines()
    ok(folder, "server", "token", "revoke", issued[0].split()[1])
    refused = companion(a, "sync", token=issued[-1])
    assert refused.returncode == 1 and "Log in again" in refused.stderr
    assert ok(a, "show", "client", client, "--json") == shows[0]
    assert ok(folder, "server", "team", "list").split()[1] == "North"
    assert os.path.exists(folder / "server.sqlite")


def test_a_sync_killed_at_any_moment_is_never_stuck_and_loses_nothing(served, tmp_path):
    """`companion sync` killed (SIGKILL) again and again while pushing and pulling, then run to the end."""
    import random
    import signal

    folder, url = served
    ok(folder, "server", "team", "add", "North")
    ok(folder, "server", "user", "add", "mira")
    ok(folder, "server", "member", "add", "North", "mira")
    token = ok(folder, "server", "token", "issue", "mira", "--device", "A").splitlines()[-1]
    laptop = tmp_path / "a"
    ok(laptop, "demo", "--synthetic", "60")  # about 2,700 records: several batches and pages
    log_in(laptop, url, token)
    rng = random.Random(7)
    env = _env(COMPANION_SYNC_TOKEN=token)
    for _ in range(6):
        process = subprocess.Popen(
            [sys.executable, "-m", "companion", "--data-dir", str(laptop), "sync"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.3, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    final = companion(laptop, "sync", token=token)
    assert final.returncode == 0, final.stderr
    assert ok(laptop, "sync", "status", token=token).splitlines()[-1] == "0 edits to push, 0 conflicts open"
    other = tmp_path / "b"
    token_b = ok(folder, "server", "token", "issue", "mira", "--device", "B").splitlines()[-1]
    log_in(other, url, token_b)
    ok(other, "sync", token=token_b)
    counts = [exported_counts(data_dir, tmp_path) for data_dir in (laptop, other)]
    assert counts[0] == counts[1] and counts[0]["client"] == 60
