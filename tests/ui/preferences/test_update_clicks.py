"""Help → Check for updates triggered, and the update notice and its dialog's buttons clicked as a person
would: the release's location opened, its checksum copied, the dialog closed."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from companion.ui.preferences.update_notice import UpdateDialog
from tests import releases
from tests.ui.helpers import TIMEOUT
from tests.ui.preferences.test_update_notice import _site, open_window  # noqa: F401 (the fixture)


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _shown(win) -> UpdateDialog:
    dialogs = [d for d in win.findChildren(UpdateDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_the_notice_and_every_button_of_the_update_dialog(qtbot, open_window, tmp_path, monkeypatch):  # noqa: F811
    feed = tmp_path / "share" / "companion"
    secret = _site(
        tmp_path, monkeypatch, f'[defaults]\n"updates.check" = true\n"updates.feed_url" = "{feed}"\n'
    )
    releases.publish(feed, "9.1.0", secret)
    win = open_window()
    notice = win.preferences.update_notice
    qtbot.waitUntil(notice.isVisible, timeout=TIMEOUT)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))

    # The status-bar notice, clicked: the details.
    _click(qtbot, notice)
    dialog = _shown(win)
    assert dialog.headline.text() == "Companion 9.1.0 is available"
    _click(qtbot, dialog.open_button)
    assert [url.toLocalFile() for url in opened] == [str(feed)]
    _click(qtbot, dialog.copy_button)
    assert QApplication.clipboard().text().endswith("  companion_9.1.0_amd64.deb")
    _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Close))
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)

    # Help → Check for updates…: the same answer, asked again.
    win.preferences.updates_action.trigger()
    dialog = _shown(win)
    qtbot.waitUntil(lambda: dialog.headline.text() == "Companion 9.1.0 is available", timeout=TIMEOUT)
    assert dialog.open_button.isVisible() and dialog.copy_button.isVisible()
    _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Close))
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert {b.text() for b in dialog.findChildren(QPushButton)} == {
        "Open the release location",
        "Copy checksum",
        "Close",
    }
