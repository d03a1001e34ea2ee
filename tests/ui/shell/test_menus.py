"""Menu entries that ask for a file, triggered as a person would (the file dialog answered): the entry
reaches its feature with no stray argument, and the work is done."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from companion.store import cipher
from companion.ui.preferences.folders import documents_dir
from tests.ui.helpers import TIMEOUT, run_edit, wait_idle

EVENT = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Other//EN
BEGIN:VEVENT
UID:menu-test-1@other.example
DTSTART:20311217T130000Z
DTEND:20311217T140000Z
SUMMARY:Budget walk-through
ATTENDEE;CN=Stranger:mailto:who@unknown.example
END:VEVENT
END:VCALENDAR
"""


def _menu_entry(window, menu: str, name: str):
    found = [a for a in window.menus[menu].actions() if a.objectName() == name]
    assert found, f"{name} is in {menu}"
    return found[0]


def test_edit_back_up_workspace_writes_the_file_chosen(qtbot, window, tmp_path, monkeypatch):
    run_edit(qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Menu Backup AS"}))
    out = tmp_path / "monday.companion"
    asked: list[tuple] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: asked.append(a) or (str(out), ""))
    )
    _menu_entry(window, "&Edit", "backup").trigger()
    qtbot.waitUntil(lambda: "Backed up" in window.statusBar().currentMessage(), timeout=TIMEOUT)
    assert out.exists() and cipher.is_encrypted(out)
    # The dialog starts in the Documents folder, with a dated name.
    suggested = Path(asked[0][2])
    assert suggested.parent == documents_dir()
    assert suggested.name.startswith("companion-") and suggested.suffix == ".companion"


def test_meetings_import_from_a_calendar_reads_the_file_chosen(qtbot, window, tmp_path, monkeypatch):
    client = run_edit(
        qtbot, window, lambda ws: ws.create(kind="client", values={"name": "Calendar Menu AS"})
    ).created_id
    window.open_client(client)  # events whose attendees nobody knows go to the client on screen
    invite = tmp_path / "invite.ics"
    invite.write_bytes(EVENT)
    asked: list[tuple] = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: asked.append(a) or (str(invite), ""))
    )
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        _menu_entry(window, "&Meetings", "import_ics").trigger()
    wait_idle(qtbot, window)
    assert asked[0][2] == str(documents_dir()), "the dialog starts in the Documents folder"
    meetings = window.worker.workspace.list(kind="meeting", where={"client_id": client})
    assert [m["title"] for m in meetings] == ["Budget walk-through"]
    assert window.meetings.last_import.created == ("Budget walk-through",)
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert boxes and "1 added, 0 updated." in boxes[-1].text()
    # One undo step, named after what it did.
    assert window.undo_action.text() == "Undo import meetings"


def test_a_cancelled_file_dialog_does_nothing(qtbot, window, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    _menu_entry(window, "&Edit", "backup").trigger()
    _menu_entry(window, "&Meetings", "import_ics").trigger()
    wait_idle(qtbot, window)
    assert window.worker.workspace.list(kind="meeting") == []
    assert not [box for box in window.findChildren(QMessageBox) if box.isVisible()]
