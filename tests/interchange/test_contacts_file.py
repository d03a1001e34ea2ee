"""A contacts file read whatever it is, its CSV mapping edited, and cards written to a .vcf file whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from companion.core.contact_cards import Card
from companion.interchange.contacts_file import read_contacts, remap, write_vcf
from companion.model.errors import BundleError, WriteFailed

SAMPLES = Path(__file__).parent / "samples" / "contacts"


def test_a_vcard_is_known_by_its_content_whatever_its_name(tmp_path):
    path = tmp_path / "contacts.txt"
    shutil.copy(SAMPLES / "apple_3.0.vcf", path)
    contacts = read_contacts(path)
    assert (contacts.source, contacts.format, contacts.table, contacts.mapping) == (
        str(path),
        "vCard",
        None,
        None,
    )
    assert [card.name for card in contacts.cards] == ["Kari Nordmann", "Per Lunde"]


def test_a_csv_file_is_read_with_the_guessed_mapping_or_the_one_given(tmp_path):
    contacts = read_contacts(SAMPLES / "outlook.csv")
    assert contacts.format == "CSV (Outlook)"
    assert contacts.table is not None and contacts.mapping["E-mail Address"] == "email_work"
    assert contacts.cards[0].emails[0] == ("work", "kari.nordmann@halvorsen.example")
    given = {**contacts.mapping, "E-mail Address": "email_home", "Notes": ""}
    again = read_contacts(SAMPLES / "outlook.csv", mapping=given)
    assert again.mapping == given
    assert (again.cards[0].emails[0], again.cards[0].note) == (
        ("home", "kari.nordmann@halvorsen.example"),
        None,
    )
    # Edited after reading (the preview's mapping editor): the file is not read again.
    edited = remap(contacts, given)
    assert (edited.cards, edited.table, edited.format) == (again.cards, contacts.table, "CSV (Outlook)")
    generic = tmp_path / "people.csv"
    generic.write_text("Full Name,Work Email\nKari Nordmann,kari@example.com\n", encoding="utf-8")
    contacts = read_contacts(generic)
    assert (contacts.format, contacts.cards[0].emails) == ("CSV", (("work", "kari@example.com"),))


def test_files_that_cannot_be_read_are_refused_naming_them(tmp_path):
    with pytest.raises(BundleError, match="There is no file"):
        read_contacts(tmp_path / "missing.vcf")
    bad = tmp_path / "contacts.vcf"
    bad.write_text("Name,Email\nKari,kari@example.com\n", encoding="utf-8")
    with pytest.raises(BundleError, match=r"contacts\.vcf is not a vCard \(\.vcf\) file"):
        read_contacts(bad)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(BundleError, match=r"empty\.csv has no header row"):
        read_contacts(empty)


def test_write_vcf_writes_the_file_whole_and_it_reads_back(tmp_path):
    cards = read_contacts(SAMPLES / "rfc_4.0.vcf").cards
    path = write_vcf(tmp_path / "out.vcf", cards, version="3.0")
    assert path == tmp_path / "out.vcf"
    assert path.read_bytes().count(b"VERSION:3.0\r\n") == 3
    back = read_contacts(path).cards
    assert [card.name for card in back] == ["Ingrid Dahl", "Tomasz Wiśniewski", "Lars Holm"]
    assert back[0].note == cards[0].note and back[0].phones == cards[0].phones
    assert [name.name for name in tmp_path.iterdir()] == ["out.vcf"]  # no part file left behind
    with pytest.raises(WriteFailed, match=r"does not exist\. Nothing was written\."):
        write_vcf(tmp_path / "no" / "out.vcf", [Card(record="card 1", name="Kari")])
