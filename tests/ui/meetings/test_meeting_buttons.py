"""Every button of the meeting page, clicked as a person clicks it (file dialogs and the question box
answered): each reaches its work with no stray argument, and the files it writes read back."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import icalendar
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from companion.ui.clients.quick_capture import QuickCaptureDialog
from companion.ui.preferences.folders import documents_dir
from tests.ui.helpers import TIMEOUT, answer_save, click, wait_idle
from tests.ui.meetings.test_meetings import _items, _plan_in_dialog, _seed


def _pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_every_button_of_the_meeting_page_does_its_work(qtbot, window, tmp_path, monkeypatch):
    ids = _seed(qtbot, window)
    meeting_id = _plan_in_dialog(qtbot, window, ids)
    page = window.meetings.page
    ws = window.worker.workspace
    clicked: set[QPushButton] = set()

    # Brief as PDF…: the file chosen is written, Letter when that filter is chosen.
    pdf = tmp_path / "out" / "brief.pdf"
    pdf.parent.mkdir()
    asked = answer_save(monkeypatch, pdf, "PDF, Letter (*.pdf)")
    with qtbot.waitSignal(page.sig_exported, timeout=TIMEOUT) as exported:
        click(qtbot, page.pdf_button, clicked)
    assert exported.args == [str(pdf)]
    assert asked and asked[0][2] == str(documents_dir() / "Quay walk with Ingrid.pdf"), "starts in Documents"
    text = _pdf_text(pdf)
    assert "Quay walk with Ingrid" in text and "Ingrid Dahl" in text and "Work clothes and S3" in text
    width_points = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts" in width_points, "the Letter filter gives a Letter page"
    qtbot.waitUntil(lambda: str(pdf) in window.statusBar().currentMessage(), timeout=TIMEOUT)

    # Add to calendar…: an .ics the icalendar parser reads.
    ics = tmp_path / "out" / "meeting.ics"
    asked = answer_save(monkeypatch, ics)
    with qtbot.waitSignal(page.sig_exported, timeout=TIMEOUT):
        click(qtbot, page.ics_button, clicked)
    assert asked[0][2] == str(documents_dir() / "Quay walk with Ingrid.ics")
    (event,) = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == "Quay walk with Ingrid"
    assert str(event["uid"]) == f"{meeting_id}@companion"
    assert "Ågotnes base" in str(event["location"])

    # A cancelled file dialog writes nothing and says nothing.
    answer_save(monkeypatch, "")
    for button in (page.pdf_button, page.ics_button):
        click(qtbot, button, clicked)
    wait_idle(qtbot, window)
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["brief.pdf", "meeting.ics"]

    # Add and Remove from this meeting.
    page.new_item.setText("Print the pilot outline")
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        click(qtbot, page.add_button, clicked)
    wait_idle(qtbot, window)
    qtbot.waitUntil(
        lambda: any(page.model.data(i) == "Print the pilot outline" for i in _items(page.model)),
        timeout=TIMEOUT,
    )
    own = next(i for i in _items(page.model) if page.model.data(i) == "Print the pilot outline")
    page.tree.setCurrentIndex(own)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        click(qtbot, page.remove_button, clicked)
    wait_idle(qtbot, window)
    qtbot.waitUntil(
        lambda: not any(page.model.data(i) == "Print the pilot outline" for i in _items(page.model)),
        timeout=TIMEOUT,
    )

    # Mark ready (every must ticked first), then Back to planned.
    for index in [i for i in _items(page.model) if page.model.item_at(i)["must"]]:
        with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
            page.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
        wait_idle(qtbot, window)
    qtbot.waitUntil(page.ready_button.isEnabled, timeout=TIMEOUT)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        click(qtbot, page.ready_button, clicked)
    wait_idle(qtbot, window)
    assert ws.get(kind="meeting", id=meeting_id)["status"] == "ready"
    qtbot.waitUntil(lambda: page.ready_button.text() == "Back to planned", timeout=TIMEOUT)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        click(qtbot, page.ready_button, clicked)
    wait_idle(qtbot, window)
    assert ws.get(kind="meeting", id=meeting_id)["status"] == "planned"
    qtbot.waitUntil(lambda: page.ready_button.text() == "Mark ready", timeout=TIMEOUT)

    # Log the meeting…: the quick capture, for this meeting.
    click(qtbot, page.log_button, clicked)
    dialogs = [d for d in window.findChildren(QuickCaptureDialog) if d.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].meeting_id == meeting_id
    dialogs[0].reject()

    # Client: back to the client's meetings.
    click(qtbot, page.back_button, clicked)
    assert window.stack.currentWidget() is window.clients.page
    assert window.clients.page.client_id == ids["client"]

    # Delete…: asks first; Cancel keeps it, Yes deletes it and goes home.
    window.open_meeting(meeting_id)
    qtbot.waitUntil(lambda: page.page is not None and page.page.meeting.id == meeting_id, timeout=TIMEOUT)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    asked_delete: list[str] = []

    def answer(_parent, _title, text, *args, **kwargs):
        asked_delete.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    click(qtbot, page.delete_button, clicked)
    wait_idle(qtbot, window)
    assert ws.get(kind="meeting", id=meeting_id) is not None
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        click(qtbot, page.delete_button, clicked)
    wait_idle(qtbot, window)
    assert "Quay walk with Ingrid" in asked_delete[0]
    assert ws.list(kind="meeting") == []
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home.page, timeout=TIMEOUT)

    # Every push button on the page was clicked above.
    assert clicked == set(page.findChildren(QPushButton)), sorted(
        b.text() for b in set(page.findChildren(QPushButton)) - clicked
    )
