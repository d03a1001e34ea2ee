"""A real Secret Service for tests: gnome-keyring in a D-Bus session of its own, with a fresh HOME.

    run_in_session(home, ["python", "script.py", …], unlocked=True)

Unlocked, the login keyring is made (or opened) with a known password, as a desktop login does; locked,
the daemon runs but nothing unlocks it and no prompt can be shown (no display).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

TEST_KEYRING_ENV = ("PYTHON_KEYRING_BACKEND", "COMPANION_TEST_KEYRING")


def require_tools() -> None:
    missing = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if shutil.which(tool) is None]
    if missing:
        # Not skipped: `make test` installs them (Debian: dbus-daemon gnome-keyring).
        pytest.fail(f"{', '.join(missing)} not installed: apt install dbus-daemon gnome-keyring")


def session_env(home: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a desktop user with this HOME, and without the tests' stand-in keyring."""
    env = {
        k: v
        for k, v in (base if base is not None else os.environ).items()
        if k
        not in (*TEST_KEYRING_ENV, "COMPANION_SYNC_TOKEN", "DBUS_SESSION_BUS_ADDRESS", "COMPANION_DATA_DIR")
    }
    (home / "run").mkdir(parents=True, exist_ok=True, mode=0o700)
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_RUNTIME_DIR=str(home / "run"))
    return env


def run_in_session(
    home: Path, command: list[str], *, unlocked: bool, env: dict[str, str] | None = None, timeout: int = 300
) -> subprocess.CompletedProcess:
    require_tools()
    # The password comes without a newline (see NOTES.md).
    start = (
        "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
        if unlocked
        else "gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1"
    )
    script = f"{start} && exec {shlex.join(command)}"
    return subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script],
        capture_output=True, text=True, env=session_env(home, env), timeout=timeout, check=False,
    )  # fmt: skip
