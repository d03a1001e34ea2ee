"""The start-up probe: `companion gui --quit-after-ready` exits 0 once the window is ready."""

from __future__ import annotations

import os
import subprocess
import sys


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
