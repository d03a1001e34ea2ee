"""vCard 2.1, 3.0 and 4.0 read into Cards through vobject's line reader; Cards written out as vCard 4.0 or 3.0."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path

from vobject.base import VObjectError, backslashEscape, getLogicalLines, parseLine

from companion import __version__
from companion.core.contact_cards import Card, CardProblem, yearless_birthday
from companion.interchange.text_files import decode_text, read_file
from companion.model.errors import BundleError, ValidationError

VERSIONS = ("4.0", "3.0")

_BOUNDARY = re.compile(r"(?:[\w-]+\.)?(BEGIN|END)\s*:\s*VCARD\s*", re.IGNORECASE)
_EXTENSION = re.compile(r"(?:[\w-]+\.)?X-", re.IGNORECASE)
_QUOTED_PRINTABLE = re.compile(r";\s*(?:ENCODING\s*=\s*)?QUOTED-PRINTABLE\s*[;:]", re.IGNORECASE)
_FN = re.compile(r"(?:[\w-]+\.)?FN[;:]", re.IGNORECASE)
_TEXT_ESCAPE = re.compile(r"\\([\\;,:nN])")
_ESCAPE_OR_COMMA = re.compile(r"\\.|,", re.DOTALL)
_ESCAPE_OR_SEMICOLON = re.compile(r"\\.|;", re.DOTALL)
# Binary values: some 2.1 writers put their base64 on unindented lines after the property; those lines
# belong to it. Companion keeps no photos, logos, sounds or keys, so these are read past, never decoded.
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_FULL_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?", re.IGNORECASE)
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")
_PHONE_TYPES = {"work": "work", "home": "home", "mobile": "cell"}
_EMAIL_TYPES = {
    "4.0": {"work": "work", "home": "home"},
    "3.0": {"work": "internet,work", "home": "internet,home"},  # INTERNET alone is 3.0's default
}


class _Unreadable(Exception):
    """Why a card cannot be read, and the line of the file that says so."""

    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line = line
        self.reason = reason


# ---- reading ----


def read_vcards(path: Path) -> tuple[list[Card], list[CardProblem]]:
    """The cards of a .vcf file (see parse_vcards); BundleError when the file cannot be read."""
    return parse_vcards(read_file(path, expected="a vCard file (.vcf)"), source=str(path))


def parse_vcards(data: bytes, *, source: str) -> tuple[list[Card], list[CardProblem]]:
    """Every card of a vCard 2.1, 3.0 or 4.0 file, in any encoding text_files recognises. A line that is
    no property, or whose text cannot be decoded, is left out of its card and reported as a CardProblem
    naming the card and the line; a card that cannot be read at all (no name, no END) becomes one, and the
    rest are still read. BundleError (nothing read) only when the file is not text or holds no BEGIN:VCARD."""
    text = decode_text(data)
    if "\x00" in text:
        raise BundleError(f"{source} is not a vCard (.vcf) file: it is not text.")
    blocks = _blocks(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not blocks:
        raise BundleError(f"{source} is not a vCard (.vcf) file: it has no BEGIN:VCARD line.")
    cards: list[Card] = []
    problems: list[CardProblem] = []
    for number, (begin, body, closed) in enumerate(blocks, start=1):
        record = f"card {number}"
        skipped: list[_Unreadable] = []  # lines left out of the card
        try:
            if not closed:
                raise _Unreadable(begin, "it has no END:VCARD (the file may be cut short)")
            card = _card(begin, body, record=record, skipped=skipped)
            cards.append(card)
            name: str | None = card.name
        except _Unreadable as exc:
            name = _name_for_message(body)
            skipped.insert(0, exc)
        named = f"{record} ({name})" if name else record
        problems.extend(CardProblem(record=named, reason=f"line {exc.line}: {exc}") for exc in skipped)
    return cards, problems


def _blocks(text: str) -> list[tuple[int, list[tuple[str, int]], bool]]:
    """The file's cards as (line of BEGIN, logical lines between BEGIN and END, whether END came)."""
    blocks: list[tuple[int, list[tuple[str, int]], bool]] = []
    lines = _logical_lines(text)
    begin: int | None = None  # the index of the open card's BEGIN
    for index, (line, _) in enumerate(lines):
        boundary = _BOUNDARY.fullmatch(line)
        if boundary is None:
            continue
        if boundary[1].upper() == "BEGIN":
            if begin is not None:
                blocks.append((lines[begin][1], lines[begin + 1 : index], False))
            begin = index
        elif begin is not None:
            blocks.append((lines[begin][1], lines[begin + 1 : index], True))
            begin = None
    if begin is not None:
        blocks.append((lines[begin][1], lines[begin + 1 :], False))
    return blocks


