"""Checks and normalises one field's value, and reads a value a person typed as text."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import re
import uuid
from collections.abc import Mapping

from companion.model.errors import ValidationError
from companion.model.kinds import Field, Kind

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE = re.compile(r"^[+(]?[0-9][0-9 ()./\-]*(?:\s*(?:x|ext\.?)\s*[0-9]+)?$", re.IGNORECASE)
_HOST = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+$"
)
# Control characters other than tab and newline never belong in a person's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Whole numbers are stored as SQLite and PostgreSQL integers: signed 64 bits.
_INT_LIMIT = 2**63
# Decimal numbers are doubles: beyond 15 significant digits they no longer read back as typed.
_NUMBER_LIMIT = 1e15
_CURRENCY = re.compile(r"[A-Z]{3}")
# What a person types for one number is never longer: a longer text is refused before it is read (Python's
# int() of a 5,000-digit text is slow, then an error of its own). A decimal written back in full (see
# format_number) takes up to 330 characters: 5e-324 is "0." and 323 digits.
_TEXT_LIMITS = {"int": 64, "number": 400}
# A list typed as JSON is flat; deeper nesting is refused before parsing (json recurses per level).
_JSON_DEPTH_LIMIT = 16
# An echoed value is cut to this many characters: a message stays one readable line.
_SHOWN_LIMIT = 80
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def shown(value: object, *, quoted: bool = False) -> str:
    """A value as a message echoes it: on one line, control characters made visible, cut to a readable
    length (a 100,000-character value or a 5,000-digit number is named by its start)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    try:
        text = repr(value) if quoted else str(value)
    except (ValueError, RecursionError):  # a huge number or a deep nest inside a list
        return f"a {type(value).__name__} too large to show"
    if len(text) > _SHOWN_LIMIT:
        text = text[: _SHOWN_LIMIT - 1] + "…"
    return _CONTROL.sub("\ufffd", text.replace("\n", " ").replace("\r", " "))


def _fail(kind: Kind, f: Field, problem: str) -> ValidationError:
    return ValidationError(f"{kind.label} · {f.label} ({f.name}): {problem}", kind=kind.name, field=f.name)


# The usual spelling of an id. Whatever matches it is a UUID too, so only other spellings need
# uuid.UUID's slower answer (which stays the rule): ids are checked by the hundred thousand in a sync.
ID_SPELLING = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def is_uuid(value: object) -> bool:
    if type(value) is str and ID_SPELLING.fullmatch(value) is not None:
        return True
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _text(kind: Kind, f: Field, value: object, *, item: bool = False) -> str | None:
    if not isinstance(value, str):
        raise _fail(kind, f, f"expected text, got {type(value).__name__}")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _fail(
                kind, f, "contains bytes that are not text (check the file's or terminal's encoding)"
            ) from None
    if _CONTROL.search(value):
        raise _fail(kind, f, "contains control characters")
    multiline = f.type == "longtext"
    if not multiline:
        value = value.strip()
        if "\n" in value or "\r" in value:
            raise _fail(kind, f, "must fit on one line")
    elif not value.strip():
        value = ""
    if value == "":
        return None
    if f.item_format == "currency" and not item:
        value = value.upper() if value.isascii() else value  # "ß".upper() is "SS": no code
        if not _CURRENCY.fullmatch(value):
            raise _fail(kind, f, f"'{shown(value)}' is not a currency code (three letters, like EUR or USD)")
    limit = f.length_limit
    if limit is not None and len(value) > limit:
        raise _fail(kind, f, f"is {len(value)} characters long; at most {limit} fit")
    fmt = f.item_format if item else (f.item_format or f.type)
    if fmt == "email" and not _EMAIL.match(value):
        raise _fail(kind, f, f"'{shown(value)}' is not an email address (like name@example.com)")
    if fmt == "phone" and (not _PHONE.match(value) or sum(c.isdigit() for c in value) < 3):
        raise _fail(kind, f, f"'{shown(value)}' is not a phone number (digits, spaces, + - ( ) and ext)")
    if fmt == "url":
        value = _url(kind, f, value)
    return value


def _url(kind: Kind, f: Field, value: str) -> str:
    # A bare domain is what people type; it means the https site.
    if "://" not in value:
        value = "https://" + value
    scheme, _, rest = value.partition("://")
    host = rest.split("/", 1)[0].split(":", 1)[0]
    if scheme.lower() not in ("http", "https") or not _HOST.match(host) or " " in value:
        raise _fail(kind, f, f"'{shown(value)}' is not a web address (like https://example.com)")
    return value


