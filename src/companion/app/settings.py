"""Managed settings: built-in defaults, an admin's site defaults, the user's choices, an admin's locks.

The site file is TOML in the OS's site config folder (platformdirs; `/etc/xdg/companion/config.toml` on
Linux), or the file COMPANION_SITE_CONFIG names:

    [defaults]            # the user may change these
    "sync.interval_minutes" = 10
    [locked]              # the user may not
    "sync.server_url" = "https://sync.example.com"
    "exports.allowed" = false

Precedence: locked site keys, then the user's settings, then site defaults, then built-in defaults.

A site file that is there but cannot be read whole (a typo, bad bytes, a key nested too deep, a value of
the wrong type, no permission) fails closed: any lock in it may be the one lost, so every setting with a
safe value (Setting.safe) is locked at it until an administrator fixes the file, and every command and
the window say so (Settings.notices). Locks that read on their own are still honoured.

A user file that cannot be parsed is set aside beside itself (settings.json.damaged-<time>), never
overwritten; entries of it that Companion does not know (a newer version's) are kept when it is written.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from companion.app.config import APP_NAME
from companion.model.errors import CompanionError

SITE_CONFIG_ENV = "COMPANION_SITE_CONFIG"
USER_FILE = "settings.json"
ROLES = ("account_manager", "new_staff", "admin")  # the welcome's choices (ui/common/roles.py)
THEMES = ("system", "light", "dark")  # the window's look (ui/common/theme.py): the system's, or one chosen
# Settings files are a few hundred bytes nested two or three deep; past these they are not ours, and
# tomllib, json and _flatten would recurse without end on the nesting (a RecursionError, not a message).
MAX_NESTING = 32
MAX_BYTES = 1024 * 1024


class _PersonsChoice:
    def __repr__(self) -> str:
        return "PERSONS_CHOICE"


# A setting's `safe` when no value is safer for everyone (a theme, a sync interval): a site file that
# cannot be read leaves it to the person (and to a lock line of the file that reads on its own).
PERSONS_CHOICE = _PersonsChoice()


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: object
    kind: type
    choices: tuple[str, ...] = ()
    hint: str = ""  # what a value looks like, shown in an empty field
    minimum: int = 1  # for whole numbers
    maximum: int = 24 * 60  # a day of minutes: more is a typo (and past what a timer can count)
    # Any setting may be locked in the site file, so each says where a site file that cannot be read
    # leaves it: locked at this value, or PERSONS_CHOICE. No default: a new setting must choose.
    safe: object = field(kw_only=True)
    safe_words: str = field(default="", kw_only=True)  # how the notice says the safe value ("exports off")


# Each one is acted on where it matters (the window's theme, sync, exports, the welcome,
# companion.app.updates, companion.app.workspace_keys).
SETTINGS = (
    Setting("ui.theme", "Theme", "system", str, THEMES, safe=PERSONS_CHOICE),
    Setting(
        "sync.server_url",
        "Sync server",
        "",
        str,
        hint="https://sync.example.com",
        safe="",
        safe_words="sync off",
    ),
    Setting("sync.interval_minutes", "Sync every (minutes)", 5, int, safe=PERSONS_CHOICE),
    Setting("exports.allowed", "Exports allowed", True, bool, safe=False, safe_words="exports off"),
    Setting("ui.default_role", "Default role", "account_manager", str, ROLES, safe=PERSONS_CHOICE),
    Setting("workspace.encrypt_new", "Encrypt new workspaces", True, bool, safe=True),
    Setting(
        "workspace.require_encryption",
        "Workspaces must be encrypted",
        False,
        bool,
        safe=True,
        safe_words="encryption required",
    ),
    # The idle lock's safest value would be a minute, which no one could work with.
    Setting("ui.lock_after_minutes", "Lock when idle for (minutes)", 0, int, minimum=0, safe=PERSONS_CHOICE),
    Setting(
        "updates.check",
        "Tell me about new releases",
        False,
        bool,
        safe=False,
        safe_words="update checks off",
    ),
    Setting(
        "updates.feed_url",
        "Where the team lists releases",
        "",
        str,
        hint="https://releases.example.com/companion or a shared folder",
        safe=PERSONS_CHOICE,  # update checks held off ask no listing at all
    ),
)
BY_KEY = {s.key: s for s in SETTINGS}


class LockedSetting(CompanionError):
    """The administrator set this key for every user of the laptop."""


class BadSetting(CompanionError):
    """A value that is not of the setting's type or among its choices."""


