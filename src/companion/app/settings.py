"""Managed settings: built-in defaults, an admin's site defaults, the user's choices, an admin's locks.

The site file is TOML in the OS's site config folder (platformdirs; `/etc/xdg/companion/config.toml` on
Linux), or the file COMPANION_SITE_CONFIG names:

    [defaults]            # the user may change these
    "sync.interval_minutes" = 10
    [locked]              # the user may not
    "sync.server_url" = "https://sync.example.com"
    "exports.allowed" = false

Precedence: locked site keys, then the user's settings, then site defaults, then built-in defaults. A
file that cannot be read is reported (file and line) and skipped: the app starts with the other layers.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from companion.app.config import APP_NAME
from companion.model.errors import CompanionError

SITE_CONFIG_ENV = "COMPANION_SITE_CONFIG"
USER_FILE = "settings.json"
ROLES = ("account_manager", "new_staff", "admin")  # the welcome's choices (ui/common/roles.py)
THEMES = ("system", "light", "dark")  # the window's look (ui/common/theme.py): the system's, or one chosen


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: object
    kind: type
    choices: tuple[str, ...] = ()
    hint: str = ""  # what a value looks like, shown in an empty field
    minimum: int = 1  # for whole numbers


# Each one is acted on where it matters (the window's theme, sync, exports, the welcome,
# companion.app.updates, companion.app.workspace_keys).
SETTINGS = (
    Setting("ui.theme", "Theme", "system", str, THEMES),
    Setting("sync.server_url", "Sync server", "", str, hint="https://sync.example.com"),
    Setting("sync.interval_minutes", "Sync every (minutes)", 5, int),
    Setting("exports.allowed", "Exports allowed", True, bool),
    Setting("ui.default_role", "Default role", "account_manager", str, ROLES),
    Setting("workspace.encrypt_new", "Encrypt new workspaces", True, bool),
    Setting("workspace.require_encryption", "Workspaces must be encrypted", False, bool),
    Setting("ui.lock_after_minutes", "Lock when idle for (minutes)", 0, int, minimum=0),
    Setting("updates.check", "Tell me about new releases", False, bool),
    Setting(
        "updates.feed_url",
        "Where the team lists releases",
        "",
        str,
        hint="https://releases.example.com/companion or a shared folder",
    ),
)
BY_KEY = {s.key: s for s in SETTINGS}


class LockedSetting(CompanionError):
    """The administrator set this key for every user of the laptop."""


class BadSetting(CompanionError):
    """A value that is not of the setting's type or among its choices."""


@dataclass
class Settings:
    """The layers, read once; `value` answers with precedence applied."""

    site_path: Path | None
    user_path: Path | None
    site_defaults: dict[str, object] = field(default_factory=dict)
    locked: dict[str, object] = field(default_factory=dict)
    user: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def value(self, key: str) -> object:
        setting = _setting(key)
        for layer in (self.locked, self.user, self.site_defaults):
            if key in layer:
                return layer[key]
        return setting.default

    def source(self, key: str) -> str:
        """Where the value comes from: locked, user, site or built-in."""
        _setting(key)
        for name, layer in (("locked", self.locked), ("user", self.user), ("site", self.site_defaults)):
            if key in layer:
                return name
        return "built-in"

    def lock_reason(self, key: str) -> str | None:
        if key not in self.locked:
            return None
        return f"Set by your administrator in {self.site_path}; it cannot be changed here."

    def set(self, key: str, value: object) -> None:
        """Keeps the user's choice (None goes back to the default) in the user file."""
        setting = _setting(key)
        if (reason := self.lock_reason(key)) is not None:
            raise LockedSetting(f"{setting.label} ({key}): {reason}")
        if value is None:
            self.user.pop(key, None)
        else:
            self.user[key] = _checked(setting, value)
        if self.user_path is not None:
            self.user_path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.user_path.with_suffix(".tmp")
            temporary.write_text(json.dumps(self.user, indent=2, sort_keys=True), encoding="utf-8")
            temporary.replace(self.user_path)  # whole or not at all


def _setting(key: str) -> Setting:
    try:
        return BY_KEY[key]
    except KeyError:
        raise BadSetting(f"There is no setting '{key}'. Settings: {', '.join(BY_KEY)}.") from None