def _date(kind: Kind, f: Field, value: object) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise _fail(kind, f, f"'{shown(value)}' is not a date (write it as YYYY-MM-DD)")


def _datetime(kind: Kind, f: Field, value: object) -> str:
    parsed: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError:
            parsed = None
    if parsed is None:
        raise _fail(kind, f, f"'{shown(value)}' is not a date and time (write it as YYYY-MM-DDTHH:MM)")
    try:
        if parsed.tzinfo is None:
            # A time typed without a zone is the laptop's local time.
            parsed = parsed.astimezone()
        # Stored in UTC so that times compare and sort as text; shown in local time.
        return parsed.astimezone(dt.UTC).replace(microsecond=0).isoformat()
    except (OverflowError, OSError):
        raise _fail(kind, f, f"'{shown(value)}' is outside the calendar Companion can store") from None


def normalise(kind: Kind, f: Field, value: object) -> object:
    """The canonical form of `value` for field `f`, or ValidationError naming the field."""
    if value is None:
        result = None
    elif f.type in ("text", "longtext", "email", "url", "phone"):
        result = _text(kind, f, value)
    elif f.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(kind, f, f"expected a whole number, got {shown(value, quoted=True)}")
        if not -_INT_LIMIT <= value < _INT_LIMIT:
            raise _fail(kind, f, "is too large a number to store")
        result = value
    elif f.type == "number":
        result = _number(kind, f, value)
    elif f.type == "bool":
        if not isinstance(value, bool):
            raise _fail(kind, f, f"expected true or false, got {shown(value, quoted=True)}")
        result = value
    elif f.type == "date":
        result = _date(kind, f, value)
    elif f.type == "datetime":
        result = _datetime(kind, f, value)
    elif f.type == "enum":
        if value not in f.choices:
            raise _fail(kind, f, f"'{shown(value)}' is not one of: {', '.join(f.choices)}")
        result = value
    elif f.type == "ref":
        if not is_uuid(value):
            raise _fail(kind, f, f"'{shown(value)}' is not a record id")
        result = str(value).lower()
    elif f.type in ("refs", "strings"):
        result = _list(kind, f, value)
    else:  # pragma: no cover - the kinds table only uses the types above
        raise _fail(kind, f, f"unknown field type {f.type}")
    if result is None and f.required:
        raise _fail(kind, f, "is required")
    if isinstance(result, int) and not isinstance(result, bool):
        if f.min is not None and result < f.min:
            raise _fail(kind, f, f"{result} is below the lowest allowed, {f.min}")
        if f.max is not None and result > f.max:
            raise _fail(kind, f, f"{result} is above the highest allowed, {f.max}")
    return result


