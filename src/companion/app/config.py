"""Where things live on disk: the data folder (platformdirs, --data-dir or COMPANION_DATA_DIR)."""

from __future__ import annotations

import os
from pathlib import Path

from companion.model.resources import resources_dir

__all__ = ["APP_NAME", "data_dir", "resources_dir", "workspace_path"]

APP_NAME = "Companion"
WORKSPACE_FILE = "workspace.sqlite"
DATA_DIR_ENV = "COMPANION_DATA_DIR"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder holding the workspace: the command line's choice, then the environment's, then the OS's."""
    if override:
        return Path(override).expanduser()
    if env := os.environ.get(DATA_DIR_ENV):
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def workspace_path(folder: Path) -> Path:
    return folder / WORKSPACE_FILE
