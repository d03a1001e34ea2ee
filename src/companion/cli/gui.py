"""The desktop app from the command line: `gui` (the default when no command is given) and --self-test."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import NoReturn

# Modules the window's start-up needs that do not use Qt. PySide6's import hook reads the source of
# every module imported after PySide6 (to learn whether it uses PySide's __feature__ switches);
# imported before it, these are never read: ~20 ms of a 0.3 s start.
BEFORE_QT = (
    "companion.app.settings",
    "companion.app.opener",
    "companion.app.updates",
    "companion.app.workspace_files",
    "companion.app.workspace_keys",
    "companion.core.attention",
    "companion.core.changes",
    "companion.model.labels",
    "companion.model.text",
    "companion.store.integrity",
    "companion.store.snapshot",
    "platformdirs",  # the site config's folder (companion.app.settings), asked while the window is made
)


def add_parsers(sub) -> None:
    p = sub.add_parser("gui", help="open the desktop app (the default)")
    p.add_argument(
        "--quit-after-ready", action="store_true", help="exit once the window is ready (start-up probe)"
    )
    p.set_defaults(handler=cmd_gui)


def cmd_gui(args) -> NoReturn:
    if args.command is None:
        args.quit_after_ready = False
    from companion.app.config import data_dir, workspace_path

    folder = data_dir(args.data_dir)
    load_before_qt(workspace_path(folder))
    from companion.ui.shell.application import run

    code = run(data_dir=folder, workspace_file=workspace_path(folder), quit_after_ready=args.quit_after_ready)
    # The workspace is closed and the window's settings written: what is left is tearing down Qt and
    # every object the interpreter holds, ~25 ms of freeing memory the system takes back anyway.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def load_before_qt(workspace_file: Path) -> None:
    """Imports what start-up needs besides Qt, ahead of it: the keyring's modules too for an encrypted file."""
    for name in BEFORE_QT:
        importlib.import_module(name)
    from companion.app.os_keyring import load_ahead

    load_ahead(workspace_file)


def self_test() -> int:
    from companion.ui.shell.self_test import run

    return run()