def _number(kind: Kind, f: Field, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(kind, f, f"expected a number, got {shown(value, quoted=True)}")
    if isinstance(value, int) and not -_NUMBER_LIMIT < value < _NUMBER_LIMIT:
        raise _fail(kind, f, "is too large a number to store")
    number = float(value)
    if not math.isfinite(number) or not -_NUMBER_LIMIT < number < _NUMBER_LIMIT:
        raise _fail(kind, f, "is too large a number to store (or not a number at all)")
    return number


def _list(kind: Kind, f: Field, value: object) -> list[str] | None:
    if not isinstance(value, (list, tuple)):
        raise _fail(kind, f, f"expected a list, got {type(value).__name__}")
    items: list[str] = []
    for item in value:
        if f.type == "refs":
            if not is_uuid(item):
                raise _fail(kind, f, f"'{shown(item)}' is not a record id")
            item = str(item).lower()
        else:
            item = _text(kind, f, item, item=True)
            if item is None:
                continue
            if f.choices and item not in f.choices:
                raise _fail(kind, f, f"'{shown(item)}' is not one of: {', '.join(f.choices)}")
        if item in items:
            raise _fail(kind, f, f"'{shown(item)}' is listed twice")
        items.append(item)
    return items or None


def parse_text(kind: Kind, f: Field, text: str) -> object:
    """Reads what a person typed (command line, a form) into a value for `f`; empty means none."""
    text = text.strip() if f.type != "longtext" else text
    if text.strip() == "":
        return None
    if len(text) > _TEXT_LIMITS.get(f.type, len(text)):
        if re.fullmatch(r"[+-]?[0-9][0-9 _.,']*", text):
            raise _fail(kind, f, f"'{shown(text)}' is too large a number to store")
        raise _fail(kind, f, f"'{shown(text)}' is not a number")
    if f.type == "int":
        try:
            return int(text)
        except ValueError:
            raise _fail(kind, f, f"'{shown(text)}' is not a whole number") from None
    if f.type == "number":
        try:
            number = float(_plain_number(text))
        except ValueError as exc:
            if exc.args[0] == "ambiguous":
                whole, part = exc.args[1:]
                raise _fail(
                    kind, f, f"'{shown(text)}' could mean {whole} or {part}: write the one you mean"
                ) from None
            raise _fail(kind, f, f"'{shown(text)}' is not a number (like 1250000 or 12.5)") from None
        if not math.isfinite(number):
            raise _fail(kind, f, f"'{shown(text)}' is not a number (like 1250000 or 12.5)")
        return number
    if f.type == "bool":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise _fail(kind, f, f"'{shown(text)}' is not yes or no")
    if f.is_list:
        if text.startswith("["):
            if _nesting(text) > _JSON_DEPTH_LIMIT:
                raise _fail(kind, f, f"is nested deeper than a list of values ({_JSON_DEPTH_LIMIT} levels)")
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                raise _fail(kind, f, f"is not a valid JSON list ({exc.msg})") from None
            except ValueError as exc:  # a number of more digits than Python reads
                raise _fail(kind, f, f"is not a valid JSON list ({exc})") from None
            return parsed
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def _nesting(text: str) -> int:
    """How deep brackets and braces nest in a JSON text (outside its strings), read without parsing it."""
    if text.count("[") + text.count("{") <= _JSON_DEPTH_LIMIT:
        return 0  # the usual list: too few brackets to matter
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def local_time(moment: object, zone: dt.tzinfo | None = None) -> dt.datetime:
    """A stored moment (ISO text or a datetime) in the laptop's time zone, or in `zone`: the one way a
    stored moment is turned local for a person's eyes. Near the calendar's ends the local time may not
    exist (9999-12-31 23:00 UTC is already year 10000 in Kiritimati): such a moment is shown as it was
    stored, in UTC, rather than stopping every view that lists it. ValueError for text that is no moment."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.fromisoformat(str(moment))
    try:
        return moment.astimezone(zone)
    except (OverflowError, OSError):
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def moved(when: dt.date, delta: dt.timedelta) -> dt.date:
    """`when` (a date or a datetime) moved by `delta`, stopping at the calendar's first or last day (or
    moment) instead of overflowing: a meeting on 9999-12-31 still has a day after it to end on."""
    try:
        return when + delta
    except OverflowError:
        if isinstance(when, dt.datetime):
            end = dt.datetime.max if delta > dt.timedelta(0) else dt.datetime.min
            return end.replace(tzinfo=when.tzinfo)
        return dt.date.max if delta > dt.timedelta(0) else dt.date.min


def format_value(f: Field, value: object) -> str:
    """A value as one line of text, the inverse of parse_text for a person's eyes."""
    if value is None:
        return ""
    if f.type == "bool":
        return "yes" if value else "no"
    if f.type == "number":
        return format_number(value)
    if f.type == "datetime":
        try:
            # Stored in UTC; read, like typed, in the laptop's time zone.
            return local_time(value).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def _plain_number(text: str) -> str:
    """A typed number in Python's spelling: thousands apart ("1 250 000", "1,250,000", "1.250.000,5"),
    a decimal comma ("12,5") and a trailing % are what people write. "1.250" and "1,250" could be either
    way round, and are refused rather than guessed."""
    cleaned = re.sub(r"[\s_'\u00a0\u202f]", "", text).removesuffix("%")
    for mark in ",.":
        if re.fullmatch(rf"[+-]?[1-9]\d{{0,2}}{re.escape(mark)}\d{{3}}", cleaned):
            raise ValueError("ambiguous", cleaned.replace(mark, ""), cleaned.replace(mark, "."))
    comma, dot = cleaned.rfind(","), cleaned.rfind(".")
    if comma > dot:
        # "1.250,5" and "12,5" have a decimal comma; "1,250,000" groups thousands.
        grouped = dot < 0 and re.fullmatch(r"[+-]?[1-9]\d{0,2}(,\d{3})+", cleaned) is not None
        cleaned = cleaned.replace(",", "") if grouped else cleaned.replace(".", "").replace(",", ".")
    elif comma < 0 and re.fullmatch(r"[+-]?[1-9]\d{0,2}(\.\d{3}){2,}", cleaned):
        cleaned = cleaned.replace(".", "")  # "1.250.000": dots between thousands
    else:
        cleaned = cleaned.replace(",", "")
    return cleaned


