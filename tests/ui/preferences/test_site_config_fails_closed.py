"""The real window with an administrator's site config that cannot be read, and a damaged settings file of
the person's: both said in a band across the window, exports refused, the held settings read-only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDockWidget, QFileDialog

from companion.app import settings
from companion.ui.common.worker import DbWorker
from companion.ui.shell.main_window import MainWindow
from tests.ui.helpers import SHOTS, TIMEOUT, wait_idle

# One typo, on the line after the administrator's lock of exports: before, it dropped every lock.
SITE = '[locked]\n"exports.allowed" = false\n"updates.check" = flase\n'


@pytest.fixture
def broken_window(qtbot, workspace, tmp_path, monkeypatch):
    site = tmp_path / "etc" / "config.toml"
    site.parent.mkdir()
    site.write_text(SITE, encoding="utf-8")
    monkeypatch.setenv(settings.SITE_CONFIG_ENV, str(site))
    (tmp_path / settings.USER_FILE).write_text('{"ui.theme": "dark",', encoding="utf-8")  # cut short
    worker = DbWorker(workspace)
    win = MainWindow(worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.sig_ready, timeout=TIMEOUT):
        win.show()
    qtbot.waitUntil(lambda: win.settled, timeout=TIMEOUT)
    yield win, site
    win.close()
    worker.stop()


def test_the_window_says_the_site_config_cannot_be_read_and_refuses_exports(
    qtbot, broken_window, monkeypatch
):
    window, site = broken_window
    band = window.preferences.notice
    assert band.isVisible()
    said = band.widget().text()
    assert f"The site config {site} cannot be read (line 3, column 19: Invalid value)" in said
    assert "Companion keeps sync off, encryption required and update checks off." in said
    (aside,) = window.data_dir.glob("settings.json.damaged-*")
    assert f"set aside as {aside}" in said
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "site-config-cannot-be-read.png"))

    # File → Export contacts is gone, and asked for anyway (its shortcut) it is refused before any dialog.
    assert not window.people.export_action.isVisible()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("no file may be chosen"))
    window.people.export_action.trigger()
    assert "turned file exports off" in window.statusBar().currentMessage()
    assert not window.preferences.updates_action.isVisible()

    dialog = window.preferences.show_settings()
    assert dialog.notice.isVisible() and f"The site config {site} cannot be read" in dialog.notice.text()
    for key in ("sync.server_url", "workspace.require_encryption", "updates.check"):
        editor = dialog.editors[key]
        assert not editor.isEnabled() and "cannot be read" in editor.toolTip(), key
    assert not dialog.editors["exports.allowed"].isEnabled(), "the administrator's lock, read on its own"
    assert dialog.editors["ui.theme"].isEnabled()
    dialog.reject()
    wait_idle(qtbot, window)


def test_no_band_is_made_when_the_settings_say_nothing(window):
    # Nearly every start has nothing to say: the band (a dock across the window) is not even made.
    assert window.preferences.notice is None
    assert not window.findChildren(QDockWidget)
