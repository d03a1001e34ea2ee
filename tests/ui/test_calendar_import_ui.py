"""Meetings → Import meetings from a calendar, as a person does it: the file chosen, the window of days asked
for a calendar with a series, and a summary afterwards that names each skipped event and why."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from companion.ui.meetings.calendar_window_dialog import CalendarWindowDialog
from tests.ui.helpers import TIMEOUT, run_edit, wait_idle


def _calendar() -> bytes:
    """A daily series that began a week ago and never ends, and an event in a zone nobody knows."""
    began = (dt.date.today() - dt.timedelta(days=7)).strftime("%Y%m%d")
    return f"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Other//EN\r
BEGIN:VEVENT\r
UID:daily-check-in@other.example\r
DTSTART:{began}T120000Z\r
DTEND:{began}T121500Z\r
RRULE:FREQ=DAILY\r
SUMMARY:Daily check-in\r
ATTENDEE;CN=Per Lunde:mailto:per@halvorsen.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:lost-zone@other.example\r
DTSTART;TZID=Atlantis Standard Time:{began}T090000\r
SUMMARY:Weekly sync\r
ATTENDEE;CN=Per Lunde:mailto:per@halvorsen.example\r
END:VEVENT\r
END:VCALENDAR\r
""".encode()


def _seed(qtbot, window) -> str:
    def seed(ws):
        client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
        per = ws.create(kind="contact", values={"name": "Per Lunde"}).created_id
        values = {"contact_id": per, "client_id": client, "work_email": "per@halvorsen.example"}
        return ws.create(kind="position", values=values)

    return run_edit(qtbot, window, seed)


def _choose(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def _window_dialog(qtbot, window) -> CalendarWindowDialog:
    def asked() -> list[CalendarWindowDialog]:
        return [d for d in window.findChildren(CalendarWindowDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: bool(asked()), timeout=TIMEOUT)
    return asked()[0]


def test_a_series_asks_its_window_then_the_summary_names_what_was_skipped(
    qtbot, window, tmp_path, monkeypatch
):
    _seed(qtbot, window)
    path = tmp_path / "work.ics"
    path.write_bytes(_calendar())
    _choose(monkeypatch, path)
    window.meetings.import_ics_action.trigger()
    dialog = _window_dialog(qtbot, window)
    assert dialog.days.value() == 90, "the next 90 days unless the person says otherwise"
    assert "work.ics holds 1 recurring series" in dialog.explanation.text()
    dialog.days.setValue(3)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    meetings = sorted(window.worker.workspace.list(kind="meeting"), key=lambda m: str(m["starts_at"]))
    today = dt.date.today()
    assert [str(m["starts_at"])[:10] for m in meetings] == [
        (today + dt.timedelta(days=n)).isoformat() for n in range(3)
    ]
    report = window.meetings.last_import
    assert report.window == (today, today + dt.timedelta(days=2))
    boxes = [b for b in window.findChildren(QMessageBox) if b.objectName() == "calendar_imported_box"]
    qtbot.waitUntil(lambda: any(b.isVisible() for b in boxes), timeout=TIMEOUT)
    text = boxes[-1].text()
    assert "3 added, 0 updated." in text
    assert "1 recurring series" in text
    assert "Skipped from work.ics, and why:" in text
    assert (
        "“Weekly sync” (uid lost-zone@other.example): its time zone 'Atlantis Standard Time' is unknown"
        in text
    )
    # One undo step takes the three meetings and their checklists away.
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        window.undo_action.trigger()
    wait_idle(qtbot, window)
    assert window.worker.workspace.list(kind="meeting") == []


def test_cancelling_the_window_imports_nothing(qtbot, window, tmp_path, monkeypatch):
    _seed(qtbot, window)
    path = tmp_path / "work.ics"
    path.write_bytes(_calendar())
    _choose(monkeypatch, path)
    window.meetings.import_ics_action.trigger()
    dialog = _window_dialog(qtbot, window)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, window)
    assert window.worker.workspace.list(kind="meeting") == []
    assert window.meetings.last_import is None


def test_a_file_that_is_no_calendar_is_refused_naming_it(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "notes.ics"
    path.write_text("Shopping list\n")
    _choose(monkeypatch, path)
    with qtbot.waitSignal(window.edits.sig_failed, timeout=TIMEOUT) as failed:
        window.meetings.import_ics_action.trigger()
    wait_idle(qtbot, window)
    assert "notes.ics is not an iCalendar" in str(failed.args[0].error)
    assert window.worker.workspace.list(kind="meeting") == []
