"""The window and a damaged workspace (issue 21): opening one says what is wrong in words and offers the latest
backup, recovering what can be read, or quitting; damage found while it is open (the watch's quick_check)
stops every write to the file. The damage is made by flipping bytes in copies of real workspaces."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from companion.app import workspace_files
from companion.core.service import Workspace
from companion.model.errors import DamagedWorkspace
from companion.store.cipher import WorkspaceKey
from companion.ui.common.worker import DbWorker
from companion.ui.shell import application
from companion.ui.shell.damaged_workspace import DamagedWorkspaceDialog
from companion.ui.shell.main_window import MainWindow
from tests.store.damage import copy_of, digest, flip, make_demo, pages_of, root_page
from tests.ui.helpers import TIMEOUT

KEY = WorkspaceKey(bytes(range(2, 34)))


@pytest.fixture(scope="module")
def plain_demo(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("plain") / "data", key=None)


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("encrypted") / "data", key=KEY)


def _when_shown(kind, then) -> None:
    """Runs `then(widget)` once a top-level widget of KIND is visible (a modal dialog's own loop runs)."""

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                then(widget)
                return
        QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)


@pytest.fixture
def told(monkeypatch) -> list[str]:
    """What the window tells in message boxes (a question answered Yes)."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _p, _t, text, *a: said.append(text)))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda _p, _t, text, *a: said.append(text)))

    def question(_parent, _title, text, *args):
        said.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return said


def _start(qtbot, monkeypatch, folder: Path, choose: str) -> tuple[int, dict]:
    """Runs the app's start on FOLDER: the damaged-workspace dialog answered with CHOOSE, the window (if
    it opens) closed once settled. (exit status, what the dialog showed)."""
    monkeypatch.setattr(application.theme, "apply", lambda *_a: None)
    (folder / "ui.ini").write_text("[General]\nfirst_run_done=true\n", encoding="utf-8")
    seen: dict = {}

    def answer(dialog: DamagedWorkspaceDialog) -> None:
        seen["words"] = dialog.explanation.text()
        seen["buttons"] = {
            b.text(): b.isEnabled()
            for b in (dialog.restore_button, dialog.recover_button, dialog.quit_button)
        }
        button = {"restore": dialog.restore_button, "recover": dialog.recover_button}.get(choose)
        qtbot.mouseClick(button or dialog.quit_button, Qt.MouseButton.LeftButton)

    def close_when_settled(window: MainWindow) -> None:
        if window.settled:
            seen["clients"] = len(window.clients.rows)
            QApplication.quit()
        else:
            QTimer.singleShot(20, lambda: close_when_settled(window))

    _when_shown(DamagedWorkspaceDialog, answer)
    _when_shown(MainWindow, close_when_settled)
    # Closing the window must not post a quit that would end the next test's dialog at once.
    QApplication.setQuitOnLastWindowClosed(False)
    try:
        code = application.run(data_dir=folder, workspace_file=folder / "workspace.sqlite")
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
                widget.deleteLater()
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
    return code, seen


def test_opening_a_damaged_workspace_says_so_and_restores_the_latest_backup(
    qtbot, monkeypatch, tmp_path, plain_demo, told
):
    path = copy_of(plain_demo, tmp_path / "data")
    backup = workspace_files.backup(path, tmp_path / "monday.companion").path
    flip(path, root_page(path, "contact", None))
    damaged = digest(path)

    code, seen = _start(qtbot, monkeypatch, path.parent, "restore")

    assert code == 0
    assert str(path) in seen["words"] and "is damaged" in seen["words"]
    assert "has not written to it" in seen["words"] and "monday.companion" in seen["words"]
    assert seen["buttons"] == {
        "Restore the latest backup": True,
        "Recover what can be read": True,
        "Quit": True,
    }
    assert seen["clients"] == 5  # the restored workspace opened in the window
    assert any(f"from {backup}" in text for text in told)
    kept = [p for p in path.parent.iterdir() if ".before-restore-" in p.name and p.suffix == ".bak"]
    assert len(kept) == 1 and digest(kept[0]) == damaged


def test_recover_from_the_dialog_saves_what_can_be_read_and_opens_it(
    qtbot, monkeypatch, tmp_path, encrypted_demo, told
):
    path = copy_of(encrypted_demo, tmp_path / "data")
    flip(path, root_page(path, "contact", KEY), start=200, length=300)
    damaged = digest(path)

    code, seen = _start(qtbot, monkeypatch, path.parent, "recover")

    assert code == 0
    assert "Companion knows of no backup" in seen["words"]
    assert seen["buttons"]["Restore the latest backup"] is False
    report = next(text for text in told if "Put the recovered workspace in place" in text)
    assert "contact: could not be read at all (it held 44 rows)" in report
    assert seen["clients"] == 5
    kept = [p for p in path.parent.iterdir() if ".before-restore-" in p.name and p.suffix == ".bak"]
    assert len(kept) == 1 and digest(kept[0]) == damaged


def test_quit_leaves_a_damaged_workspace_as_it_was(qtbot, monkeypatch, tmp_path, plain_demo, told):
    path = copy_of(plain_demo, tmp_path / "data")
    flip(path, 1, start=0, length=16)  # the header
    before = {p.name: digest(p) for p in path.parent.iterdir() if p.name != "ui.ini"}
    code, seen = _start(qtbot, monkeypatch, path.parent, "quit")
    assert code == 1
    assert "its header is damaged" in seen["words"]
    after = {p.name: digest(p) for p in path.parent.iterdir() if p.name not in ("ui.ini",)}
    assert {k: v for k, v in after.items() if not k.endswith(".damaged")} == before


def test_the_watch_finds_damage_in_an_open_window_and_no_more_is_written(
    qtbot, monkeypatch, tmp_path, plain_demo, told
):
    path = copy_of(plain_demo, tmp_path / "data")
    worker = DbWorker(Workspace.open(path))
    window = MainWindow(worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sig_ready, timeout=TIMEOUT):
        window.show()
    qtbot.waitUntil(lambda: window.settled, timeout=TIMEOUT)
    flip(path, *pages_of(path, "ix_outbox_record_id"))  # under the open window, where nothing reads
    before = digest(path)
    quit_asked: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quit_asked.append(True)))
    seen: dict = {}

    def quit_dialog(dialog: DamagedWorkspaceDialog) -> None:
        seen["words"] = dialog.explanation.text()
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)

    _when_shown(DamagedWorkspaceDialog, quit_dialog)
    with qtbot.waitSignal(window.integrity_watch.sig_damage_found, timeout=TIMEOUT) as found:
        window.integrity_watch.check_now()
    qtbot.waitUntil(lambda: bool(quit_asked), timeout=TIMEOUT)
    assert str(path) in str(found.args[0]) and "SQLite's check found" in str(found.args[0])
    assert "is damaged" in seen["words"]
    with pytest.raises(DamagedWorkspace, match="will not write"):
        worker.workspace.create(kind="client", values={"name": "Written into damage"})
    assert digest(path) == before
    window.close()
    worker.stop()
    with contextlib.suppress(Exception):
        worker.workspace.close()
