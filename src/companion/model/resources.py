"""Where the app's bundled files are (templates, demo, icons, styles): beside the source tree or in a frozen build."""

from __future__ import annotations

import functools
import sys
from pathlib import Path


@functools.cache  # asked for each icon at start-up; resolving the path costs a system call per folder
def resources_dir() -> Path:
    """The app's resources: beside the source tree, or inside a frozen build."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"