class SettingsFileUnreadable(CompanionError):
    """The user's settings file cannot be read, so writing it would lose what it holds."""


# User files set aside in this run, {file: line to tell}: the read that moves one (the window's theme,
# say) is rarely the one that can tell the person, so every Settings of the run reports it.
_SET_ASIDE: dict[Path, str] = {}


@dataclass
class Settings:
    """The layers, read once; `value` answers with precedence applied."""

    site_path: Path | None
    user_path: Path | None
    site_defaults: dict[str, object] = field(default_factory=dict)
    locked: dict[str, object] = field(default_factory=dict)
    user: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # Why the site file cannot be read ("line 4, column 9: …"), None when it reads or is absent.
    site_broken: str | None = None
    held_safe: set[str] = field(default_factory=set)  # locked at their safe value because of it
    # The user file as read, unknown and refused entries too: what `set` writes back, one key changed.
    user_entries: dict[str, object] = field(default_factory=dict)
    user_blocked: str | None = None  # why the user file must not be written (it could not be read)

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
        if key in self.held_safe:
            return (
                f"Your administrator's site config {self.site_path} cannot be read ({self.site_broken}); "
                "until it is fixed this stays at its safest value and cannot be changed here."
            )
        return f"Set by your administrator in {self.site_path}; it cannot be changed here."

    def notices(self) -> list[str]:
        """What every command and the window say before anything else, one line each: a site file
        that cannot be read (and what is held safe because of it), a user file set aside or unreadable."""
        said = []
        if self.site_broken is not None:
            words = [BY_KEY[k].safe_words for k in BY_KEY if k in self.held_safe and BY_KEY[k].safe_words]
            held = (
                f"Companion keeps {_listed(words)}"
                if words
                else "its locks that cannot be read keep their safest values"
            )
            said.append(
                f"the site config {self.site_path} cannot be read ({self.site_broken}); "
                f"until an administrator fixes it, {held}."
            )
        if self.user_path is not None and self.user_path in _SET_ASIDE:
            said.append(_SET_ASIDE[self.user_path])
        elif self.user_blocked is not None and (self.user_path is None or self.user_path.parent.is_dir()):
            # A data folder that is no folder is the command's to tell (it cannot open the workspace either).
            said.append(
                f"your settings file {self.user_path} cannot be read ({self.user_blocked}); the defaults "
                "apply, and your settings cannot be changed until it can be read."
            )
        return said

    def set(self, key: str, value: object) -> None:
        """Keeps the user's choice (None goes back to the default) in the user file; the file's other
        entries, those this version does not know included, are written back as they were."""
        setting = _setting(key)
        if (reason := self.lock_reason(key)) is not None:
            raise LockedSetting(f"{setting.label} ({key}): {reason}")
        if value is None:
            self.user.pop(key, None)
            self.user_entries.pop(key, None)
        else:
            self.user[key] = self.user_entries[key] = _checked(setting, value)
        if self.user_path is None:
            return
        if self.user_blocked is not None:
            raise SettingsFileUnreadable(
                f"Your settings file {self.user_path} cannot be read ({self.user_blocked}), so it was not "
                "changed: fix its permissions or move it away, then try again."
            )
        from companion.model.files import write_whole

        text = json.dumps(self.user_entries, indent=2, sort_keys=True)
        self.user_path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(self.user_path, lambda part: part.write_text(text, encoding="utf-8"))
        _SET_ASIDE.pop(self.user_path, None)  # told once written afresh


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _setting(key: str) -> Setting:
    try:
        return BY_KEY[key]
    except KeyError:
        raise BadSetting(f"There is no setting '{key}'. Settings: {', '.join(BY_KEY)}.") from None


def _checked(setting: Setting, value: object) -> object:
    if isinstance(value, str) and setting.kind is not str:
        value = _parse_text(setting, value)
    if (setting.kind is int and isinstance(value, bool)) or not isinstance(value, setting.kind):
        raise BadSetting(
            f"{setting.label} ({setting.key}) takes {_kind_name(setting.kind)}, not {_shown(value)}."
        )
    if setting.choices and value not in setting.choices:
        raise BadSetting(
            f"{setting.label} ({setting.key}) is one of {', '.join(setting.choices)}, not {_shown(value)}."
        )
    if setting.kind is int and value < setting.minimum:
        raise BadSetting(f"{setting.label} ({setting.key}) must be at least {setting.minimum}.")
    if setting.kind is int and value > setting.maximum:
        raise BadSetting(f"{setting.label} ({setting.key}) must be at most {setting.maximum}.")
    return value


