"""Contacts from CSV exports (Outlook, Google Contacts, LinkedIn, Salesforce, HubSpot or any other) as Cards."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from companion.core.contact_cards import Card, CardProblem, yearless_birthday
from companion.interchange.text_files import decode_text, guess_encoding
from companion.model.errors import BundleError, ValidationError

# What a column may be mapped to; IGNORE leaves it out.
CARD_FIELDS = (
    "name",
    "given_name",
    "family_name",
    "organisation",
    "title",
    "department",
    "email_work",
    "email_home",
    "email_other",
    "phone_work",
    "phone_mobile",
    "phone_home",
    "phone_other",
    "address",
    "birthday",
    "note",
    "uid",
)
IGNORE = ""

_DELIMITERS = (",", ";", "\t")
_HEAD_ROWS = 25  # how far down a header may sit (LinkedIn puts a few lines of notes above its own)


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header and its non-empty rows, each with the line it starts on; `broken` holds the
    records that could not be cut into cells (a quote never closed), each as its line and a one-line reason
    that names it, which cards_from_table reports among the rows' problems."""

    source: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str
    delimiter: str
    broken: tuple[tuple[int, str], ...] = ()


# ---- the columns each program writes (real export headers), and what they hold ----

_OUTLOOK = {
    "First Name": "given_name",
    "Middle Name": "given_name",
    "Last Name": "family_name",
    "Title": IGNORE,  # Outlook's Title is Mr or Ms; the job is "Job Title"
    "Suffix": IGNORE,
    "Company": "organisation",
    "Department": "department",
    "Job Title": "title",
    "Home Street": "address",
    "Home Street 2": "address",
    "Home Street 3": "address",
    "Home City": "address",
    "Home State": "address",
    "Home Postal Code": "address",
    "Home Country/Region": "address",
    "Business Phone": "phone_work",
    "Business Phone 2": "phone_work",
    "Home Phone": "phone_home",
    "Home Phone 2": "phone_home",
    "Mobile Phone": "phone_mobile",
    "Other Phone": "phone_other",
    "Primary Phone": "phone_other",
    "E-mail Address": "email_work",
    "E-mail 2 Address": "email_other",
    "E-mail 3 Address": "email_other",
    "Birthday": "birthday",
    "Notes": "note",
}
_GOOGLE = {
    "Name": "name",
    "Given Name": "given_name",
    "Additional Name": "given_name",
    "Family Name": "family_name",
    "First Name": "given_name",
    "Middle Name": "given_name",
    "Last Name": "family_name",
    "Organization 1 - Name": "organisation",
    "Organization 1 - Title": "title",
    "Organization 1 - Department": "department",
    "Organization Name": "organisation",
    "Organization Title": "title",
    "Organization Department": "department",
    "Birthday": "birthday",
    "Notes": "note",
}
# Google numbers its repeated columns; each value column has a Type (older export) or Label (newer) beside it.
_GOOGLE_NUMBERED = (
    (re.compile(r"e-?mail \d+ - value", re.IGNORECASE), "email_other"),
    (re.compile(r"phone \d+ - value", re.IGNORECASE), "phone_other"),
    (re.compile(r"address \d+ - formatted", re.IGNORECASE), "address"),
)
_LINKEDIN = {
    "First Name": "given_name",
    "Last Name": "family_name",
    "URL": "note",
    "Email Address": "email_other",  # the address they signed up with, most often their own
    "Company": "organisation",
    "Position": "title",
    "Connected On": "note",
}
# Salesforce's report export and its API names (FirstName, MobilePhone...) normalise to the same keys.
_SALESFORCE = {
    "Salutation": IGNORE,
    "First Name": "given_name",
    "Last Name": "family_name",
    "Title": "title",
    "Account Name": "organisation",
    "Department": "department",
    "Email": "email_work",
    "Phone": "phone_work",
    "Mobile": "phone_mobile",
    "Mobile Phone": "phone_mobile",
    "Home Phone": "phone_home",
    "Other Phone": "phone_other",
    "Birthdate": "birthday",
    "Description": "note",
    "Contact ID": "uid",
}
_HUBSPOT = {
    "Record ID": "uid",
    "First Name": "given_name",
    "Last Name": "family_name",
    "Email": "email_work",
    "Phone Number": "phone_work",
    "Mobile Phone Number": "phone_mobile",
    "Company Name": "organisation",
    "Job Title": "title",
    "Date of birth": "birthday",
}
# Mailing and business addresses (Outlook's Business Street, Salesforce's Mailing Street, HubSpot's Street
# Address) are mostly an office's: they are left unmapped rather than taken for a home address.

