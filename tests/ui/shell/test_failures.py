"""How the window shows a failure: a CompanionError in its own words, with what a library said underneath
(a keyring's, the network's) kept under "Show Details…"; anything else as an unexpected problem."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from companion.app.workspace_keys import KeyringUnavailable
from companion.model.errors import CompanionError
from companion.sync.client import SyncError
from companion.ui.common.worker import Failure


def _shown(window) -> QMessageBox:
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    return boxes[0]


def test_a_library_detail_goes_under_the_details(window):
    error = SyncError(
        "Companion could not reach the sync server at http://x:1.", detail="[Errno 111] refused"
    )
    window.show_failure(Failure(error, "traceback"))
    box = _shown(window)
    assert box.text() == "Companion could not reach the sync server at http://x:1."
    assert box.detailedText() == "[Errno 111] refused"
    box.close()
    window.show_failure(Failure(KeyringUnavailable("The keyring is locked.", detail="Failed to unlock"), ""))
    box = _shown(window)
    assert (box.text(), box.detailedText()) == ("The keyring is locked.", "Failed to unlock")
    box.close()


def test_an_error_without_detail_is_shown_whole(window):
    window.show_failure(Failure(CompanionError("There is no client with the id x."), "traceback"))
    box = _shown(window)
    assert box.text() == "There is no client with the id x." and box.detailedText() == ""
    assert box.windowTitle() == "That did not work"
    box.close()
