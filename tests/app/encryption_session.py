"""Run inside a D-Bus session with gnome-keyring (see tests/secret_service.py): uses or probes an
encrypted workspace and prints what it saw as JSON for test_encryption_keyring.py.

    python tests/app/encryption_session.py unlocked|locked DATA_DIR MARKER
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path


def companion(data_dir: Path, *args: str) -> list:
    done = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return [done.returncode, done.stdout + done.stderr]


def main() -> None:
    import keyring

    from companion.store import cipher

    mode, data_dir, marker = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    workspace = data_dir / "workspace.sqlite"
    seen: dict[str, object] = {"backend": type(keyring.get_keyring()).__module__}
    if mode == "unlocked":
        seen["added"] = companion(data_dir, "add", "client", f"name={marker} Offshore")
        seen["encrypted"] = cipher.is_encrypted(workspace)
        salt = cipher.file_salt(workspace)
        key = keyring.get_password("companion-workspace", salt)
        seen["key_in_keyring"] = key is not None
        seen["key"] = key  # a throwaway test key: the test checks no file holds it
        seen["listed"] = companion(data_dir, "list", "client")
        seen["backup"] = companion(data_dir, "backup", "--out", str(data_dir.parent / "copy.companion"))
        seen["restore"] = companion(data_dir, "restore", str(data_dir.parent / "copy.companion"))
        seen["listed_after_restore"] = companion(data_dir, "list", "client")
    else:
        before = hashlib.sha256(workspace.read_bytes()).hexdigest()
        seen["listed"] = companion(data_dir, "list", "client")
        seen["untouched"] = hashlib.sha256(workspace.read_bytes()).hexdigest() == before
        fresh = data_dir.parent / "fresh"
        seen["new_workspace"] = companion(fresh, "add", "client", f"name={marker} Fresh")
        seen["fresh_files"] = sorted(p.name for p in fresh.iterdir()) if fresh.exists() else []
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