def _logical_lines(text: str) -> list[tuple[str, int]]:
    """The lines of `text` (line breaks "\\n") with folded lines joined, each with the line it starts on.
    Quoted-printable soft line breaks are left to vobject's getLogicalLines, and only looked for where a
    property says it is so encoded (elsewhere a line that ends with "=" and mentions quoted-printable is
    just text). For the files without them the lines are unfolded here, with the same lines as vobject's
    reader gives: that one takes a regular expression step a character, some fifteen times this loop, and
    numbers the lines wrongly (two a line)."""
    if _QUOTED_PRINTABLE.search(text):
        # vobject counts the file's first logical line as line 0
        return [(line, max(number, 1)) for line, number in getLogicalLines(io.StringIO(text), allowQP=True)]
    lines: list[tuple[str, int]] = []
    current: str | None = None
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if current is not None and line.startswith((" ", "\t")):
            if not current:  # a fold after an empty line: the property starts here
                start = number
            current += line[1:]
            continue
        if current:
            lines.append((current, start))
        current, start = line, number
    if current:
        lines.append((current, start))
    return lines


class _Property:
    """One content line as vobject's parseLine splits it: name (upper case), group, parameters by upper-case
    name, parameters written without a name (2.1's ;WORK), and the value with any quoted-printable undone.
    vobject's own ContentLine holds the same but takes five times as long as the parsing to build (a hook on
    every attribute set), so the cards are read from these."""

    __slots__ = ("group", "name", "params", "singletons", "value")

    def __init__(self, text: str, number: int):
        name, params, value, group = parseLine(text, number)  # VObjectError when it is no NAME:value
        self.name: str = name.upper()
        self.group: str | None = group
        self.params: dict[str, list[str]] = {}
        self.singletons: list[str] = []
        for param in params:
            if len(param) == 1:
                self.singletons.append(param[0])
            else:
                self.params.setdefault(param[0].upper(), []).extend(param[1:])
        if params and self._quoted_printable():
            # As vobject's ContentLine decodes it: the octets in the CHARSET named, else UTF-8 (a second
            # ENCODING beside QUOTED-PRINTABLE, which makes vobject fail outright, is ignored). LookupError
            # or ValueError when the charset is unknown or the octets are not in it.
            charset = self.params["CHARSET"][0] if "CHARSET" in self.params else "utf-8"
            value = codecs.decode(value.encode("utf-8"), "quoted-printable").decode(charset)
        self.value: str = value

    def _quoted_printable(self) -> bool:
        """Whether the value is quoted-printable (ENCODING=QUOTED-PRINTABLE or 2.1's bare ;QUOTED-PRINTABLE),
        the marker taken out of the parameters as vobject does."""
        found = False
        encoding = self.params.get("ENCODING")
        if encoding and "QUOTED-PRINTABLE" in encoding:
            found = True
            encoding.remove("QUOTED-PRINTABLE")
            if not encoding:
                del self.params["ENCODING"]
        if "QUOTED-PRINTABLE" in self.singletons:
            found = True
            self.singletons.remove("QUOTED-PRINTABLE")
        return found


def _content_lines(body: list[tuple[str, int]], skipped: list[_Unreadable]) -> tuple[list[_Property], bool]:
    """The card's properties (folding, quoted-printable and CHARSET undone), vendor extensions and binary
    values left out; and whether it has a photo. A line that cannot be read is left out too, and added
    to `skipped` saying why."""
    lines: list[_Property] = []
    has_photo = after_binary = False
    for text, number in body:
        try:
            line = _Property(text, number)
        except VObjectError:
            if after_binary or _EXTENSION.match(text):
                continue
            if lines and lines[-1].name == "NOTE":  # a writer that did not fold its note's second line
                lines[-1].value += "\\n" + text
                continue
            skipped.append(
                _Unreadable(
                    number, f"“{_clip(text)}” is not a vCard property (NAME:value); that line was left out"
                )
            )
            continue
        except (LookupError, ValueError) as exc:  # an unknown CHARSET, or text not in the one named
            if _EXTENSION.match(text):
                continue
            skipped.append(_Unreadable(number, f"its text cannot be decoded ({exc}); that line was left out"))
            continue
        name = line.name
        after_binary = name in _BINARY
        has_photo = has_photo or name == "PHOTO"
        if after_binary or (name.startswith("X-") and name != "X-ABLABEL"):
            continue
        lines.append(line)
    return lines, has_photo


