"""The start-up probe: `companion gui --quit-after-ready` exits 0 once the window is ready."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _probe(data_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "gui", "--quit-after-ready"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_gui_quits_after_ready(tmp_path):
    result = _probe(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "workspace.sqlite").exists()


def test_gui_refuses_a_foreign_file_with_a_message(tmp_path):
    (tmp_path / "workspace.sqlite").write_text("not a database")
    result = _probe(tmp_path)
    assert result.returncode == 1
    assert "not a Companion workspace" in result.stderr


def test_the_modules_imported_before_qt_do_not_bring_qt_in():
    # Imported ahead of PySide6 so its import hook never reads their source: one that pulled Qt in
    # would undo that for everything after it.
    script = (
        "import importlib, sys\n"
        "from companion.cli.gui import BEFORE_QT\n"
        "for name in BEFORE_QT:\n"
        "    importlib.import_module(name)\n"
        "    assert not any(m.startswith('PySide6') for m in sys.modules), name\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("encrypted", [True, False])
def test_an_encrypted_workspace_has_the_keyring_loaded_before_qt(tmp_path, encrypted):
    # Its key comes from the keyring: 60-odd modules, whose source PySide's hook would read after Qt.
    workspace = tmp_path / "workspace.sqlite"
    workspace.write_bytes(os.urandom(4096) if encrypted else b"SQLite format 3\x00" + bytes(4080))
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from companion.cli.gui import load_before_qt\n"
        "load_before_qt(Path(sys.argv[1]))\n"
        "print(' '.join(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(workspace)], capture_output=True, text=True, timeout=60
    )
    loaded = result.stdout.split()
    assert result.returncode == 0, result.stderr
    assert not any(name.startswith("PySide6") for name in loaded)
    # Loaded ahead where its key comes from the Secret Service: Linux's keyring.
    assert ("keyring.backends.SecretService" in loaded) is (encrypted and sys.platform.startswith("linux"))


def test_start_up_leaves_out_what_only_rare_paths_need(tmp_path):
    # Every module start-up imports after PySide6 has its source read by PySide's import hook: the damaged-
    # workspace dialog and the update dialog's HTML escaping load when they are needed, not before.
    assert _probe(tmp_path).returncode == 0  # a workspace that opens
    script = (
        "import os, sys\n"
        "from companion.cli import main\n"
        "def report(code):\n"
        "    print(' '.join(sys.modules)); sys.stdout.flush(); os._exit(code)\n"
        "os._exit = report\n"
        f"sys.argv = ['companion', '--data-dir', {str(tmp_path)!r}, 'gui', '--quit-after-ready']\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    loaded = set(result.stdout.split())
    assert "companion.ui.shell.main_window" in loaded, result.stderr
    assert not loaded & {"html", "companion.ui.shell.damaged_workspace"}
