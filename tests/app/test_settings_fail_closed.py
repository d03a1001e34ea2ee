"""Admin locks fail closed: a site config that cannot be read holds every lockable setting at its safe
value and says so; a damaged user settings file is set aside, never overwritten; no nesting depth makes
a traceback."""

from __future__ import annotations

import json
import os

import pytest

from companion.app import settings
from companion.app.settings import SETTINGS, LockedSetting, Setting
from tests.cli.test_cli import _env, run

DEEP_KEY = ".".join(["a"] * 5000)

# Each a site file an administrator could leave behind, beside a lock of exports.
BROKEN_SITES = {
    "a typo on another line": '[locked]\n"exports.allowed" = false\n"updates.check" = flase\n',
    "a misspelt key": '[locked]\n"exports.alowed" = false\n',
    "a misspelt table": '[lockd]\n"exports.allowed" = false\n',
    "a value of the wrong type beside a lock": '[locked]\n"exports.allowed" = "no"\n"sync.server_url" = 1\n',
    "a key 5,000 levels deep": f'[locked]\n"exports.allowed" = false\n{DEEP_KEY} = 1\n',
    "arrays 5,000 levels deep": '[locked]\n"exports.allowed" = false\nx = ' + "[" * 5000 + "]" * 5000,
    "a number 5,000 digits long": '[locked]\n"exports.allowed" = false\n"ui.lock_after_minutes" = '
    + "9" * 5000,
}


def _site(tmp_path, text: str | bytes):
    path = tmp_path / "etc" / "config.toml"
    path.parent.mkdir(exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _assert_held_safe(loaded: settings.Settings) -> None:
    """Exports off, encryption required, update checks off, no sync server, none of them changeable: held
    at the safe value, or locked by a line of the file that reads on its own."""
    assert loaded.value("exports.allowed") is False
    assert loaded.value("workspace.require_encryption") is True
    assert loaded.value("updates.check") is False
    assert loaded.value("sync.server_url") == ""
    for key in ("exports.allowed", "workspace.require_encryption", "updates.check", "sync.server_url"):
        with pytest.raises(LockedSetting):
            loaded.set(key, settings.BY_KEY[key].default)
    for key in ("workspace.require_encryption", "sync.server_url"):
        assert "cannot be read" in loaded.lock_reason(key) and "safest value" in loaded.lock_reason(key)
    (notice,) = loaded.notices()
    assert notice.startswith(f"the site config {loaded.site_path} cannot be read (")
    assert "until an administrator fixes it, Companion keeps sync off, " in notice
    assert notice.endswith("encryption required and update checks off.")


def test_every_setting_says_where_a_broken_site_file_leaves_it():
    for setting in SETTINGS:
        assert (
            setting.safe is settings.PERSONS_CHOICE
            or settings._checked(setting, setting.safe) == setting.safe
        )
    safe = {s.key: s.safe for s in SETTINGS if s.safe is not settings.PERSONS_CHOICE}
    assert safe["exports.allowed"] is False and safe["updates.check"] is False
    assert safe["workspace.require_encryption"] is True and safe["sync.server_url"] == ""
    with pytest.raises(TypeError, match="safe"):
        Setting("new.setting", "A new setting", True, bool)  # a new setting must choose


@pytest.mark.parametrize("case", sorted(BROKEN_SITES))
def test_a_site_file_that_cannot_be_read_holds_every_lock_at_its_safe_value(tmp_path, case):
    loaded = settings.load(tmp_path / "data", site_path=_site(tmp_path, BROKEN_SITES[case]))
    _assert_held_safe(loaded)
    assert loaded.problems and all(p.startswith(f"{loaded.site_path}:") for p in loaded.problems)


def test_bad_bytes_a_folder_or_a_pipe_in_the_site_files_place_fail_closed_too(tmp_path):
    bad_bytes = _site(tmp_path, b'[locked]\n"exports.allowed" = true\n"ui.theme" = "\xff"\n')
    loaded = settings.load(None, site_path=bad_bytes)
    _assert_held_safe(loaded)
    assert "(line 3: it is not UTF-8 text)" in loaded.notices()[0]
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    _assert_held_safe(settings.load(None, site_path=folder))
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)  # read whole, it would never end
    _assert_held_safe(loaded := settings.load(None, site_path=pipe))
    assert "it is not a regular file" in loaded.notices()[0]


