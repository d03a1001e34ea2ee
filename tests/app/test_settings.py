"""Managed settings: an admin's site file sets defaults and locks; the user's choices sit in between."""

from __future__ import annotations

import json

import pytest

from companion.app import settings
from companion.app.settings import BadSetting, LockedSetting

SITE = """\
# Prepared by IT for the North team
[defaults]
"sync.interval_minutes" = 10
"ui.default_role" = "new_staff"

[locked]
"sync.server_url" = "https://sync.example.com"

[locked.exports]
allowed = false
"""


def _site(tmp_path, text: str = SITE):
    path = tmp_path / "etc" / "config.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_precedence_locked_then_user_then_site_then_built_in(tmp_path):
    loaded = settings.load(tmp_path / "data", site_path=_site(tmp_path))
    assert loaded.problems == []
    assert loaded.value("sync.server_url") == "https://sync.example.com"
    assert loaded.value("exports.allowed") is False
    assert loaded.value("sync.interval_minutes") == 10
    assert loaded.value("ui.default_role") == "new_staff"
    loaded.set("sync.interval_minutes", 15)
    loaded.set("ui.default_role", "admin")
    again = settings.load(tmp_path / "data", site_path=_site(tmp_path))
    assert (again.value("sync.interval_minutes"), again.source("sync.interval_minutes")) == (15, "user")
    assert again.source("sync.server_url") == "locked" and again.source("exports.allowed") == "locked"


def test_a_locked_key_cannot_be_overridden_by_the_user(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    # Even written into the user's file by hand, a locked key keeps the administrator's value.
    (data / settings.USER_FILE).write_text(json.dumps({"exports.allowed": True}), encoding="utf-8")
    loaded = settings.load(data, site_path=_site(tmp_path))
    assert loaded.value("exports.allowed") is False
    assert "administrator" in loaded.lock_reason("exports.allowed")
    with pytest.raises(
        LockedSetting, match=r"Exports allowed \(exports.allowed\): Set by your administrator"
    ):
        loaded.set("exports.allowed", True)
    assert loaded.lock_reason("sync.interval_minutes") is None


def test_a_malformed_site_file_is_reported_with_file_and_line_and_fails_closed(tmp_path):
    broken = _site(tmp_path, '[locked]\n"sync.server_url" = "https://sync.example.com\n')
    data = tmp_path / "data"
    data.mkdir()
    (data / settings.USER_FILE).write_text(json.dumps({"sync.interval_minutes": 30}), encoding="utf-8")
    loaded = settings.load(data, site_path=broken)
    (problem,) = loaded.problems
    assert problem.startswith(f"{broken}:2: ")
    # The lock it meant cannot be read: sync is off until it is fixed; the person's own choices apply.
    assert loaded.value("sync.server_url") == "" and "cannot be read" in loaded.lock_reason("sync.server_url")
    assert loaded.value("sync.interval_minutes") == 30


def test_wrong_values_and_unknown_keys_are_named_with_their_line(tmp_path):
    site = _site(
        tmp_path,
        '[defaults]\n"sync.interval_minutes" = "often"\n"sync.colour" = 1\n[locked]\n"ui.default_role" = "boss"\n',
    )
    loaded = settings.load(tmp_path / "data", site_path=site)
    assert [p.split(": ", 1)[0] for p in loaded.problems] == [f"{site}:2", f"{site}:3", f"{site}:5"]
    assert "takes a whole number" in loaded.problems[0] and "no setting 'sync.colour'" in loaded.problems[1]
    assert loaded.value("sync.interval_minutes") == 5 and loaded.value("ui.default_role") == "account_manager"
    with pytest.raises(BadSetting, match="at least 1"):
        loaded.set("sync.interval_minutes", 0)
    with pytest.raises(BadSetting, match="There is no setting"):
        loaded.value("nope")


def test_no_site_file_means_built_in_defaults(tmp_path):
    loaded = settings.load(None, site_path=tmp_path / "missing.toml")
    assert loaded.problems == [] and loaded.value("sync.interval_minutes") == 5


def test_the_command_line_lists_sources_and_refuses_a_locked_key(tmp_path):
    from tests.cli.test_cli import _env, run

    env = _env(COMPANION_SITE_CONFIG=str(_site(tmp_path)))
    listed = run(tmp_path / "data", "settings", env=env)
    assert listed.returncode == 0, listed.stderr
    lines = {line.split(" = ")[0]: line for line in listed.stdout.splitlines()}
    assert lines["exports.allowed"].endswith("locked by your administrator")
    assert lines["sync.interval_minutes"].endswith("site default") and "10" in lines["sync.interval_minutes"]
    refused = run(tmp_path / "data", "settings", "set", "exports.allowed", "true", env=env)
    assert refused.returncode == 1 and "Set by your administrator" in refused.stderr
    changed = run(tmp_path / "data", "settings", "set", "sync.interval_minutes", "20", env=env)
    assert changed.stdout.strip() == "sync.interval_minutes = 20 (user)"
    bad = run(tmp_path / "data", "settings", "set", "sync.interval_minutes", "often", env=env)
    assert bad.returncode == 2 and "takes a whole number" in bad.stderr


def test_a_locked_sync_server_is_the_only_one_a_laptop_logs_in_to(tmp_path):
    from tests.cli.test_cli import _env, run

    loaded = settings.load(tmp_path / "data", site_path=_site(tmp_path))
    assert settings.sync_server(loaded, None) == "https://sync.example.com"
    assert settings.sync_server(loaded, "https://sync.example.com/") == "https://sync.example.com/"
    with pytest.raises(LockedSetting, match=r"syncs only with https://sync\.example\.com"):
        settings.sync_server(loaded, "https://elsewhere.example")
    env = _env(COMPANION_SITE_CONFIG=str(_site(tmp_path)))
    refused = run(
        tmp_path / "data",
        "sync",
        "login",
        "--server",
        "https://elsewhere.example",
        "--team",
        "North",
        env=env,
    )
    assert refused.returncode == 1 and "syncs only with https://sync.example.com" in refused.stderr


def test_exports_turned_off_by_the_admin_are_refused_and_nothing_is_written(tmp_path):
    from tests.cli.test_cli import _env, run

    site = _site(tmp_path)  # locks exports.allowed = false
    env = _env(COMPANION_SITE_CONFIG=str(site))
    data = tmp_path / "data"
    assert run(data, "demo", env=env).returncode == 0
    out = tmp_path / "bundle.json"
    refused = run(data, "export", "--out", str(out), env=env)
    assert refused.returncode == 1 and "Exports are turned off on this laptop" in refused.stderr
    assert not out.exists()
    client = run(data, "list", "client", "--json", env=env)
    assert client.returncode == 0
    allowed = _env(COMPANION_SITE_CONFIG=str(tmp_path / "none.toml"))
    assert run(data, "export", "--out", str(out), env=allowed).returncode == 0 and out.exists()