def _card(begin: int, body: list[tuple[str, int]], *, record: str, skipped: list[_Unreadable]) -> Card:
    lines, has_photo = _content_lines(body, skipped)
    by_name: dict[str, list[_Property]] = {}
    for line in lines:
        by_name.setdefault(line.name, []).append(line)
    labels = {
        line.group.lower(): _text(line.value)
        for line in by_name.get("X-ABLABEL", [])
        if line.group and _text(line.value)
    }
    extras: list[str] = []  # what Card has no field for but the person had: kept in the note

    family, given, additional, prefix, suffix = _fields(_first(by_name, "N"), 5, " ")[:5]
    formatted = " ".join(_text(_first(by_name, "FN")).split())
    name = formatted or " ".join(part for part in (prefix, given, additional, family, suffix) if part)
    if not name:
        raise _Unreadable(begin, "it has no name (no FN or N)")

    organisation = department = None
    for index, line in enumerate(by_name.get("ORG", [])):
        org, *units = _fields(line.value, 1, ", ")
        unit = ", ".join(part for part in units if part) or None
        if index == 0:
            organisation, department = org or None, unit
        elif org or unit:
            extras.append("Other organisation: " + ", ".join(part for part in (org, unit) if part))
    titles = [text for line in by_name.get("TITLE", []) if (text := _text(line.value))]
    roles = [text for line in by_name.get("ROLE", []) if (text := _text(line.value))]
    extras.extend(f"Other title: {title}" for title in titles[1:])
    title = titles[0] if titles else (roles.pop(0) if roles else None)
    extras.extend(f"Role: {role}" for role in roles if role != title)

    emails = tuple(
        (_item_type(line, labels, phone=False), value)
        for line in by_name.get("EMAIL", [])
        if (value := _without_scheme(_text(line.value), "mailto:"))
    )
    phones = tuple(
        (_item_type(line, labels, phone=True), value)
        for line in by_name.get("TEL", [])
        if (value := _without_scheme(_text(line.value), "tel:"))
    )

    address = None
    for line, text in _addresses(by_name):
        kind = _address_kind(line, labels)
        if address is None and kind in (None, "Home"):
            address = text
        else:
            extras.append(f"{kind or 'Other'} address: " + ", ".join(text.splitlines()))

    birthday = None
    bday = _first_line(by_name, "BDAY")
    if bday is not None:
        birthday, unkept = _birthday(_text(bday.value), bday.params)
        if unkept:
            extras.append(unkept)

    notes = [_text(line.value).strip() for line in by_name.get("NOTE", [])]
    if extras:
        notes.append("\n".join(extras))
    note = "\n\n".join(part for part in notes if part) or None
    return Card(
        record=record,
        name=name,
        given_name=given or None,
        family_name=family or None,
        organisation=organisation,
        title=title,
        department=department,
        emails=emails,
        phones=phones,
        address=address,
        birthday=birthday,
        note=note,
        uid=_text(_first(by_name, "UID")) or None,
        has_photo=has_photo,
    )


def _first_line(by_name: dict[str, list[_Property]], name: str) -> _Property | None:
    found = by_name.get(name)
    return found[0] if found else None


def _first(by_name: dict[str, list[_Property]], name: str) -> str:
    line = _first_line(by_name, name)
    return str(line.value) if line is not None else ""


def _split(value: str, separator: str) -> list[str]:
    """`value` cut at each `separator` not escaped by a backslash; the parts keep their escapes."""
    if "\\" not in value:
        return value.split(separator)
    parts, start = [], 0
    # Escapes are matched pair by pair from the left, so a separator the pattern meets is never escaped.
    for found in (_ESCAPE_OR_COMMA if separator == "," else _ESCAPE_OR_SEMICOLON).finditer(value):
        if found.group() == separator:
            parts.append(value[start : found.start()])
            start = found.end()
    parts.append(value[start:])
    return parts