def _shown(value: object) -> str:
    """A refused value as a message quotes it: its start, when it is long."""
    shown = repr(value)
    return shown if len(shown) <= 60 else f"{shown[:57]}…"


def _parse_text(setting: Setting, text: str) -> object:
    """A value typed on the command line: 'true'/'false', digits."""
    if setting.kind is bool and text.lower() in ("true", "yes", "on", "1", "false", "no", "off", "0"):
        return text.lower() in ("true", "yes", "on", "1")
    if setting.kind is int and re.fullmatch(r"-?\d{1,9}", text.strip()):
        return int(text)
    return text


def _kind_name(kind: type) -> str:
    return {bool: "true or false", int: "a whole number", str: "text"}[kind]


def site_config_path() -> Path:
    if env := os.environ.get(SITE_CONFIG_ENV):
        return Path(env)
    import platformdirs

    return Path(platformdirs.site_config_dir(APP_NAME.lower(), appauthor=False)) / "config.toml"


# --- reading a file without trusting it ----------------------------------------------------------


class _Unreadable(Exception):
    """A settings file that is there but cannot be taken in; `damaged` when its bytes are the trouble
    (set aside), not the file's permissions or type (left alone)."""

    def __init__(self, reason: str, *, damaged: bool):
        super().__init__(reason)
        self.reason = reason
        self.damaged = damaged


