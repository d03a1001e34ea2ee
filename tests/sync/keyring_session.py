"""Run inside a D-Bus session with an unlocked gnome-keyring: logs a workspace in, syncs with the token
from the keyring, logs out; prints what it saw as JSON for test_keyring.py.

    python tests/sync/keyring_session.py URL DATA_DIR TOKEN
"""

from __future__ import annotations

import json
import subprocess
import sys


def companion(data_dir: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", data_dir, *args],
        capture_output=True, text=True, input=stdin, timeout=120, check=False,
    )  # fmt: skip


def main() -> None:
    import keyring

    url, data_dir, token = sys.argv[1:4]
    seen: dict[str, object] = {"backend": type(keyring.get_keyring()).__module__}
    login = companion(
        data_dir, "sync", "login", "--server", url, "--team", "North", "--token-stdin", stdin=token
    )
    seen["login"] = [login.returncode, login.stdout + login.stderr]
    # Kept under the server and this workspace (its device id): "URL [device id]".
    kept = keyring.get_credential("companion-sync", None)
    seen["kept"] = kept is not None and kept.password == token and kept.username.startswith(f"{url} [")
    added = companion(data_dir, "add", "client", "name=Keyring Test Client")
    seen["added"] = added.returncode
    from pathlib import Path

    from companion.store import cipher

    workspace = Path(data_dir) / "workspace.sqlite"
    seen["workspace_encrypted"] = cipher.is_encrypted(workspace)
    seen["workspace_key_kept"] = (
        keyring.get_password("companion-workspace", cipher.file_salt(workspace)) is not None
    )
    synced = companion(data_dir, "sync")
    seen["sync"] = [synced.returncode, synced.stdout + synced.stderr]
    logout = companion(data_dir, "sync", "logout")
    seen["logout"] = logout.returncode
    seen["after_logout"] = keyring.get_credential("companion-sync", None)
    again = companion(data_dir, "sync")
    seen["sync_after_logout"] = [again.returncode, again.stdout + again.stderr]
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
