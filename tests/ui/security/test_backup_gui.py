"""Edit → Back up workspace: a consistent, encrypted copy taken while the window keeps working."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from companion.app import opener, workspace_files
from companion.store import cipher
from tests.ui.helpers import TIMEOUT, run_edit


def test_backing_up_from_the_window_makes_an_encrypted_copy_that_restores(qtbot, window, tmp_path):
    run_edit(
        qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Backed Up From The Window AS"})
    )
    out = tmp_path / "backups" / "monday.companion"
    out.parent.mkdir()
    window.security.back_up(str(out))
    qtbot.waitUntil(lambda: "Backed up" in window.statusBar().currentMessage(), timeout=TIMEOUT)
    assert cipher.is_encrypted(out)
    assert b"Backed Up From The Window" not in out.read_bytes()
    restored = tmp_path / "restored" / "workspace.sqlite"
    workspace_files.restore(restored, out)
    ws = opener.open_workspace(restored)
    assert [c["name"] for c in ws.list(kind="client")] == ["Backed Up From The Window AS"]
    ws.close()
    # A second backup to the same name is refused, and the window says why.
    window.security.back_up(str(out))

    def refusal() -> str:
        boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
        return boxes[-1].text() if boxes else ""

    qtbot.waitUntil(lambda: "exists already" in refusal(), timeout=TIMEOUT)