def _read_bounded(path: Path) -> str | None:
    """The file's text, None when there is none; _Unreadable when it is not a regular file (a pipe
    would never end), is too big, cannot be opened or is not UTF-8."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _Unreadable(exc.strerror or str(exc), damaged=False) from None
    if not stat.S_ISREG(info.st_mode):
        raise _Unreadable("it is not a regular file", damaged=False)
    if info.st_size > MAX_BYTES:
        raise _Unreadable(f"it is {info.st_size} bytes; a settings file is far smaller", damaged=True)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _Unreadable(exc.strerror or str(exc), damaged=False) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Unreadable(f"line {line}: it is not UTF-8 text", damaged=True) from None


# Outside strings and comments: what opens and closes a level, and what separates the parts of a key.
_TOML_TOKENS = re.compile(
    "|".join(
        (
            # A multi-line string, and a literal one; unterminated, it runs to the end (tomllib stops
            # there), which also keeps the scan linear on a file of openers.
            r'"""(?:[^\\]|\\.)*?(?:"""|\Z)',
            r"'''.*?(?:'''|\Z)",
            r'"(?:[^"\\\n]|\\.)*"?',  # a string (unterminated: to the line's end)
            r"'[^'\n]*'?",  # a literal string
            r"#[^\n]*",  # a comment
            r"[\[\]{}.,=\n]",
        )
    ),
    re.DOTALL,
)
_JSON_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[\]{}\n]')


def _too_deep_at(text: str, *, toml: bool) -> int | None:
    """The line where the text nests deeper than MAX_NESTING (brackets, braces, the parts of a dotted
    key), found by a scan that never recurses; None when it does not."""
    depth = parts = 0
    line = 1
    for token in (_TOML_TOKENS if toml else _JSON_TOKENS).finditer(text):
        found = token.group()
        if found in ("[", "{"):
            depth += 1
        elif found in ("]", "}"):
            depth = max(depth - 1, 0)
        elif found == ".":
            parts += 1
        elif found in (",", "="):
            parts = 0
        else:  # a newline, or a string or comment (a multi-line string counts its lines)
            line += found.count("\n")
            if found == "\n":
                parts = 0
        if depth + parts > MAX_NESTING:
            return line
    return None


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf'\s*"?{re.escape(key)}"?\s*=', line):
            return number
    return None


def _where(exc: ValueError) -> tuple[int | None, str, str]:
    """tomllib's "… (at line 4, column 9)" as (4, "line 4, column 9: …", "…")."""
    message = str(exc)
    if "digits" in message and "int" in message:  # int() refused a number thousands of digits long
        return None, "a number too long to be a setting", "a number too long to be a setting"
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if not found:
        return None, message, message
    said = message[: found.start()]
    return int(found.group(1)), f"line {found.group(1)}, column {found.group(2)}: {said}", said


# --- the site file ---------------------------------------------------------------------------------


def _read_site(path: Path, into: Settings) -> None:
    """Defaults and locks from the admin's file; when it cannot be read whole, fails closed."""
    try:
        text = _read_bounded(path)
    except _Unreadable as exc:
        _fail_closed(into, exc.reason, locks={})
        into.problems.append(f"{path}: cannot be read ({exc.reason}).")
        return
    if text is None:
        return
    if (line := _too_deep_at(text, toml=True)) is not None:
        _fail_closed(into, f"line {line}: nested deeper than {MAX_NESTING} levels", locks={})
        into.problems.append(f"{path}:{line}: nested deeper than {MAX_NESTING} levels.")
        return
    import tomllib  # here, not at the top: only a site config needs it, and most machines have none (2 ms)

    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError) as exc:  # TOMLDecodeError is a ValueError; so is int()'s refusal
        line, reason, said = (
            _where(exc) if isinstance(exc, ValueError) else (None, "nested too deep", "nested too deep")
        )
        locks = _locks_that_read(text)
        into.locked.update(locks)
        _fail_closed(into, reason, locks=locks)
        into.problems.append(f"{path}:{line or 1}: {said}.")
        return
    found: list[str] = []
    for table, layer in (("defaults", into.site_defaults), ("locked", into.locked)):
        entries = data.get(table, {})
        if not isinstance(entries, Mapping):
            found.append(f"{path}:{_line_of(text, table) or 1}: [{table}] must be a table of settings.")
            continue
        for key, value in _flatten(entries).items():
            line = _line_of(text, key) or _line_of(text, key.rsplit(".", 1)[-1]) or 1
            if key not in BY_KEY:
                found.append(f"{path}:{line}: there is no setting '{key}'.")
                continue
            try:
                layer[key] = _checked(BY_KEY[key], value)
            except BadSetting as exc:
                found.append(f"{path}:{line}: {exc}")
    for table in data:
        if table not in ("defaults", "locked"):
            found.append(f"{path}:{_line_of(text, table) or 1}: unknown table [{table}].")
    if found:
        # A misspelt key or table may be the lock that was meant: the locks that read stay, the rest
        # are held safe.
        first = found[0].removeprefix(f"{path}:").rstrip(".")
        more = f" and {len(found) - 1} more; `companion settings` lists them" if len(found) > 1 else ""
        _fail_closed(into, f"line {first}{more}", locks=dict(into.locked))
        into.problems.extend(found)


def _fail_closed(into: Settings, reason: str, *, locks: Mapping[str, object]) -> None:
    """Every setting the broken file could have locked is locked at its safe value, but for the locks
    that were read (they are the administrator's own words)."""
    into.site_broken = reason
    for setting in SETTINGS:
        if setting.key not in locks and setting.safe is not PERSONS_CHOICE:
            into.locked[setting.key] = setting.safe
            into.held_safe.add(setting.key)


def _locks_that_read(text: str) -> dict[str, object]:
    """The locks of a file that does not parse whose lines read whole on their own, under a [locked]
    header that reads. After a line that could open something spanning lines (a multi-line string or
    array, a broken header) nothing is taken until the next header that reads; a key given two values
    is not taken."""
    found: dict[str, object] = {}
    doubtful: set[str] = set()
    prefix: str | None = None  # the [locked] table the lines are in; None: another table, or not sure
    import tomllib

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            parsed = tomllib.loads(line)
        except (ValueError, RecursionError):
            if any(opener in line for opener in ('"""', "'''", "[", "{")):
                prefix = None
            continue
        if stripped.startswith("["):
            prefix = _locked_prefix(parsed)
            continue
        if prefix is None:
            continue
        for key, value in _flatten(parsed, prefix).items():
            try:
                value = _checked(BY_KEY[key], value)
            except (KeyError, BadSetting):
                continue
            if key in found and found[key] != value:
                doubtful.add(key)
            found[key] = value
    return {key: value for key, value in found.items() if key not in doubtful}