def test_locks_that_read_beside_a_typo_are_honoured_and_doubtful_ones_are_not(tmp_path):
    site = _site(
        tmp_path,
        "[locked]\n"
        '"sync.server_url" = "https://sync.example.com"\n'
        '"ui.lock_after_minutes" = 5\n'
        '"updates.check" = tru\n'  # the typo
        '"ui.theme" = "dark"\n'
        '"ui.theme" = "light"\n'  # two values: which was meant cannot be told
        '"updates.feed_url" = """\n'
        '"exports.allowed" = true\n'  # inside a multi-line string: not a lock
        '"""\n'
        "[defaults\n"  # a header that does not read: what follows may be any table
        '"ui.default_role" = "admin"\n',
    )
    loaded = settings.load(None, site_path=site)
    assert loaded.value("sync.server_url") == "https://sync.example.com"
    assert loaded.lock_reason("sync.server_url").startswith("Set by your administrator")
    assert loaded.value("ui.lock_after_minutes") == 5 and loaded.source("ui.lock_after_minutes") == "locked"
    assert loaded.source("ui.theme") == "built-in" and loaded.source("ui.default_role") == "built-in"
    assert loaded.value("exports.allowed") is False and loaded.value("updates.check") is False
    (notice,) = loaded.notices()
    assert "(line 4, column 19: Invalid value)" in notice
    assert notice.endswith("Companion keeps exports off, encryption required and update checks off.")


def test_a_parsed_file_with_a_misspelt_key_keeps_its_good_locks_and_holds_the_rest(tmp_path):
    site = _site(
        tmp_path,
        '[defaults]\n"sync.interval_minutes" = 10\n[locked]\n"exports.allowed" = true\n"updates.chek" = true\n',
    )
    loaded = settings.load(None, site_path=site)
    assert loaded.value("exports.allowed") is True, "the administrator's own words, read whole"
    assert loaded.value("sync.interval_minutes") == 10 and loaded.value("updates.check") is False
    assert "(line 5: there is no setting 'updates.chek')" in loaded.notices()[0]


def test_a_clean_or_missing_site_file_says_nothing(tmp_path):
    clean = _site(tmp_path, '[locked]\n"exports.allowed" = false\n')
    for path in (clean, tmp_path / "missing.toml"):
        loaded = settings.load(tmp_path / "data", site_path=path)
        assert loaded.notices() == [] and loaded.held_safe == set() and loaded.problems == []
    assert settings.load(None, site_path=clean).lock_reason("exports.allowed").startswith("Set by")


def test_the_gates_refuse_with_the_reason(tmp_path, workspace):
    from companion.app import sync_account, updates, workspace_keys

    site = _site(tmp_path, '[locked]\n"exports.allowed" = flase\n')
    os.environ[settings.SITE_CONFIG_ENV] = str(site)
    try:
        loaded = settings.load(tmp_path)
        with pytest.raises(settings.ExportsNotAllowed, match="cannot be read"):
            settings.require_exports(loaded)
        with pytest.raises(LockedSetting, match="Sync is turned off on this laptop"):
            settings.sync_server(loaded, "https://sync.example.com")
        with pytest.raises(updates.UpdatesTurnedOff, match="cannot be read"):
            updates.check(loaded)
        assert "cannot be read" in workspace_keys.required_because(tmp_path)
        # A laptop logged in before the file broke stops syncing too.
        workspace.set_meta(values={"sync_url": "https://sync.example.com"})
        with pytest.raises(LockedSetting, match="Sync is turned off"):
            sync_account.connected_client(workspace)
    finally:
        del os.environ[settings.SITE_CONFIG_ENV]


# --- the user's file ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [b'{"ui.theme": "dark",', b"[1, 2]", b'{"a":' * 5000 + b"1" + b"}" * 5000, b'{"ui.theme": "\xff"}'],
    ids=["bad JSON", "not a table", "5,000 levels deep", "not UTF-8"],
)
def test_a_damaged_user_file_is_set_aside_and_a_fresh_one_written(tmp_path, damage):
    data = tmp_path / "data"
    data.mkdir()
    user = data / settings.USER_FILE
    user.write_bytes(damage)
    site = tmp_path / "none.toml"
    loaded = settings.load(data, site_path=site)
    (aside,) = data.glob("settings.json.damaged-*")
    assert aside.read_bytes() == damage and not user.exists()
    assert loaded.value("ui.theme") == "system"
    (notice,) = loaded.notices()
    assert notice.startswith(f"your settings file {user} could not be read (") and str(aside) in notice
    again = settings.load(data, site_path=site)  # a later read in the same run still tells it
    assert again.notices() == [notice]
    again.set("ui.theme", "dark")
    assert json.loads(user.read_text(encoding="utf-8")) == {"ui.theme": "dark"}
    assert aside.read_bytes() == damage
    assert settings.load(data, site_path=site).notices() == []


