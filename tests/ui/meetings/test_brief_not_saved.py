"""A brief the disk refuses is said in one line in a dialog, naming the file; nothing is claimed saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.helpers import TIMEOUT, answer_save, wait_idle
from tests.ui.meetings.test_meetings import _plan_in_dialog, _seed


def test_a_brief_into_a_folder_that_is_gone_says_so_and_writes_nothing(qtbot, window, tmp_path, monkeypatch):
    ids = _seed(qtbot, window)
    _plan_in_dialog(qtbot, window, ids)
    page = window.meetings.page
    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        staticmethod(lambda _parent, title, text, *_rest: warned.append((title, text))),
    )
    exported: list[str] = []
    page.sig_exported.connect(exported.append)
    target = tmp_path / "gone" / "brief.pdf"
    answer_save(monkeypatch, target, "PDF, A4 (*.pdf)")

    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)  # Brief as PDF…
    qtbot.waitUntil(lambda: bool(warned), timeout=TIMEOUT)
    wait_idle(qtbot, window)

    assert warned == [
        (
            "Not saved",
            f"Cannot write {target}: the folder {target.parent} does not exist. Nothing was written.",
        )
    ]
    assert exported == []
    assert not target.parent.exists()
    assert str(target) not in window.statusBar().currentMessage()