def _checked(setting: Setting, value: object) -> object:
    if isinstance(value, str) and setting.kind is not str:
        value = _parse_text(setting, value)
    if (setting.kind is int and isinstance(value, bool)) or not isinstance(value, setting.kind):
        raise BadSetting(f"{setting.label} ({setting.key}) takes {_kind_name(setting.kind)}, not {value!r}.")
    if setting.choices and value not in setting.choices:
        raise BadSetting(
            f"{setting.label} ({setting.key}) is one of {', '.join(setting.choices)}, not {value!r}."
        )
    if setting.kind is int and value < setting.minimum:
        raise BadSetting(f"{setting.label} ({setting.key}) must be at least {setting.minimum}.")
    return value


def _parse_text(setting: Setting, text: str) -> object:
    """A value typed on the command line: 'true'/'false', digits."""
    if setting.kind is bool and text.lower() in ("true", "yes", "on", "1", "false", "no", "off", "0"):
        return text.lower() in ("true", "yes", "on", "1")
    if setting.kind is int and re.fullmatch(r"-?\d+", text.strip()):
        return int(text)
    return text


def _kind_name(kind: type) -> str:
    return {bool: "true or false", int: "a whole number", str: "text"}[kind]


def site_config_path() -> Path:
    if env := os.environ.get(SITE_CONFIG_ENV):
        return Path(env)
    import platformdirs

    return Path(platformdirs.site_config_dir(APP_NAME.lower(), appauthor=False)) / "config.toml"


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf'\s*"?{re.escape(key)}"?\s*=', line):
            return number
    return None


def _read_site(path: Path, into: Settings) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    except (OSError, UnicodeDecodeError) as exc:
        into.problems.append(f"{path}: cannot be read ({exc}); its settings are not applied.")
        return
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        into.problems.append(f"{path}:{line}: {exc}; none of its settings are applied.")
        return
    for table, layer in (("defaults", into.site_defaults), ("locked", into.locked)):
        entries = data.get(table, {})
        if not isinstance(entries, Mapping):
            into.problems.append(
                f"{path}:{_line_of(text, table) or 1}: [{table}] must be a table of settings."
            )
            continue
        for key, value in _flatten(entries).items():
            line = _line_of(text, key) or _line_of(text, key.rsplit(".", 1)[-1]) or 1
            if key not in BY_KEY:
                into.problems.append(f"{path}:{line}: there is no setting '{key}' (ignored).")
                continue
            try:
                layer[key] = _checked(BY_KEY[key], value)
            except BadSetting as exc:
                into.problems.append(f"{path}:{line}: {exc} (ignored)")
    for table in data:
        if table not in ("defaults", "locked"):
            into.problems.append(f"{path}:{_line_of(text, table) or 1}: unknown table [{table}] (ignored).")


def _line_from_message(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 1


def _flatten(entries: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """Both `"sync.server_url" = …` and `[locked.sync] server_url = …` name sync.server_url."""
    flat: dict[str, object] = {}
    for name, value in entries.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{key}."))
        else:
            flat[key] = value
    return flat


def _read_user(path: Path, into: Settings) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        into.problems.append(f"{path}: cannot be read ({exc}); your own settings are not applied.")
        return
    if not isinstance(data, dict):
        into.problems.append(f"{path}: is not a table of settings; your own settings are not applied.")
        return
    for key, value in data.items():
        try:
            into.user[key] = _checked(_setting(key), value)
        except BadSetting as exc:
            into.problems.append(f"{path}: {exc} (ignored)")


def load(data_dir: Path | None, *, site_path: Path | None = None) -> Settings:
    """Every layer: the site file (or `site_path`) and the user's file in the data folder."""
    site = site_path if site_path is not None else site_config_path()
    user = data_dir / USER_FILE if data_dir is not None else None
    settings = Settings(site_path=site, user_path=user)
    _read_site(site, settings)
    if user is not None:
        _read_user(user, settings)
    return settings


def sync_server(loaded: Settings, given: str | None) -> str | None:
    """The server to log in to: the one given, else the managed one; an admin's lock wins over both."""
    managed = str(loaded.value("sync.server_url") or "") or None
    if (
        given
        and (reason := loaded.lock_reason("sync.server_url"))
        and given.rstrip("/") != str(managed).rstrip("/")
    ):
        raise LockedSetting(f"This laptop syncs only with {managed}. {reason}")
    return given or managed


class ExportsNotAllowed(CompanionError):
    """The administrator turned exports off on this laptop."""


def require_exports(loaded: Settings) -> None:
    """Raises ExportsNotAllowed when files may not leave the workspace (bundles, packs, briefs, calendars)."""
    if not loaded.value("exports.allowed"):
        where = f" ({loaded.lock_reason('exports.allowed')})" if loaded.lock_reason("exports.allowed") else ""
        raise ExportsNotAllowed(f"Exports are turned off on this laptop{where}")
