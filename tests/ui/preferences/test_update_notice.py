"""The window tells about a newer signed release once settled (when turned on), Help → Check for updates
shows where it is, and an admin's lock takes checks away."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from companion.ui.common.worker import DbWorker
from companion.ui.shell.main_window import MainWindow
from tests import releases
from tests.ui.helpers import SHOTS, TIMEOUT


@pytest.fixture
def open_window(qtbot, workspace, tmp_path):
    """The window, opened once the test has written the site config (the check runs as it settles)."""
    opened = []

    def open_() -> MainWindow:
        worker = DbWorker(workspace)
        win = MainWindow(worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(win)
        with qtbot.waitSignal(win.sig_ready, timeout=TIMEOUT):
            win.show()
        qtbot.waitUntil(lambda: win.settled, timeout=TIMEOUT)
        opened.append((win, worker))
        return win

    yield open_
    for win, worker in opened:
        win.close()
        worker.stop()


def _site(tmp_path, monkeypatch, text: str) -> Path:
    folder, secret = releases.team_site(tmp_path)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(folder / "config.toml"))
    return secret


def test_a_newer_signed_release_shows_in_the_status_bar_and_its_details(
    qtbot, open_window, tmp_path, monkeypatch
):
    feed = tmp_path / "share" / "companion"
    secret = _site(
        tmp_path, monkeypatch, f'[defaults]\n"updates.check" = true\n"updates.feed_url" = "{feed}"\n'
    )
    releases.publish(feed, "9.1.0", secret)
    win = open_window()
    notice = win.preferences.update_notice
    qtbot.waitUntil(notice.isVisible, timeout=TIMEOUT)
    assert notice.text() == "Companion 9.1.0 is available"
    dialog = notice.show_details()
    assert dialog.headline.text() == "Companion 9.1.0 is available"
    assert "companion_9.1.0_amd64.deb" in dialog.details.text()
    sums = (feed / "SHA256SUMS").read_text()
    deb_sum = next(line.split()[0] for line in sums.splitlines() if line.endswith(".deb"))
    assert deb_sum in dialog.details.text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == f"{deb_sum}  companion_9.1.0_amd64.deb"
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "update-available-light.png"))
    win.statusBar().grab().save(str(SHOTS / "update-notice-light.png"))
    dialog.close()


def test_checks_stay_off_unless_turned_on_and_a_manual_check_says_why_it_cannot(
    qtbot, open_window, tmp_path, monkeypatch
):
    feed = tmp_path / "share"
    secret = _site(tmp_path, monkeypatch, "")
    releases.publish(feed, "9.1.0", secret)
    win = open_window()
    assert not win.preferences.update_checker.running and not win.preferences.update_notice.isVisible()
    assert win.preferences.updates_action.isVisible()
    dialog = win.preferences.check_for_updates()
    qtbot.waitUntil(lambda: dialog.headline.text() == "Could not check for updates", timeout=TIMEOUT)
    assert "No release listing is set" in dialog.details.text()
    assert not dialog.open_button.isVisible()
    dialog.close()


def test_a_tampered_listing_is_reported_and_not_offered(qtbot, open_window, tmp_path, monkeypatch):
    feed = tmp_path / "share"
    secret = _site(tmp_path, monkeypatch, f'[defaults]\n"updates.feed_url" = "{feed}"\n')
    releases.publish(feed, "9.1.0", secret)
    sums = feed / "SHA256SUMS"
    sums.write_text(sums.read_text().replace("9.1.0", "9.2.0"))
    win = open_window()
    dialog = win.preferences.check_for_updates()
    qtbot.waitUntil(lambda: dialog.headline.text() == "Could not check for updates", timeout=TIMEOUT)
    assert "changed after key" in dialog.details.text()
    assert not win.preferences.update_notice.isVisible()
    dialog.close()


def test_an_admin_who_locks_checks_off_takes_the_menu_entry_away(qtbot, open_window, tmp_path, monkeypatch):
    feed = tmp_path / "share"
    secret = _site(
        tmp_path,
        monkeypatch,
        f'[defaults]\n"updates.feed_url" = "{feed}"\n[locked]\n"updates.check" = false\n',
    )
    releases.publish(feed, "9.1.0", secret)
    win = open_window()
    assert not win.preferences.updates_action.isVisible()
    assert not win.preferences.update_checker.running and not win.preferences.update_notice.isVisible()
    settings_dialog = win.preferences.show_settings()
    assert not settings_dialog.editors["updates.check"].isEnabled()
    settings_dialog.close()