def _locked_prefix(header: Mapping[str, object]) -> str | None:
    """ "" for [locked], "sync." for [locked.sync]; None for any other table (or [[an array]])."""
    names = []
    while isinstance(header, Mapping) and len(header) == 1:
        name, header = next(iter(header.items()))
        names.append(name)
    if not names or names[0] != "locked" or header != {}:
        return None
    return "".join(f"{name}." for name in names[1:])


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


# --- the user's file -------------------------------------------------------------------------------


def _read_user(path: Path, into: Settings) -> None:
    """The person's choices; a file that does not parse is set aside, one that cannot be opened is left
    alone (and not written over); entries it holds that are unknown or refused are kept in it."""
    try:
        text = _read_bounded(path)
    except _Unreadable as exc:
        if exc.damaged:
            _set_aside(path, exc.reason, into)
        else:
            into.user_blocked = exc.reason
            into.problems.append(f"{path}: cannot be read ({exc.reason}); your own settings are not applied.")
        return
    if text is None:
        return
    if (line := _too_deep_at(text, toml=False)) is not None:
        _set_aside(path, f"line {line}: nested deeper than {MAX_NESTING} levels", into)
        return
    try:
        data = json.loads(text)
    except ValueError as exc:
        _set_aside(path, f"it is not JSON: {exc}", into)
        return
    except RecursionError:
        _set_aside(path, "nested too deep", into)
        return
    if not isinstance(data, dict):
        _set_aside(path, "it is not a table of settings", into)
        return
    into.user_entries = data
    for key, value in data.items():
        try:
            into.user[key] = _checked(_setting(key), value)
        except BadSetting as exc:
            into.problems.append(f"{path}: {exc} (not applied; kept in the file)")


def _set_aside(path: Path, reason: str, into: Settings) -> None:
    """Renames the damaged file to FILE.damaged-<local time>, beside it; the defaults apply."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 2
    while aside.exists():
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
        number += 1
    try:
        path.rename(aside)
    except OSError as exc:
        into.user_blocked = f"{reason}; it could not be set aside: {exc.strerror or exc}"
        into.problems.append(
            f"{path}: cannot be read ({into.user_blocked}); your own settings are not applied."
        )
        return
    _SET_ASIDE[path] = (
        f"your settings file {path} could not be read ({reason}); it was set aside as {aside}, and "
        "Companion starts from the defaults."
    )
    into.problems.append(f"{path}: set aside as {aside} ({reason}).")


def load(data_dir: Path | None, *, site_path: Path | None = None) -> Settings:
    """Every layer: the site file (or `site_path`) and the user's file in the data folder. Never raises:
    what cannot be read is in `problems`, and in `notices` where every command must say it."""
    site = site_path if site_path is not None else site_config_path()
    user = data_dir / USER_FILE if data_dir is not None else None
    settings = Settings(site_path=site, user_path=user)
    _read_site(site, settings)
    if user is not None:
        _read_user(user, settings)
    return settings


def startup_notices(data_dir: Path | None) -> list[str]:
    """The lines every command says first (companion.cli.main, before the command runs): a site file
    that cannot be read and what is held safe because of it, a settings file set aside."""
    return load(data_dir).notices()


def sync_server(loaded: Settings, given: str | None) -> str | None:
    """The server to log in to (or sync with): the one given, else the managed one; an admin's lock wins
    over both, and a lock to no server (or a site file that cannot be read) turns sync off."""
    managed = str(loaded.value("sync.server_url") or "") or None
    reason = loaded.lock_reason("sync.server_url")
    if reason and managed is None:
        raise LockedSetting(f"Sync is turned off on this laptop. {reason}")
    if given and reason and given.rstrip("/") != str(managed).rstrip("/"):
        raise LockedSetting(f"This laptop syncs only with {managed}. {reason}")
    return given or managed


class ExportsNotAllowed(CompanionError):
    """The administrator turned exports off on this laptop."""


def require_exports(loaded: Settings) -> None:
    """Raises ExportsNotAllowed when files may not leave the workspace (bundles, packs, briefs, calendars)."""
    if not loaded.value("exports.allowed"):
        where = f" ({loaded.lock_reason('exports.allowed')})" if loaded.lock_reason("exports.allowed") else ""
        raise ExportsNotAllowed(f"Exports are turned off on this laptop{where}")