# Which columns tell a program's export apart: any one of the sets present.
_SIGNATURES = (
    (
        "Google Contacts",
        _GOOGLE,
        ({"Given Name", "Family Name"}, {"Organization Name", "Organization Title"}),
    ),
    ("LinkedIn", _LINKEDIN, ({"Connected On"}, {"URL", "Position", "Email Address"})),
    (
        "Outlook",
        _OUTLOOK,
        ({"E-mail Display Name"}, {"Business Phone", "Job Title"}, {"Middle Name", "E-mail Address"}),
    ),
    ("Salesforce", _SALESFORCE, ({"Account Name"}, {"Mailing Street"}, {"AccountId"})),
    ("HubSpot", _HUBSPOT, ({"Mobile Phone Number"}, {"Record ID", "Phone Number"}, {"Lifecycle Stage"})),
)

# Any other file: what its columns are commonly called.
_GENERIC = {
    "name": ("Name", "Full Name", "Display Name", "Contact Name", "Contact"),
    "given_name": ("First Name", "Given Name", "Forename", "First", "Middle Name"),
    "family_name": ("Last Name", "Family Name", "Surname", "Last"),
    "organisation": (
        "Company",
        "Company Name",
        "Organisation",
        "Organization",
        "Organisation Name",
        "Organization Name",
        "Account",
        "Account Name",
        "Employer",
    ),
    "title": ("Title", "Job Title", "Position", "Role"),
    "department": ("Department", "Dept"),
    "email_work": (
        "Email",
        "E-mail",
        "Email Address",
        "E-mail Address",
        "Work Email",
        "Business Email",
        "Mail",
    ),
    "email_home": ("Home Email", "Personal Email", "Private Email"),
    "email_other": ("Other Email", "Email 2", "E-mail 2", "Email 3"),
    "phone_work": (
        "Phone",
        "Telephone",
        "Tel",
        "Work Phone",
        "Business Phone",
        "Office Phone",
        "Phone Number",
    ),
    "phone_mobile": ("Mobile", "Mobile Phone", "Cell", "Cell Phone", "Mobile Number", "Mobile Phone Number"),
    "phone_home": ("Home Phone",),
    "phone_other": ("Other Phone",),
    "address": ("Address", "Home Address", "Private Address"),
    "birthday": ("Birthday", "Birthdate", "Date of Birth", "DOB"),
    "note": ("Note", "Notes", "Comment", "Comments", "Description"),
    "uid": ("UID",),
}


def _key(column: str) -> str:
    """A column name as compared: case, spaces and punctuation aside ("E-mail Address" = "email_address")."""
    return re.sub(r"[^0-9a-z]+", "", column.casefold())


_GENERIC_KEYS = {_key(column): field for field, columns in _GENERIC.items() for column in columns}
_KNOWN_KEYS = set(_GENERIC_KEYS) | {_key(column) for _, known, _ in _SIGNATURES for column in known}


# ---- reading the table ----


