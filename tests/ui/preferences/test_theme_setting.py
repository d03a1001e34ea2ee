"""Edit → Settings → Theme (System, Light, Dark): shown as soon as it is chosen, put back by Cancel, kept by
Save and applied at the next start. The action is triggered and the buttons clicked as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QStyledItemDelegate

from companion.app import settings
from companion.ui.common import theme
from companion.ui.preferences.settings_dialog import SettingsDialog
from companion.ui.shell.application import chosen_theme
from tests.ui.helpers import SHOTS, TIMEOUT, wait_idle


@pytest.fixture(autouse=True)
def light_again():
    yield
    theme.apply(QApplication.instance(), "light")


def _open_settings(qtbot, window) -> SettingsDialog:
    window.preferences.settings_action.trigger()
    dialogs = [d for d in window.findChildren(SettingsDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def _click(qtbot, dialog: SettingsDialog, which: QDialogButtonBox.StandardButton) -> None:
    button = dialog.buttons.button(which)
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _choose(dialog: SettingsDialog, label: str) -> None:
    combo = dialog.editors["ui.theme"]
    combo.setCurrentIndex(combo.findText(label))


def _shoot_with_choices(qtbot, dialog: SettingsDialog, name: str) -> None:
    """The dialog with the theme's choices open (the open list is a window of its own: drawn onto it)."""
    combo = dialog.editors["ui.theme"]
    combo.showPopup()
    popup = combo.view().window()
    qtbot.waitUntil(popup.isVisible, timeout=TIMEOUT)
    qtbot.wait(50)
    at_dialog, at_popup = dialog.mapToGlobal(QPoint(0, 0)), popup.mapToGlobal(QPoint(0, 0))
    whole = QRect(at_dialog, dialog.size()).united(QRect(at_popup, popup.size()))
    picture = QPixmap(whole.size())
    picture.fill(dialog.palette().window().color())
    painter = QPainter(picture)
    painter.drawPixmap(at_dialog - whole.topLeft(), dialog.grab())
    painter.drawPixmap(at_popup - whole.topLeft(), popup.grab())
    painter.end()
    SHOTS.mkdir(exist_ok=True)
    assert picture.save(str(SHOTS / name))
    combo.hidePopup()


def test_the_theme_shows_at_once_cancel_puts_it_back_and_save_keeps_it(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(tmp_path / "no-site.toml"))
    app = QApplication.instance()
    theme.apply(app, "light")
    wait_idle(qtbot, window)
    dialog = _open_settings(qtbot, window)
    combo = dialog.editors["ui.theme"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["System", "Light", "Dark"]
    assert combo.currentData() == "system"
    assert next(iter(dialog.editors)) == "ui.theme", "the theme comes first"
    # Its list is drawn by the style sheet (Qt's own delegate drew the chosen entry white on white).
    assert type(combo.itemDelegate()) is QStyledItemDelegate

    _choose(dialog, "Dark")
    assert theme.current_scheme() == "dark", "applied at once"
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert theme.current_scheme() == "light", "Cancel puts the theme of before back"
    data_dir = Path(window.settings.fileName()).parent
    assert settings.load(data_dir).source("ui.theme") == "built-in"

    dialog = _open_settings(qtbot, window)
    _choose(dialog, "Dark")
    _shoot_with_choices(qtbot, dialog, "settings-theme-dark.png")
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert theme.current_scheme() == "dark"
    assert settings.load(data_dir).value("ui.theme") == "dark"
    assert chosen_theme(data_dir) == "dark", "the next start applies it"

    dialog = _open_settings(qtbot, window)
    assert dialog.editors["ui.theme"].currentData() == "dark"
    _choose(dialog, "Light")
    _shoot_with_choices(qtbot, dialog, "settings-theme-light.png")
    _choose(dialog, "System")
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
    assert theme.manager().requested_scheme() == "auto"
    assert theme.current_scheme() == "light", "offscreen, the system says nothing: light"
    assert chosen_theme(data_dir) == "system"


def test_the_theme_an_admin_locks_is_read_only_and_applied(qtbot, window, tmp_path, monkeypatch):
    site = tmp_path / "config.toml"
    site.write_text('[locked]\n"ui.theme" = "dark"\n', encoding="utf-8")
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(site))
    wait_idle(qtbot, window)
    assert chosen_theme(Path(window.settings.fileName()).parent) == "dark"
    dialog = _open_settings(qtbot, window)
    assert not dialog.editors["ui.theme"].isEnabled()
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_theme_that_is_not_one_of_the_three_is_refused(tmp_path):
    loaded = settings.load(tmp_path, site_path=tmp_path / "none.toml")
    with pytest.raises(settings.BadSetting, match="system, light, dark"):
        loaded.set("ui.theme", "purple")
