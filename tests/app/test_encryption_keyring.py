"""Workspace keys in a real OS keyring (gnome-keyring's Secret Service): kept there when it is unlocked;
when it is locked, nothing is opened, changed or written in plain."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.secret_service import run_in_session

SESSION = Path(__file__).with_name("encryption_session.py")
MARKER = "Brambleworth"


def _session(home: Path, mode: str, data: Path) -> dict:
    done = run_in_session(
        home, [sys.executable, str(SESSION), mode, str(data), MARKER], unlocked=mode == "unlocked"
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_workspace_key_lives_in_the_secret_service_and_a_locked_keyring_opens_nothing(tmp_path):
    home, data = tmp_path / "home", tmp_path / "laptop" / "data"
    seen = _session(home, "unlocked", data)
    assert seen["backend"].startswith("keyring.backends.SecretService"), seen
    assert seen["added"][0] == 0, seen
    assert seen["encrypted"] is True and seen["key_in_keyring"] is True
    assert MARKER.encode() not in (data / "workspace.sqlite").read_bytes()
    assert seen["listed"][0] == 0 and MARKER in seen["listed"][1]
    assert seen["backup"][0] == 0 and "workspace's key" in seen["backup"][1], seen["backup"]
    assert seen["restore"][0] == 0, seen["restore"]
    assert MARKER in seen["listed_after_restore"][1]
    # The key is nowhere but the keyring: no file in the home or data folders holds it.
    secret = bytes.fromhex(seen["key"])
    for path in tmp_path.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert seen["key"].encode() not in content and secret not in content, path
    locked = _session(home, "locked", data)
    assert locked["listed"][0] == 1 and "keyring" in locked["listed"][1], locked
    assert locked["untouched"] is True
    assert locked["new_workspace"][0] == 1 and "Nothing was written" in locked["new_workspace"][1], locked
    assert locked["fresh_files"] == []