def read_csv_table(data: bytes, *, source: str) -> CsvTable:
    """The file's header and rows, whatever the encoding (UTF-8 with or without BOM, UTF-16, cp1252) and
    delimiter (comma, semicolon as European Excel writes, tab); lines above the header (LinkedIn's notes)
    are passed over. BundleError when it is not text or has no header row."""
    encoding = guess_encoding(data)
    text = decode_text(data)
    if "\x00" in text:
        raise BundleError(f"{source} is not a CSV file: it is not text.")
    delimiter = _sniff(text)
    rows, faults = _rows(text, delimiter=delimiter)
    at = _header_index(rows)
    if at is None:
        raise BundleError(f"{source} has no header row (a first line naming the columns); it may be empty.")
    header = tuple(cell.strip() for cell in rows[at][1])
    body = tuple(
        (line, tuple(cells)) for line, cells in rows[at + 1 :] if any(cell.strip() for cell in cells)
    )
    broken = tuple((fault.line, fault.reason(header if fault.line > rows[at][0] else ())) for fault in faults)
    return CsvTable(
        source=source, header=header, rows=body, encoding=encoding, delimiter=delimiter, broken=broken
    )


@dataclass(frozen=True)
class _Fault:
    """A record that could not be cut into cells: where it starts, and what went wrong."""

    line: int
    last_line: int  # the line the reader had come to
    column: int | None  # the cell whose quote was never closed, when known
    too_large: bool = False

    def reason(self, header: Sequence[str]) -> str:
        kept = f"line {self.line} is left out and the lines after it are read; close the quote or remove it"
        if self.too_large:
            return f"line {self.line}: a cell is over 128 KB: a quote that is never closed? {kept}"
        if self.column is None:
            where = "a cell"
        elif self.column < len(header) and header[self.column]:
            where = f"“{header[self.column]}”"
        else:
            where = f"column {self.column + 1}"
        return (
            f"line {self.line}: a quote opened in {where} is never closed, so lines {self.line}–{self.last_line}"
            f" would be read as one cell; {kept}"
        )


def _rows(text: str, *, delimiter: str) -> tuple[list[tuple[int, list[str]]], list[_Fault]]:
    """The records of `text`, each with the line it starts on. A record that spans lines and would not be
    read the same with strict quoting (a quote closed only by a later line's, or never) is a quote left
    open: it is left out as a _Fault, and reading goes on from the line after its first. So is a record
    over csv's field limit."""
    lines = io.StringIO(text, newline="").readlines()  # the physical lines as csv's reader meets them
    rows: list[tuple[int, list[str]]] = []
    faults: list[_Fault] = []
    base = 0  # the index of the first line the current reader was given
    while base < len(lines):
        reader = csv.reader(itertools.islice(lines, base, None), delimiter=delimiter)
        start = base + 1
        try:
            for cells in reader:
                end = base + reader.line_num
                if end > start and _quote_left_open(lines[start - 1 : end], delimiter):
                    newline = [index for index, cell in enumerate(cells) if "\n" in cell or "\r" in cell]
                    faults.append(_Fault(start, end, newline[-1] if newline else None))
                    base = start
                    break
                rows.append((start, cells))
                start = end + 1
            else:
                break
        except csv.Error as exc:
            faults.append(_Fault(start, base + reader.line_num, None, too_large="field larger" in str(exc)))
            base = start
    return rows, faults


def _quote_left_open(lines: Sequence[str], delimiter: str) -> bool:
    """Whether a record's lines are no record with strict quoting: a cell's quote closed by a quote that
    a cell further on opens, or never closed at all. A cell that holds line breaks as it should passes."""
    try:
        next(csv.reader(iter(lines), delimiter=delimiter, strict=True))
    except csv.Error:
        return True
    return False


def _sniff(text: str) -> str:
    """The delimiter that cuts the start of the file into the most rows of one same width (above one)."""
    sample = text[:16384]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)]
        except csv.Error:
            continue
        widths = [width for width in widths[: _HEAD_ROWS * 4] if width > 1]
        if not widths:
            continue
        common = max(set(widths), key=lambda width: (widths.count(width), width))
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _header_index(rows: list[tuple[int, list[str]]]) -> int | None:
    """The header: the first of the top rows naming two columns Companion knows, else the first with as many
    filled cells as a header needs (two, or one in a one-column file)."""
    top = rows[:_HEAD_ROWS]
    for index, (_, cells) in enumerate(top):
        if sum(_key(cell) in _KNOWN_KEYS for cell in cells) >= 2:
            return index
    filled = [sum(bool(cell.strip()) for cell in cells) for _, cells in top]
    if not filled or max(filled) == 0:
        return None
    needed = min(2, max(filled))
    return next(index for index, count in enumerate(filled) if count >= needed)


