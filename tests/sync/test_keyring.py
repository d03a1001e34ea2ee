"""The device token in a real OS keyring: gnome-keyring's Secret Service in a D-Bus session of its own."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sync.live import serving_process
from tests.sync.test_real_server import ok
from tests.test_cli import _env

SESSION = Path(__file__).with_name("keyring_session.py")


def test_the_token_lives_in_the_keyring_and_nowhere_else(tmp_path):
    missing = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if shutil.which(tool) is None]
    if missing:
        # Not skipped: `make test` installs them (Debian: dbus-daemon gnome-keyring).
        pytest.fail(f"{', '.join(missing)} not installed: apt install dbus-daemon gnome-keyring")
    folder = tmp_path / "server"
    with serving_process(folder, env=_env()) as url:
        ok(folder, "server", "team", "add", "North")
        ok(folder, "server", "user", "add", "mira")
        ok(folder, "server", "member", "add", "North", "mira")
        token = ok(folder, "server", "token", "issue", "mira", "--device", "A").splitlines()[-1]
        home, laptop = tmp_path / "home", tmp_path / "laptop"
        home.mkdir()
        env = {
            k: v for k, v in _env().items() if k not in ("COMPANION_SYNC_TOKEN", "DBUS_SESSION_BUS_ADDRESS")
        }
        env.update(
            HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_RUNTIME_DIR=str(home / "run")
        )
        (home / "run").mkdir(mode=0o700)
        # An unlocked login keyring: the password comes without a newline (see NOTES.md).
        script = (
            "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
            f'exec "{sys.executable}" "{SESSION}" "{url}" "{laptop}" "{token}"'
        )
        session = subprocess.run(
            ["dbus-run-session", "--", "sh", "-c", script],
            capture_output=True, text=True, env=env, timeout=300, check=False,
        )  # fmt: skip
    assert session.returncode == 0, session.stderr
    seen = json.loads(session.stdout.strip().splitlines()[-1])
    assert seen["backend"].startswith("keyring.backends.SecretService"), seen
    assert seen["login"][0] == 0 and "local records will go to North" in seen["login"][1]
    assert seen["kept"] is True
    assert seen["added"] == 0
    assert seen["sync"][0] == 0 and seen["sync"][1].startswith("pushed"), seen["sync"]
    # Never in a plain file: not in the workspace folder, not anywhere in the home folder.
    for root in (laptop, home):
        for path in root.rglob("*"):
            if path.is_file():
                assert token.encode() not in path.read_bytes(), path
    assert seen["logout"] == 0 and seen["after_logout"] is None
    assert seen["sync_after_logout"][0] != 0 and "sync login" in seen["sync_after_logout"][1], seen
