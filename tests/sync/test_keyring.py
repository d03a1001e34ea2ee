"""The device token in a real OS keyring: gnome-keyring's Secret Service in a D-Bus session of its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.cli.test_cli import _env
from tests.secret_service import require_tools, run_in_session
from tests.sync.live import serving_process
from tests.sync.test_real_server import ok

SESSION = Path(__file__).with_name("keyring_session.py")


def test_the_token_lives_in_the_keyring_and_nowhere_else(tmp_path):
    require_tools()
    folder = tmp_path / "server"
    with serving_process(folder, env=_env()) as url:
        ok(folder, "server", "team", "add", "North")
        ok(folder, "server", "user", "add", "mira")
        ok(folder, "server", "member", "add", "North", "mira")
        token = ok(folder, "server", "token", "issue", "mira", "--device", "A").splitlines()[-1]
        home, laptop = tmp_path / "home", tmp_path / "laptop"
        session = run_in_session(
            home, [sys.executable, str(SESSION), url, str(laptop), token], unlocked=True, env=_env()
        )
    assert session.returncode == 0, session.stderr
    seen = json.loads(session.stdout.strip().splitlines()[-1])
    assert seen["backend"].startswith("keyring.backends.SecretService"), seen
    assert seen["login"][0] == 0 and "local records will go to North" in seen["login"][1]
    assert seen["kept"] is True
    assert seen["added"] == 0
    # The workspace the login made is encrypted, its key in the same keyring.
    assert seen["workspace_encrypted"] is True and seen["workspace_key_kept"] is True, seen
    assert seen["sync"][0] == 0 and seen["sync"][1].startswith("pushed"), seen["sync"]
    # Never in a plain file: not in the workspace folder, not anywhere in the home folder.
    for root in (laptop, home):
        for path in root.rglob("*"):
            if path.is_file():
                assert token.encode() not in path.read_bytes(), path
    assert seen["logout"] == 0 and seen["after_logout"] is None
    assert seen["sync_after_logout"][0] != 0 and "sync login" in seen["sync_after_logout"][1], seen