# ---- the mapping ----


def guess_mapping(header: Sequence[str]) -> tuple[dict[str, str], str | None]:
    """{column: CARD_FIELD} for the columns that map to something, and the program whose export the header
    is ("Outlook", "Google Contacts", "LinkedIn", "Salesforce", "HubSpot"), or None for another file whose
    columns are guessed from their common names."""
    keys = {_key(column) for column in header}
    program, known = None, {}
    for name, columns, signatures in _SIGNATURES:
        if any({_key(column) for column in signature} <= keys for signature in signatures) or (
            name == "Google Contacts"
            and any(pattern.fullmatch(c) for c in header for pattern, _ in _GOOGLE_NUMBERED)
        ):
            program, known = name, {_key(column): field for column, field in columns.items()}
            break
    mapping = {}
    for column in header:
        key = _key(column)
        if program is None:
            field = _GENERIC_KEYS.get(key, IGNORE)
        elif program == "Google Contacts" and key not in known:
            field = next((f for pattern, f in _GOOGLE_NUMBERED if pattern.fullmatch(column.strip())), IGNORE)
        else:  # a known program's own columns only: Outlook's "Account" or "Title" are not what they seem
            field = known.get(key, IGNORE)
        if field and column not in mapping:
            mapping[column] = field
    return mapping, program


def parse_mapping(pairs: Sequence[str], header: Sequence[str]) -> dict[str, str]:
    """The mapping a person gave as COLUMN=FIELD pairs ("E-mail Address=email_work", "Title=ignore"),
    with each column spelled as in `header`; it overrides the guessed one column by column. ValidationError
    naming the bad pair and what is allowed."""
    mapping = {}
    for pair in pairs:
        column, sep, field = pair.rpartition("=")
        column, field = column.strip(), field.strip().lower()
        if not sep or not column:
            raise ValidationError(f"“{pair}” is not COLUMN=FIELD (for example “E-mail Address=email_work”).")
        found = next((name for name in header if name == column), None) or next(
            (name for name in header if name.casefold() == column.casefold()), None
        )
        if found is None:
            raise ValidationError(
                f"“{pair}”: the file has no column “{column}”; its columns are: {', '.join(header)}."
            )
        if field in ("", "ignore", "-", "none"):
            field = IGNORE
        elif field not in CARD_FIELDS:
            raise ValidationError(
                f"“{pair}”: “{field}” is not a field Companion reads; use one of {', '.join(CARD_FIELDS)}"
                " or ignore."
            )
        mapping[found] = field
    return mapping


# ---- rows into cards ----


class _RowProblem(Exception):
    pass


