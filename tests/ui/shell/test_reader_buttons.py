"""Every button of the pack reader, clicked as a person clicks it (the save dialog answered): the pack is
saved as PDF and HTML where the person chose, starting in Documents; signing off and going back work."""

from __future__ import annotations

import subprocess
import unicodedata

from PySide6.QtWidgets import QInputDialog, QPushButton

from companion.ui.preferences.folders import documents_dir
from tests.core.test_pack import PRIVATE, SAFE
from tests.ui.helpers import TIMEOUT, answer_save, click, wait_idle
from tests.ui.induction.test_pack_reader import _open


def test_every_button_of_the_pack_reader_does_its_work(qtbot, window, tmp_path, monkeypatch):
    client, reader = _open(qtbot, window)
    name = reader.view.state.pack.client_name
    clicked: set[QPushButton] = set()

    # PDF…: A4 unless Letter is chosen; the dialog starts in Documents.
    pdf = tmp_path / "pack.pdf"
    asked = answer_save(monkeypatch, pdf, "PDF, Letter (*.pdf)")
    with qtbot.waitSignal(reader.sig_exported, timeout=TIMEOUT) as exported:
        click(qtbot, reader.pdf_button, clicked)
    assert exported.args == [str(pdf)]
    assert asked[0][2] == str(documents_dir() / f"{name} induction pack.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    assert SAFE in text and PRIVATE not in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts" in info
    qtbot.waitUntil(lambda: str(pdf) in window.statusBar().currentMessage(), timeout=TIMEOUT)

    # HTML…: one self-contained page.
    page = tmp_path / "pack.html"
    asked = answer_save(monkeypatch, page)
    with qtbot.waitSignal(reader.sig_exported, timeout=TIMEOUT):
        click(qtbot, reader.html_button, clicked)
    assert asked[0][2] == str(documents_dir() / f"{name} induction pack.html")
    html = page.read_text(encoding="utf-8")
    assert SAFE in html and PRIVATE not in html

    # Cancelled: nothing written.
    answer_save(monkeypatch, "")
    for button in (reader.pdf_button, reader.html_button):
        click(qtbot, button, clicked)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".html")) == [
        "pack.html",
        "pack.pdf",
    ]

    # I'm not listed…: a new hire adds themselves and becomes the reader.
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Noor Hansen", True)))
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        click(qtbot, reader.add_me_button, clicked)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: reader.reader.currentText() == "Noor Hansen", timeout=TIMEOUT)

    # I have read this version: once every section was in view long enough to read it.
    now = [1000.0]
    reader.clock = lambda: now[0]
    bar = reader.text.verticalScrollBar()
    bar.setValue(bar.maximum())
    bar.setValue(0)  # from the top, on the test's clock
    for value in range(bar.pageStep(), bar.maximum() + bar.pageStep(), bar.pageStep()):
        now[0] += 120  # two minutes on each screenful
        bar.setValue(value)
    now[0] += 120  # and on the last one, counted at the reader's next look
    qtbot.waitUntil(reader.sign_button.isEnabled, timeout=TIMEOUT)
    with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
        click(qtbot, reader.sign_button, clicked)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: reader.sign_button.text() == "Signed off", timeout=TIMEOUT)
    assert len(window.worker.workspace.list(kind="pack_signoff")) == 1

    # Client: back to the client's page.
    click(qtbot, reader.back_button, clicked)
    assert window.stack.currentWidget() is window.clients.page
    assert window.clients.page.client_id == client

    assert clicked == set(reader.findChildren(QPushButton)), sorted(
        b.text() for b in set(reader.findChildren(QPushButton)) - clicked
    )


def test_the_induction_pack_action_opens_the_reader_on_the_client_on_screen(qtbot, window):
    client, reader = _open(qtbot, window)
    window.open_client(client)
    window.induction.action.trigger()
    assert window.stack.currentWidget() is reader and reader.client_id == client
