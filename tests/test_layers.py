"""What import-linter cannot say: render/ draws with QtGui, never with QtWidgets."""

from __future__ import annotations

import ast
from pathlib import Path

RENDER = Path(__file__).parents[1] / "src" / "companion" / "render"


def test_render_never_imports_qtwidgets():
    offenders = []
    for path in sorted(RENDER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names if name.startswith("PySide6.QtWidgets")]
    assert list(RENDER.glob("*.py")), "render/ has modules to check"
    assert offenders == []