def cards_from_table(table: CsvTable, mapping: Mapping[str, str]) -> tuple[list[Card], list[CardProblem]]:
    """A Card per row, its fields from the mapped columns; a row that cannot be read becomes a CardProblem
    ("line 12") and the rest are still read, as does each of the table's broken records, in line order. Beside Google's value columns, the row's own Type or Label
    (Work, Home, Mobile) decides an email's or phone's type, and a Work address goes to the note. Dates
    such as 03/04/1971 are read day first or month first as the column's other dates show (month first
    for slashes when none tells). ValidationError when a field is unknown or no column gives a name."""
    for column, field in mapping.items():
        if field not in CARD_FIELDS and field != IGNORE:
            raise ValidationError(
                f"The column “{column}” is mapped to “{field}”, which is not one of {', '.join(CARD_FIELDS)}."
            )
    columns = [(index, column, mapping.get(column, IGNORE)) for index, column in enumerate(table.header)]
    used = [(index, column, field) for index, column, field in columns if field]
    if not any(field in ("name", "given_name", "family_name") for _, _, field in used):
        raise ValidationError(
            f"No column of {table.source} is mapped to a name; map one, for example “Full Name=name”"
            " (fields: name, given_name, family_name)."
        )
    kinds = {index: _type_column(table.header, column) for index, column, _ in used}
    day_first = _day_first(
        [
            cells[index]
            for _, cells in table.rows
            for index, _, field in used
            if field == "birthday" and index < len(cells)
        ]
    )
    cards, problems = [], []
    broken = sorted(table.broken)
    for line, cells in table.rows:
        while broken and broken[0][0] < line:
            problems.append(CardProblem(record=f"line {broken[0][0]}", reason=broken.pop(0)[1]))
        try:
            cards.append(_row_card(line, cells, used, kinds, day_first=day_first, width=len(table.header)))
        except _RowProblem as exc:
            name = " ".join(
                cells[index].strip()
                for index, _, field in used
                if field in ("name", "given_name", "family_name")
                and index < len(cells)
                and cells[index].strip()
            )
            problems.append(
                CardProblem(record=f"line {line} ({name})" if name else f"line {line}", reason=str(exc))
            )
    problems.extend(CardProblem(record=f"line {line}", reason=reason) for line, reason in broken)
    return cards, problems


def _type_column(header: Sequence[str], column: str) -> int | None:
    """Google's "E-mail 1 - Type" (or "- Label") beside "E-mail 1 - Value" ("Address 1 - Formatted")."""
    stem, found, _ = column.strip().rpartition(" - ")
    if not found:
        return None
    for suffix in ("Type", "Label"):
        for index, name in enumerate(header):
            if name.strip().casefold() == f"{stem} - {suffix}".casefold():
                return index
    return None


def _row_card(
    line: int,
    cells: Sequence[str],
    used: list[tuple[int, str, str]],
    kinds: dict[int, int | None],
    *,
    day_first: bool,
    width: int,
) -> Card:
    extra = [cell for cell in cells[width:] if cell.strip()]
    if extra:
        raise _RowProblem(
            f"it has {width + len(extra)} cells but the header names {width} columns"
            " (a missing quote or an extra delimiter?)"
        )
    values: dict[str, list[tuple[str, str, str | None]]] = {}  # field: [(column, value, row's type)]
    for index, column, field in used:
        value = cells[index].strip() if index < len(cells) else ""
        if value:
            kind_at = kinds.get(index)
            kind = cells[kind_at].strip() if kind_at is not None and kind_at < len(cells) else None
            values.setdefault(field, []).append((column, value, kind or None))

    def joined(field: str, separator: str = " ") -> str | None:
        return separator.join(value for _, value, _ in values.get(field, [])) or None

    extras: list[str] = []
    given, family = joined("given_name"), joined("family_name")
    name = joined("name") or " ".join(part for part in (given, family) if part)
    if not name:
        named = [column for _, column, field in used if field in ("name", "given_name", "family_name")]
        raise _RowProblem(
            f"it has no name: {', '.join(named)} {'is' if len(named) == 1 else 'are'} empty; the row is left out"
        )
    emails, phones = [], []
    for field, found in values.items():
        for _, value, kind in found:
            if field.startswith("email_"):
                default = field.removeprefix("email_")
                emails.extend(
                    (_row_type(kind, default, phone=False), part)
                    for part in re.split(r"\s*(?::::|;|,)\s*", value)
                    if part
                )
            elif field.startswith("phone_"):
                default = field.removeprefix("phone_")
                phones.extend(
                    (_row_type(kind, default, phone=True), part)
                    for part in re.split(r"\s*:::\s*", value)
                    if part
                )
    homes = []
    for column, value, kind in values.get("address", []):
        where = _row_type(kind, "home", phone=False)
        if where == "home":
            homes.append((column, value))
        else:  # a Work address by Google's label: kept, in the note
            extras.append(f"{where.capitalize()} address: " + ", ".join(_lines(value)))
    birthday = None
    for _, value, _ in values.get("birthday", []):
        date, unkept = _birthday(value, day_first=day_first)
        birthday = birthday or date
        if unkept:
            extras.append(unkept)
    notes = values.get("note", [])
    # One note column is the note; several each say what they are ("Connected On: 12 Mar 2021").
    body = notes[0][1] if len(notes) == 1 else "\n".join(f"{column}: {value}" for column, value, _ in notes)
    note = "\n\n".join(part for part in (body, "\n".join(extras)) if part) or None
    return Card(
        record=f"line {line}",
        name=name,
        given_name=given,
        family_name=family,
        organisation=joined("organisation", ", "),
        title=joined("title", ", "),
        department=joined("department", ", "),
        emails=tuple(emails),
        phones=tuple(phones),
        address=_address(homes) if homes else None,
        birthday=birthday,
        note=note,
        uid=next((value for _, value, _ in values.get("uid", [])), None),
    )


