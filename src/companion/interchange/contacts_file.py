"""A contacts file read whatever it is (vCard, or CSV with its columns mapped), and cards written to a .vcf file."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from companion.core.contact_cards import Card, CardProblem
from companion.interchange.contacts_csv import CsvTable, cards_from_table, guess_mapping, read_csv_table
from companion.interchange.text_files import decode_text, read_file
from companion.interchange.vcard import cards_to_vcf, parse_vcards
from companion.model.files import write_whole

VCARD_SUFFIXES = (".vcf", ".vcard")
_VCARD_START = re.compile(r"\s*(?:[\w-]+\.)?BEGIN\s*:\s*VCARD", re.IGNORECASE)


@dataclass
class ContactsFile:
    """What a file held: its cards and the records that could not be read; for a CSV file also its table
    and the mapping its cards were read with (to show, edit and read again with `remap`)."""

    source: str
    format: str  # "vCard", "CSV (Outlook)", "CSV (Google Contacts)"... or "CSV"
    cards: list[Card]
    problems: list[CardProblem]
    table: CsvTable | None = None
    mapping: dict[str, str] | None = None


def read_contacts(path: Path, *, mapping: Mapping[str, str] | None = None) -> ContactsFile:
    """The contacts of a vCard or CSV file, told apart by content (BEGIN:VCARD) or else by extension. A CSV
    file's columns are read with `mapping` ({column: CARD_FIELD}) when given, else with the one guessed
    from its header. BundleError when the file cannot be read or is neither."""
    path = Path(path)
    data = read_file(path, expected="a contacts file (.vcf or .csv)")
    source = str(path)
    if _VCARD_START.match(decode_text(data[:4096])) or path.suffix.lower() in VCARD_SUFFIXES:
        cards, problems = parse_vcards(data, source=source)
        return ContactsFile(source=source, format="vCard", cards=cards, problems=problems)
    table = read_csv_table(data, source=source)
    guessed, program = guess_mapping(table.header)
    contacts = ContactsFile(
        source=source, format=f"CSV ({program})" if program else "CSV", cards=[], problems=[]
    )
    return remap(replace(contacts, table=table), dict(mapping) if mapping is not None else guessed)


def remap(contacts: ContactsFile, mapping: Mapping[str, str]) -> ContactsFile:
    """The CSV file's cards read again with another mapping (a person edited it), the file not read again."""
    if contacts.table is None:
        raise ValueError("remap needs a CSV file's table; a vCard file has no columns to map")
    cards, problems = cards_from_table(contacts.table, mapping)
    return replace(contacts, cards=cards, problems=problems, mapping=dict(mapping))


def write_vcf(path: Path, cards: Sequence[Card], *, version: str = "4.0") -> Path:
    """The cards written to `path` as one .vcf file (vCard 4.0, or 3.0 for older phones), whole or not at all."""
    data = cards_to_vcf(cards, version=version)
    return write_whole(Path(path), lambda part: part.write_bytes(data))