def _text(value: str) -> str:
    """A text value unescaped (\\n, \\, \\; \\: \\\\), trimmed, with one kind of line break; a backslash
    before anything else is kept, as 2.1 files use it literally."""
    if "\\" in value:
        value = _TEXT_ESCAPE.sub(_unescaped, value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.strip()


def _unescaped(found: re.Match[str]) -> str:
    char = found.group(1)
    return "\n" if char in "nN" else char


def _fields(value: str, count: int, joiner: str) -> list[str]:
    """A structured value (N, ADR, ORG) as at least `count` unescaped fields; a field's several values
    (separated by unescaped commas) joined by `joiner`."""
    fields = [
        joiner.join(part for part in map(_text, _split(field, ",")) if part) if "," in field else _text(field)
        for field in _split(value, ";")
    ]
    return fields + [""] * (count - len(fields))


def _without_scheme(value: str, scheme: str) -> str:
    return value[len(scheme) :].strip() if value.lower().startswith(scheme) else value


def _types(line: _Property) -> set[str]:
    """TYPE values however written: TYPE=WORK,VOICE, TYPE="work,voice", TYPE=work;TYPE=voice or 2.1's ;WORK;VOICE."""
    values = [*line.singletons, *line.params.get("TYPE", [])]
    return {part.strip().lower() for value in values for part in str(value).split(",") if part.strip()}


def _label(line: _Property, labels: dict[str, str]) -> str | None:
    """Apple's label for a grouped property (item1.X-ABLabel:_$!<Mobile>!$_ or a label of the person's own)."""
    if not line.group:
        return None
    label = labels.get(line.group.lower())
    if not label:
        return None
    return label.removeprefix("_$!<").removesuffix(">!$_").strip() or None


def _item_type(line: _Property, labels: dict[str, str], *, phone: bool) -> str:
    """work, home, mobile or other: the TYPE first (CELL → mobile; a fax or pager is no number to call,
    so other), then Apple's label."""
    types = _types(line)
    if phone and types & {"fax", "pager"}:
        return "other"
    if phone and types & {"cell", "mobile", "iphone"}:
        return "mobile"
    if "work" in types:
        return "work"
    if "home" in types:
        return "home"
    label = (_label(line, labels) or "").lower()
    if phone and label in ("mobile", "cell", "iphone"):
        return "mobile"
    return label if label in ("work", "home") else "other"


def _addresses(by_name: dict[str, list[_Property]]) -> list[tuple[_Property, str]]:
    """Each ADR as lines (box, extended, street, postal code and locality, region, country); LABEL
    properties (formatted addresses) stand in when the card has no ADR."""
    found = []
    for line in by_name.get("ADR", []):
        box, extended, street, locality, region, code, country = _fields(line.value, 7, ", ")[:7]
        parts = (box, extended, street, " ".join(part for part in (code, locality) if part), region, country)
        text = "\n".join(part for part in parts if part)
        if not text and line.params.get("LABEL"):  # 4.0: the formatted address as a parameter (RFC 6868)
            label = str(line.params["LABEL"][0]).replace("^n", "\n").replace("^'", '"').replace("^^", "^")
            text = "\n".join(part.strip() for part in label.splitlines() if part.strip())
        if text:
            found.append((line, text))
    if not found:
        for line in by_name.get("LABEL", []):
            text = "\n".join(part.strip() for part in _text(line.value).splitlines() if part.strip())
            if text:
                found.append((line, text))
    return found


def _address_kind(line: _Property, labels: dict[str, str]) -> str | None:
    """What the address is: Home, Work, a label of the person's own, or None when untyped (read as home)."""
    types = _types(line)
    if "work" in types:
        return "Work"
    if "home" in types:
        return "Home"
    label = _label(line, labels)
    return label[:1].upper() + label[1:] if label else None


def _birthday(text: str, params: dict) -> tuple[dt.date | None, str | None]:
    """The birthday as a date, or None and a line for the note: a birthday without a year (--0517, or
    Apple's X-APPLE-OMIT-YEAR) has no date field to go to, and one that is no date is kept as written."""
    if not text:
        return None, None
    if found := _FULL_DATE.fullmatch(text):
        year, month, day = (int(part) for part in found.groups())
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None, f"Birthday: {text}"
        if str(year) in [str(value) for value in params.get("X-APPLE-OMIT-YEAR", [])]:
            return None, yearless_birthday(day=day, month=month)
        return date, None
    if (found := _NO_YEAR.fullmatch(text)) and 1 <= int(found[1]) <= 12 and 1 <= int(found[2]) <= 31:
        return None, yearless_birthday(day=int(found[2]), month=int(found[1]))
    return None, f"Birthday: {text}"


def _name_for_message(body: list[tuple[str, int]]) -> str | None:
    for text, number in body:
        if _FN.match(text):
            try:
                return " ".join(_text(_Property(text, number).value).split()) or None
            except (VObjectError, LookupError, ValueError):
                return None
    return None


def _clip(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# ---- writing ----


def cards_to_vcf(cards: Sequence[Card], *, version: str = "4.0") -> bytes:
    """The cards as one .vcf file (UTF-8, CRLF, lines folded at 75 octets): vCard 4.0, or 3.0 for
    older phones. What a Card holds round-trips through parse_vcards; a photo is never written."""
    if version not in VERSIONS:
        raise ValidationError(f"Companion writes vCard 4.0 or 3.0, not “{version}”.")
    head = (f"VERSION:{version}", "PRODID:" + backslashEscape(f"-//Companion//Companion {__version__}//EN"))
    lines: list[str] = []
    for card in cards:
        _vcard(card, version=version, head=head, out=lines)
    return "".join(map(_folded, lines)).encode("utf-8")


# The content lines are written here, not through vobject's components: building and serialising one
# took some 2 ms a card, and its foldOneLine alone is eight times _folded (an exception a line, and a line
# under 75 characters left unfolded whatever its octets). icalendar's Contentline.from_parts is slower
# still (18 times escaping and folding here) and turns a literal \N in a note into a line break. Values
# are escaped by vobject's backslashEscape, and the properties come in the order vobject wrote them
# (VERSION, PRODID, UID, then by name), so a file is as earlier versions wrote it.
def _vcard(card: Card, *, version: str, head: tuple[str, str], out: list[str]) -> None:
    """The card's content lines, unfolded, added to `out`."""
    esc = backslashEscape
    out.append("BEGIN:VCARD")
    out.extend(head)
    if card.uid:
        out.append("UID:" + esc(card.uid))
    if card.address:
        # The address is free text, one part a line: all of it in the street field, which round-trips and
        # which every reader shows whole.
        out.append(f"ADR;TYPE=home:;;{esc(card.address)};;;;")
    if card.birthday:
        iso = card.birthday.isoformat()  # four-digit years whatever the platform's strftime does
        out.append("BDAY:" + (iso.replace("-", "") if version == "4.0" else iso))
    email_types = _EMAIL_TYPES[version]
    for kind, address in card.emails:
        if address:
            out.append(_typed("EMAIL", email_types.get(kind)) + esc(address))
    out.append("FN:" + esc(card.name))
    given, family = _name_pair(card)
    out.append(f"N:{esc(family)};{esc(given)};;;")
    if card.note:
        out.append("NOTE:" + esc(card.note))
    if card.organisation or card.department:
        units = [card.department] if card.department else []
        out.append("ORG:" + ";".join(esc(part) for part in (card.organisation or "", *units)))
    for kind, number in card.phones:
        if number:
            out.append(_typed("TEL", _PHONE_TYPES.get(kind)) + esc(number))
    if card.title:
        out.append("TITLE:" + esc(card.title))
    out.append("END:VCARD")


def _typed(name: str, types: str | None) -> str:
    return f"{name};TYPE={types}:" if types else f"{name}:"


def _folded(line: str) -> str:
    """The line and its CRLF, folded so no line is longer than 75 octets (the space that continues a line
    counts) and no UTF-8 character is cut in two."""
    if len(line) <= 75 and (line.isascii() or len(line.encode("utf-8")) <= 75):
        return line + "\r\n"
    data = line.encode("utf-8")
    pieces, start, room = [], 0, 75
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a continuation octet: the cut goes before its character
            end -= 1
        pieces.append(data[start:end])
        start, room = end, 74
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8") + "\r\n"


def _name_pair(card: Card) -> tuple[str, str]:
    """(given, family) for N: the card's own parts, else its name split with the last word as family name."""
    if card.given_name or card.family_name:
        return card.given_name or "", card.family_name or ""
    words = card.name.split()
    return " ".join(words[:-1]), words[-1] if words else ""
