"""Reader mode in the real window: contents, search, progress, sign-off, what changed, who is cleared."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt

from companion.core.changes import Edit
from tests.core.test_pack import PERSONALITY, PRIVATE, SAFE, seed_pack_client
from tests.ui.helpers import TIMEOUT, run_edit, wait_idle


def _open(qtbot, window):
    client = seed_pack_client(window.worker.workspace)
    run_edit(qtbot, window, lambda ws: ws.create(kind="colleague", values={"name": "Nina New"}))
    window.clients.reload()
    wait_idle(qtbot, window)
    window.open_pack(client)
    reader = window.induction.reader
    qtbot.waitUntil(lambda: reader.view is not None and reader.contents.count() == 10, timeout=TIMEOUT)
    return client, reader


def test_walk_the_reader(qtbot, window, tmp_path):
    client, reader = _open(qtbot, window)
    assert window.stack.currentWidget() is reader
    assert reader.version.text().startswith("Version 1")
    assert PRIVATE not in reader.text.toPlainText() and SAFE in reader.text.toPlainText()

    # Search within the pack.
    reader.search.setText("Ågotnes")
    assert reader.find_next()
    reader.search.setText("no such words here")
    assert not reader.find_next()
    assert reader.search_state.text() == "Not in this pack"

    # The contents jump to a section.
    reader.contents.setCurrentRow(4)
    assert reader.text.verticalScrollBar().value() == min(
        int(reader._sections[4][1]), reader.text.verticalScrollBar().maximum()
    )

    # Signing needs a reader and every section read to its end, each in view long enough to read it.
    assert not reader.sign_button.isEnabled()
    now = [1000.0]
    reader.clock = lambda: now[0]
    bar = reader.text.verticalScrollBar()
    bar.setValue(0)
    for value in range(0, bar.maximum() + bar.pageStep(), bar.pageStep()):
        bar.setValue(value)
        assert reader.progress.value() < 10, "scrolled past, not read"
    for value in range(0, bar.maximum() + bar.pageStep(), bar.pageStep()):
        bar.setValue(value)
        now[0] += 120  # two minutes on each screenful
    qtbot.waitUntil(lambda: reader.progress.value() == reader.progress.maximum() == 10, timeout=TIMEOUT)
    assert reader.contents.item(0).text().startswith("✓ ")
    assert not reader.sign_button.isEnabled(), "who is reading is not chosen yet"
    reader.reader.setCurrentIndex(reader.reader.findText("Nina New"))
    reader.reader.activated.emit(reader.reader.currentIndex())
    qtbot.waitUntil(lambda: reader.sign_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(reader.sign_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: reader.sign_button.text() == "Signed off", timeout=TIMEOUT)
    statuses = {
        reader.readers.topLevelItem(i).text(0): reader.readers.topLevelItem(i).text(1)
        for i in range(reader.readers.topLevelItemCount())
    }
    assert statuses == {"Nina New": "Cleared"}
    assert "Nothing has changed since you signed version 1" in reader.changes.toPlainText()

    # A material change: a new don't. The pack moves to version 2 and Nina must re-read.
    run_edit(
        qtbot,
        window,
        lambda ws: ws.apply(
            edits=[
                Edit(
                    "create",
                    "guideline",
                    None,
                    {"client_id": client, "polarity": "dont", "text": "Never be late", "scope": "client"},
                )
            ]
        ),
    )
    qtbot.waitUntil(lambda: reader.version.text().startswith("Version 2, a material change"), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: reader.readers.topLevelItem(0).text(1) == "Must re-read", timeout=TIMEOUT)
    changed = reader.changes.toPlainText()
    assert (
        "Do's and don'ts (changed)" in changed
        and "material: re-read" in changed
        and "Never be late" in changed
    )

    # The author's choice: candid assessments in or out.
    assert PERSONALITY not in reader.text.toPlainText()
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(reader.candid, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: PERSONALITY in reader.text.toPlainText(), timeout=TIMEOUT)

    # Exports from the reader.
    with qtbot.waitSignal(reader.sig_exported, timeout=TIMEOUT):
        reader.export("pdf", str(tmp_path / "pack.pdf"))
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "pack.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert PERSONALITY in text and PRIVATE not in text
    with qtbot.waitSignal(reader.sig_exported, timeout=TIMEOUT):
        reader.export("html", str(tmp_path / "pack.html"))
    html = (tmp_path / "pack.html").read_text(encoding="utf-8")
    assert SAFE in html and PRIVATE not in html


def test_new_staff_start_in_the_reader(qtbot, window):
    from companion.ui.shell.application import _start_page

    client = seed_pack_client(window.worker.workspace)
    window.clients.reload()
    qtbot.waitUntil(lambda: bool(window.clients.rows), timeout=TIMEOUT)
    _start_page(window, "new_staff")
    assert window.stack.currentWidget() is window.induction.reader
    qtbot.waitUntil(lambda: window.induction.reader.view is not None, timeout=TIMEOUT)
    assert window.induction.reader.client_id == client


def test_a_new_hire_adds_themselves_as_a_reader_and_no_hash_is_shown(qtbot, window, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QInputDialog

    _client, reader = _open(qtbot, window)
    assert reader.view.state.pack.content_hash not in reader.version.text()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Noor Hansen", True)))
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        qtbot.mouseClick(reader.add_me_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    noor = next(c for c in window.worker.workspace.list(kind="colleague") if c["name"] == "Noor Hansen")
    assert reader.me() == noor.id
    qtbot.waitUntil(lambda: reader.reader.currentText() == "Noor Hansen", timeout=TIMEOUT)