def _row_type(kind: str | None, default: str, *, phone: bool) -> str:
    """The type a row's own label gives ("* Work", "Mobile", "Work ::: Home" takes the first), else `default`."""
    if not kind:
        return default
    label = kind.split(":::")[0].strip().lstrip("*").strip().lower()
    if phone and label in ("mobile", "cell", "iphone"):
        return "mobile"
    if label in ("work", "home", "other"):
        return label
    return default


def _lines(value: str) -> list[str]:
    return [part.strip() for part in value.splitlines() if part.strip()]


def _address(parts: list[tuple[str, str]]) -> str:
    """Address columns one part a line, in the file's order; a postal code goes before its city on one line."""
    postal = [value for column, value in parts if re.search(r"postal|zip|postcode", _key(column))]
    has_city = any(re.search(r"city|locality|town", _key(column)) for column, _ in parts)
    lines = []
    for column, value in parts:
        key = _key(column)
        if postal and has_city and re.search(r"postal|zip|postcode", key):
            continue
        if postal and re.search(r"city|locality|town", key):
            value = f"{postal[0]} {value}"
        lines.extend(_lines(value))
    return "\n".join(lines)


_DMY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T].*)?")


def _day_first(values: Sequence[str]) -> bool:
    """Whether a column's dates like 03/04/1971 are day first: a first part above 12 says so, a second
    part above 12 says not; failing both, dots and dashes are day first and slashes month first (US)."""
    separators = set()
    for value in values:
        if found := _DMY.fullmatch(value.strip()):
            if int(found[1]) > 12:
                return True
            if int(found[3]) > 12:
                return False
            separators.add(found[2])
    return bool(separators) and "/" not in separators


def _birthday(text: str, *, day_first: bool) -> tuple[dt.date | None, str | None]:
    """A date, or None and a line for the note (a birthday without a year, or one that is no date)."""
    text = text.strip()
    if not text or re.fullmatch(r"[0./\-\s]*", text):  # Outlook writes 0/0/00 for none
        return None, None
    if found := re.fullmatch(r"--(\d{1,2})-(\d{1,2})", text):  # Google, a birthday without a year
        month, day = int(found[1]), int(found[2])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return None, yearless_birthday(day=day, month=month)
    parts = None
    if found := re.fullmatch(r"(\d{4})-?(\d{1,2})-?(\d{1,2})(?:[ T].*)?", text):
        parts = (int(found[1]), int(found[2]), int(found[3]))
    elif found := _DMY.fullmatch(text):
        first, second, year = int(found[1]), int(found[3]), int(found[4])
        if len(found[4]) == 2:  # the century the year is most likely in
            year += 2000 if year <= dt.date.today().year % 100 else 1900
        parts = (year, second, first) if day_first else (year, first, second)
    if parts is not None:
        try:
            return dt.date(*parts), None
        except ValueError:
            return None, f"Birthday: {text}"
    for pattern in ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y"):
        try:
            return dt.datetime.strptime(text, pattern).date(), None
        except ValueError:
            continue
    return None, f"Birthday: {text}"
