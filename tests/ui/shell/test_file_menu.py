"""The File menu, first in the menu bar: About (the version, the data folder, the workspace) and Quit
(Ctrl+Q); and Help → Keyboard shortcuts. Triggered and clicked as a person would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QPainter
from PySide6.QtWidgets import QApplication, QMessageBox

from companion import __version__
from companion.ui.common import theme
from tests.ui.helpers import SHOTS, TIMEOUT, laptop_window, wait_idle


def _entry(window, menu: str, name: str):
    found = [a for a in window.menus[menu].actions() if a.objectName() == name]
    assert found, f"{name} is in {menu}"
    return found[0]


def _box(window, name: str | None = None) -> QMessageBox:
    boxes = [
        b
        for b in window.findChildren(QMessageBox)
        if b.isVisible() and (name is None or b.objectName() == name)
    ]
    assert len(boxes) == 1, [b.text() for b in boxes]
    return boxes[0]


def _button(box: QMessageBox, text: str):
    return next(b for b in box.buttons() if b.text().replace("&", "") == text)


def test_file_is_the_first_menu_with_about_and_quit(window):
    menus = [a.text() for a in window.menuBar().actions() if a.isVisible()]
    assert menus[0] == "&File"
    entries = [a.objectName() for a in window.menus["&File"].actions() if not a.isSeparator()]
    assert entries == ["import_contacts", "export_contacts", "about", "quit"]
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")


def test_about_tells_the_version_the_data_folder_and_the_workspace(qtbot, window, monkeypatch):
    _entry(window, "&File", "about").trigger()
    box = _box(window, "about_box")
    text = box.text()
    assert f"Companion {__version__}" in text
    assert str(window.data_dir) in text
    assert str(window.worker.workspace.path) in text
    assert "not connected" in text
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    qtbot.mouseClick(_button(box, "Open the data folder"), Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened] == [str(window.data_dir)]
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=TIMEOUT)
    _entry(window, "&File", "about").trigger()
    box = _box(window, "about_box")
    qtbot.mouseClick(_button(box, "Close"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=TIMEOUT)
    assert len(opened) == 1


def test_keyboard_shortcuts_lists_quit_and_closes(qtbot, window):
    _entry(window, "&Help", "shortcuts").trigger()
    box = _box(window)
    assert "Ctrl+Q" in box.text() and "Quit Companion" in box.text()
    qtbot.mouseClick(box.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=TIMEOUT)


def test_quit_closes_the_window_and_keeps_its_layout(qtbot, window):
    window.resize(1111, 700)
    assert window.isVisible()
    _entry(window, "&File", "quit").trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT)
    window.settings.sync()
    kept = QSettings(window.settings.fileName(), QSettings.Format.IniFormat)
    assert kept.value("window/geometry") is not None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_file_menu_and_about(qtbot, workspace, tmp_path, scheme):
    app = QApplication.instance()
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    worker = window.worker
    qtbot.waitUntil(lambda: window.settled, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    try:
        # The open menu is a window of its own: drawn onto the window's picture where it opens.
        menu = window.menus["&File"]
        bar = window.menuBar()
        at = bar.mapToGlobal(bar.actionGeometry(menu.menuAction()).bottomLeft())
        menu.popup(at)
        qtbot.waitUntil(menu.isVisible, timeout=TIMEOUT)
        menu.setActiveAction(window.about_action)
        qtbot.wait(50)
        picture = window.grab()
        painter = QPainter(picture)
        painter.drawPixmap(window.mapFromGlobal(menu.mapToGlobal(QPoint(0, 0))), menu.grab())
        painter.end()
        assert picture.save(str(SHOTS / f"file-menu-{scheme}.png"))
        menu.hide()
        box = window.show_about()
        qtbot.waitUntil(box.isVisible, timeout=TIMEOUT)
        qtbot.wait(50)
        assert box.grab().save(str(SHOTS / f"about-{scheme}.png"))
        box.close()
    finally:
        window.close()
        worker.stop()
        theme.apply(app, "light")