def format_number(value: object) -> str:
    """A number as written back, read again as the same number: no trailing ".0", no exponent, every
    digit it holds; "1.125" is written "1.1250" (three decimals alone read two ways, see _plain_number)."""
    text = f"{decimal.Decimal(repr(float(value))):f}"  # type: ignore[arg-type]
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if re.fullmatch(r"[+-]?[1-9]\d{0,2}\.\d{3}", text):
        text += "0"
    return text


_UUID_FORM = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UTC_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+00:00")
# What one line of stored text never holds: control characters, line breaks.
_NOT_ONE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _canonical_text(f: Field):
    limit = f.length_limit
    multiline = f.type == "longtext"

    def check(value: object) -> bool:
        if type(value) is not str or not value or (limit is not None and len(value) > limit):
            return False
        if multiline:
            if _CONTROL.search(value) or not value.strip():
                return False
        elif _NOT_ONE_LINE.search(value) or value[0].isspace() or value[-1].isspace():
            return False
        return value.isascii() or _encodes(value)

    return check


def _encodes(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _canonical_check(f: Field):
    """A quick test that a value is already as `normalise` leaves it (False: ask `normalise`)."""
    if f.type == "text" and f.item_format == "currency":
        return lambda value: type(value) is str and _CURRENCY.fullmatch(value) is not None
    if f.type in ("text", "longtext") and not f.item_format:
        return _canonical_text(f)
    if f.type == "number":
        return lambda value: type(value) is float and math.isfinite(value) and abs(value) < _NUMBER_LIMIT
    if f.type == "enum":
        choices = frozenset(f.choices)
        return lambda value: type(value) is str and value in choices
    if f.type == "ref":
        return lambda value: type(value) is str and _UUID_FORM.fullmatch(value) is not None
    if f.type == "bool":
        return lambda value: type(value) is bool
    if f.type == "int":
        low = max(f.min, -_INT_LIMIT) if f.min is not None else -_INT_LIMIT
        high = min(f.max, _INT_LIMIT - 1) if f.max is not None else _INT_LIMIT - 1
        return lambda value: type(value) is int and low <= value <= high
    if f.type == "date":
        return lambda value: (
            type(value) is str and _DATE_FORM.fullmatch(value) is not None and _is_date(value)
        )
    if f.type == "datetime":
        return lambda value: (
            type(value) is str and _UTC_FORM.fullmatch(value) is not None and _is_moment(value)
        )
    if f.type == "refs":

        def refs(value: object) -> bool:
            return (
                type(value) is list
                and bool(value)
                and all(type(i) is str and _UUID_FORM.fullmatch(i) for i in value)
                and len(set(value)) == len(value)
            )

        return refs
    return lambda value: False  # emails, phones, addresses and lists of them: normalise decides


def _is_date(value: str) -> bool:
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _is_moment(value: str) -> bool:
    """Whether `normalise` would keep this UTC time as it is (it reads "24:00" as the next day)."""
    try:
        return dt.datetime.fromisoformat(value).astimezone(dt.UTC).isoformat() == value
    except (ValueError, OverflowError, OSError):
        return False


# Per kind, as built: (the kind, ((field name, field, quick test), …)). Keyed by the kind object's id (a
# field's own hash walks all its attributes), the kind kept so its id is never reused while cached.
_CHECKS: dict[int, tuple[Kind, dict]] = {}


def quick_checks(kind: Kind) -> dict:
    """Each field's quick test that a value is already as `normalise` leaves it, by field name."""
    cached = _CHECKS.get(id(kind))
    if cached is None or cached[0] is not kind:
        cached = _CHECKS[id(kind)] = (kind, {f.name: (f, _canonical_check(f)) for f in kind.fields})
    return cached[1]


def stored_form(kind: Kind, f: Field, value: object) -> object:
    """The value as the services store it: checked by `normalise`'s rules, quickly when it already is in
    that form (as values written by another laptop are); ValidationError naming the field otherwise."""
    if value is not None and quick_checks(kind)[f.name][1](value):
        return value
    return normalise(kind, f, value)


def stored_forms(kind: Kind, values: Mapping[str, object]) -> tuple[dict[str, object], bool]:
    """`stored_form` of each of a record's values (fields of the kind), and whether any came out
    different from what was given; ValidationError naming the first field that fails."""
    checks = quick_checks(kind)
    stored: dict[str, object] = {}
    changed = False
    for name, value in values.items():
        described, already_stored = checks[name]
        if value is not None and already_stored(value):
            stored[name] = value  # the usual case: as another laptop's services wrote it
            continue
        stored[name] = normalise(kind, described, value)
        changed = changed or stored[name] != value
    return stored, changed
