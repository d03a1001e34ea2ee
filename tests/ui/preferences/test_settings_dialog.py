"""Edit → Settings: an admin's locked values read-only with the reason; the user's choices saved."""

from __future__ import annotations

from pathlib import Path

from companion.app import settings
from tests.ui.helpers import SHOTS, wait_idle


def test_locked_values_are_read_only_with_the_reason_and_the_rest_saves(qtbot, window, tmp_path, monkeypatch):
    site = tmp_path / "config.toml"
    site.write_text(
        '[defaults]\n"sync.interval_minutes" = 10\n[locked]\n"sync.server_url" = "https://sync.example.com"\n'
        '"exports.allowed" = false\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(site))
    wait_idle(qtbot, window)
    dialog = window.preferences.show_settings()
    server = dialog.editors["sync.server_url"]
    assert not server.isEnabled() and server.text() == "https://sync.example.com"
    assert "administrator" in server.toolTip() and str(site) in server.toolTip()
    assert not dialog.editors["exports.allowed"].isEnabled()
    assert dialog.editors["sync.interval_minutes"].value() == 10
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "settings-light.png"))
    dialog.editors["sync.interval_minutes"].setValue(25)
    dialog.editors["ui.default_role"].setCurrentIndex(1)
    dialog.buttons.accepted.emit()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = settings.load(Path(window.settings.fileName()).parent)
    assert (saved.value("sync.interval_minutes"), saved.source("sync.interval_minutes")) == (25, "user")
    assert saved.value("ui.default_role") == "new_staff" and saved.value("exports.allowed") is False
    assert saved.source("sync.server_url") == "locked", "locked ones are never written as the user's"