def test_entries_this_version_does_not_know_are_kept_when_a_setting_is_written(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    user = data / settings.USER_FILE
    user.write_text(
        json.dumps({"ui.theme": "dark", "ui.future": [1, 2], "sync.interval_minutes": "often"}),
        encoding="utf-8",
    )
    loaded = settings.load(data, site_path=tmp_path / "none.toml")
    assert loaded.value("ui.theme") == "dark" and loaded.value("sync.interval_minutes") == 5
    assert any("kept in the file" in p for p in loaded.problems)
    loaded.set("ui.default_role", "admin")
    assert json.loads(user.read_text(encoding="utf-8")) == {
        "ui.theme": "dark",
        "ui.future": [1, 2],
        "sync.interval_minutes": "often",
        "ui.default_role": "admin",
    }
    assert list(data.glob("*damaged*")) == []


def test_a_user_file_that_cannot_be_opened_is_never_written_over(tmp_path):
    data = tmp_path / "data"
    (data / settings.USER_FILE).mkdir(parents=True)  # in its place, something that cannot be read
    loaded = settings.load(data, site_path=tmp_path / "none.toml")
    assert "cannot be changed until it can be read" in loaded.notices()[0]
    with pytest.raises(settings.SettingsFileUnreadable, match="so it was not changed"):
        loaded.set("ui.theme", "dark")
    assert (data / settings.USER_FILE).is_dir() and list(data.iterdir()) == [data / settings.USER_FILE]


# --- the command line --------------------------------------------------------------------------------


def test_export_is_refused_with_the_reason_and_nothing_written(tmp_path):
    site = _site(
        tmp_path, '[locked]\n"sync.server_url" = "https://sync.example.com"\n"exports.allowed" = flase\n'
    )
    env = _env(COMPANION_SITE_CONFIG=str(site))
    data = tmp_path / "data"
    assert run(data, "add", "client", "name=Halvorsen Offshore", env=env).returncode == 0
    out = tmp_path / "bundle.json"
    refused = run(data, "export", "--out", str(out), env=env)
    assert refused.returncode == 1 and not out.exists()
    assert (
        f"Exports are turned off on this laptop (Your administrator's site config {site} cannot be read (line 3"
        in (refused.stderr)
    )
    assert "Traceback" not in refused.stderr


def test_every_command_says_first_that_the_site_config_cannot_be_read(tmp_path):
    """Needs companion.cli.main to print settings.startup_notices(data_dir) before a command runs."""
    site = _site(tmp_path, BROKEN_SITES["a key 5,000 levels deep"])
    env = _env(COMPANION_SITE_CONFIG=str(site))
    data = tmp_path / "data"
    listed = run(data, "list", "client", env=env)
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    assert listed.stderr.splitlines()[0] == (
        f"companion: the site config {site} cannot be read (line 3: nested deeper than 32 levels); until an "
        "administrator fixes it, Companion keeps sync off, exports off, encryption required and update "
        "checks off."
    )


def test_settings_set_over_a_damaged_user_file_sets_it_aside_first(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    user = data / settings.USER_FILE
    damage = b'{"a":' * 5000 + b"1" + b"}" * 5000
    user.write_bytes(damage)
    env = _env(COMPANION_SITE_CONFIG=str(tmp_path / "none.toml"))
    changed = run(data, "settings", "set", "ui.theme", "dark", env=env)
    assert changed.returncode == 0 and changed.stdout.strip() == 'ui.theme = "dark" (user)'
    (aside,) = data.glob("settings.json.damaged-*")
    assert aside.read_bytes() == damage and str(aside) in changed.stderr and "Traceback" not in changed.stderr
    assert json.loads(user.read_text(encoding="utf-8")) == {"ui.theme": "dark"}


def test_brackets_and_dots_in_strings_and_comments_are_not_nesting(tmp_path):
    deep_looking = "[" * 40 + "." * 40
    site = _site(
        tmp_path,
        f'# {deep_looking}\n[locked]\n"updates.feed_url" = "https://x.example/{deep_looking}"\n'
        f'"sync.server_url" = \'{deep_looking}\'\n"ui.theme" = """dark"""\n',
    )
    loaded = settings.load(None, site_path=site)
    assert loaded.notices() == [] and loaded.value("updates.feed_url").endswith(deep_looking)
