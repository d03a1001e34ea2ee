"""CSV contacts: each program's export recognised and its columns mapped, encodings and delimiters found, bad rows told."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from companion.core.contact_cards import CardProblem
from companion.interchange.contacts_csv import (
    CARD_FIELDS,
    IGNORE,
    cards_from_table,
    guess_mapping,
    parse_mapping,
    read_csv_table,
)
from companion.model.errors import BundleError, ValidationError

SAMPLES = Path(__file__).parent / "samples" / "contacts"


def _read(name: str):
    table = read_csv_table((SAMPLES / name).read_bytes(), source=name)
    mapping, program = guess_mapping(table.header)
    cards, problems = cards_from_table(table, mapping)
    return table, mapping, program, cards, problems


@pytest.mark.parametrize(
    ("name", "program", "expected"),
    [
        (
            "outlook.csv",
            "Outlook",
            {
                "First Name": "given_name",
                "Middle Name": "given_name",
                "Last Name": "family_name",
                "E-mail Address": "email_work",
                "E-mail 2 Address": "email_other",
                "Business Phone": "phone_work",
                "Mobile Phone": "phone_mobile",
                "Home Phone": "phone_home",
                "Company": "organisation",
                "Job Title": "title",
                "Department": "department",
                "Home Street": "address",
                "Home Postal Code": "address",
                "Birthday": "birthday",
                "Notes": "note",
                "Title": None,  # Mr or Ms in Outlook
                "Business Fax": None,
                "Business Street": None,
            },
        ),
        (
            "outlook_desktop_nordic.csv",
            "Outlook",
            {
                "E-mail Address": "email_work",
                "Account": None,
                "E-mail Display Name": None,
                "Company": "organisation",
            },
        ),
        (
            "google_utf16.csv",
            "Google Contacts",
            {
                "Name": "name",
                "Given Name": "given_name",
                "Family Name": "family_name",
                "E-mail 1 - Value": "email_other",
                "E-mail 1 - Type": None,
                "Phone 2 - Value": "phone_other",
                "Address 1 - Formatted": "address",
                "Address 1 - Street": None,
                "Organization 1 - Name": "organisation",
                "Organization 1 - Title": "title",
                "Organization 1 - Department": "department",
                "Notes": "note",
            },
        ),
        (
            "google.csv",
            "Google Contacts",
            {
                "First Name": "given_name",
                "Last Name": "family_name",
                "E-mail 1 - Value": "email_other",
                "Organization Name": "organisation",
                "Organization Title": "title",
                "Photo": None,
                "Labels": None,
            },
        ),
        (
            "linkedin.csv",
            "LinkedIn",
            {
                "First Name": "given_name",
                "Last Name": "family_name",
                "URL": "note",
                "Email Address": "email_other",
                "Company": "organisation",
                "Position": "title",
                "Connected On": "note",
            },
        ),
        (
            "salesforce.csv",
            "Salesforce",
            {
                "First Name": "given_name",
                "Title": "title",
                "Account Name": "organisation",
                "Email": "email_work",
                "Phone": "phone_work",
                "Mobile": "phone_mobile",
                "Birthdate": "birthday",
                "Description": "note",
                "Contact ID": "uid",
                "Salutation": None,
                "Mailing Street": None,
            },
        ),
        (
            "hubspot.csv",
            "HubSpot",
            {
                "Record ID": "uid",
                "Email": "email_work",
                "Phone Number": "phone_work",
                "Mobile Phone Number": "phone_mobile",
                "Company Name": "organisation",
                "Job Title": "title",
                "Street Address": None,
            },
        ),
        (
            "european_excel.csv",
            None,
            {
                "Name": "name",
                "Company": "organisation",
                "Email": "email_work",
                "Mobile": "phone_mobile",
                "Birthday": "birthday",
                "Comments": "note",
            },
        ),
    ],
)
def test_the_mapping_guessed_for_each_export(name, program, expected):
    table = read_csv_table((SAMPLES / name).read_bytes(), source=name)
    mapping, found = guess_mapping(table.header)
    assert found == program
    assert {column: mapping.get(column) for column in expected} == expected
    assert set(mapping.values()) <= set(CARD_FIELDS)


def test_outlook():
    table, _, _, (kari, per, ingrid), problems = _read("outlook.csv")
    assert (table.encoding, table.delimiter, problems) == ("utf-8", ",", [])
    assert (kari.record, kari.name, kari.given_name, kari.family_name) == (
        "line 2",
        "Kari Anne Nordmann",
        "Kari Anne",
        "Nordmann",
    )
    assert (kari.organisation, kari.title, kari.department) == (
        "Halvorsen Offshore",
        "Head of Drilling",
        "Drilling",
    )
    assert kari.emails == (("work", "kari.nordmann@halvorsen.example"), ("other", "kari@hjemme.example"))
    assert kari.phones == (("work", "+47 22 33 44 55"), ("mobile", "+47 912 34 567"))  # no fax
    assert kari.address == "Storgata 1\n0150 Oslo\nNorway"  # the postal code with its city
    assert kari.birthday == dt.date(1971, 5, 17)
    assert kari.note == 'Prefers mornings, never Fridays.\nCalls herself "the driller".'
    # Kari's Notes cell ran over two lines of the file, so Per is on line 4; 0/0/00 is Outlook's "none".
    assert (per.record, per.birthday, per.note) == ("line 4", None, None)
    # 5/17/1971 in the same column says month first, so 12/3/1975 is the 3rd of December.
    assert ingrid.birthday == dt.date(1975, 12, 3)


def test_outlook_desktop_on_a_nordic_windows_cp1252_semicolons_day_first():
    table, _, _, (bjorn, jurgen), problems = _read("outlook_desktop_nordic.csv")
    assert (table.encoding, table.delimiter, problems) == ("cp1252", ";", [])
    assert (bjorn.name, bjorn.organisation, bjorn.title) == (
        "Bjørn Sørensen",
        "Fjørd Fisk AS",
        "Innkjøpssjef",
    )
    assert bjorn.birthday == dt.date(1980, 2, 29)
    assert bjorn.note == "Møtt på messen i Tromsø; vil ha tilbud før jul."
    assert (jurgen.name, jurgen.department, jurgen.birthday) == (
        "Jürgen Müller",
        "Einkauf",
        dt.date(1969, 5, 17),
    )


def test_google_utf16_types_from_the_row_and_several_values_in_a_cell():
    table, _, _, (ingrid, tomasz), problems = _read("google_utf16.csv")
    assert (table.encoding, problems) == ("utf-16-le", [])
    assert ingrid.emails == (("work", "ingrid.dahl@nordlys.example"), ("home", "ingrid@dahl.example"))
    assert ingrid.phones == (
        ("mobile", "+47 915 00 111"),
        ("work", "+47 22 11 00 99"),
        ("work", "+47 22 11 00 98"),
    )
    assert ingrid.address == "Bygdøy allé 5\n0257 Oslo\nNorway"
    assert (ingrid.organisation, ingrid.title, ingrid.department) == ("Nordlys Energi", "CFO", "Finance")
    assert ingrid.birthday == dt.date(1975, 3, 2)
    # Tomasz's address is labelled Work and his birthday has no year: both kept in the note.
    assert (tomasz.record, tomasz.address, tomasz.birthday) == ("line 5", None, None)
    assert tomasz.note == "Work address: ul. Marszałkowska 10, 00-590 Warszawa, Poland\nBirthday: 17 May"


def test_google_newer_export_with_labels():
    _, _, _, (lars, anna), problems = _read("google.csv")
    assert problems == []
    assert (lars.name, lars.organisation, lars.title) == ("Lars Holm", "Holm & Sønn", "Partner")
    assert lars.emails == (("work", "lars@holm.example"), ("other", "lars.holm@post.example"))
    assert lars.phones == (("mobile", "+47 930 00 300"),)
    assert anna.phones == (("home", "+47 55 00 00 00"),)


def test_linkedin_notes_above_the_header():
    table, _, _, (kari, jonas), problems = _read("linkedin.csv")
    assert table.header == (
        "First Name",
        "Last Name",
        "URL",
        "Email Address",
        "Company",
        "Position",
        "Connected On",
    )
    assert problems == []
    assert (kari.record, kari.name, kari.emails, kari.title) == (
        "line 5",
        "Kari Nordmann",
        (),
        "Head of Drilling",
    )
    assert kari.note == "URL: https://www.linkedin.com/in/karinordmann\nConnected On: 12 Mar 2021"
    assert (jonas.organisation, jonas.emails) == ("Lie, Berg & Co", (("other", "jonas.lie@post.example"),))


def test_salesforce_and_hubspot():
    _, _, _, (hanne, erik), problems = _read("salesforce.csv")
    assert problems == []
    assert (hanne.name, hanne.organisation, hanne.title, hanne.department) == (
        "Hanne Vik",
        "Nordlys Energi",
        "VP Operations",
        "Operations",
    )
    assert hanne.phones == (("work", "+47 22 11 00 10"), ("mobile", "+47 915 22 333"))
    assert (hanne.birthday, hanne.uid, hanne.address) == (dt.date(1979, 8, 24), "0035g00000XyZ1AAA", None)
    assert (erik.uid, erik.birthday, erik.note) == ("0035g00000XyZ2AAA", None, None)
    _, _, _, (siri, ola), problems = _read("hubspot.csv")
    assert problems == []
    assert (siri.name, siri.organisation, siri.title, siri.uid) == (
        "Siri Nilsen",
        "Fjørd Fisk AS",
        "Sales Director",
        "51",
    )
    assert siri.phones == (("work", "+47 77 00 00 40"), ("mobile", "+47 940 00 400"))
    assert (ola.organisation, ola.phones) == (None, ())


def test_a_row_that_cannot_be_read_is_reported_and_the_rest_are_read():
    table, _, _, cards, problems = _read("european_excel.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert [(card.record, card.name) for card in cards] == [
        ("line 2", "Åse Ødegård"),
        ("line 4", "Geir Haug"),
    ]
    assert cards[0].birthday == dt.date(1972, 4, 3)  # dots: day first
    assert cards[0].note == "Bruker alltid «du»"
    assert (cards[1].birthday, cards[1].note) == (
        None,
        "Birthday: 31.02.1970",
    )  # no such day, kept as written
    assert problems == [
        CardProblem("line 3", "it has no name: Name is empty; the row is left out"),
        CardProblem(
            "line 5 (Trine Lund)",
            "it has 8 cells but the header names 6 columns (a missing quote or an extra delimiter?)",
        ),
    ]


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        (b"Name\tEmail\r\nKari Nordmann\tkari@example.com\r\n", "utf-8", "\t"),
        (codecs.BOM_UTF8 + "Name,Email\nÅse Ødegård,ase@example.com\n".encode(), "utf-8", ","),
        (
            codecs.BOM_UTF16_LE + "Name;Email\r\nÅse Ødegård;ase@example.com\r\n".encode("utf-16-le"),
            "utf-16-le",
            ";",
        ),
        ("Name,Email\nÅse Ødegård,ase@example.com\n".encode("utf-16-le"), "utf-16-le", ","),
        ('Name;Address\n"Ødegård, Åse";"Storgata 1, Oslo"\n'.encode("cp1252"), "cp1252", ";"),
    ],
)
def test_encodings_and_delimiters_found(data, encoding, delimiter):
    table = read_csv_table(data, source="people.csv")
    assert (table.encoding, table.delimiter) == (encoding, delimiter)
    assert table.header[0] == "Name"
    (card,), problems = cards_from_table(table, guess_mapping(table.header)[0])
    assert problems == []
    assert card.name in ("Kari Nordmann", "Åse Ødegård", "Ødegård, Åse")


def test_a_file_without_a_header_or_text_is_refused_naming_it():
    with pytest.raises(BundleError, match=r"^empty\.csv has no header row"):
        read_csv_table(b"\r\n\r\n", source="empty.csv")
    with pytest.raises(BundleError, match=r"^book\.csv is not a CSV file: it is not text"):
        read_csv_table(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", source="book.csv")


def test_slash_dates_are_month_first_unless_the_column_shows_otherwise():
    header = "Name,Birthday\n"
    us = read_csv_table((header + "Kari,03/04/1971\n").encode(), source="us.csv")
    uk = read_csv_table((header + "Kari,03/04/1971\nPer,17/05/1971\n").encode(), source="uk.csv")
    mapping = {"Name": "name", "Birthday": "birthday"}
    assert cards_from_table(us, mapping)[0][0].birthday == dt.date(1971, 3, 4)
    assert [card.birthday for card in cards_from_table(uk, mapping)[0]] == [
        dt.date(1971, 4, 3),
        dt.date(1971, 5, 17),
    ]


def test_parse_mapping_overrides_and_names_what_is_wrong():
    header = ("First Name", "Last Name", "E-mail Address", "Title")
    assert parse_mapping(
        ["e-mail address=email_home", "Title=ignore", "First Name = given_name"], header
    ) == {
        "E-mail Address": "email_home",
        "Title": IGNORE,
        "First Name": "given_name",
    }
    with pytest.raises(
        ValidationError, match=r"“Email=email_work”: the file has no column “Email”; its columns"
    ):
        parse_mapping(["Email=email_work"], header)
    with pytest.raises(ValidationError, match=r"“Title=job”: “job” is not a field .*name, given_name"):
        parse_mapping(["Title=job"], header)
    with pytest.raises(ValidationError, match=r"“Title” is not COLUMN=FIELD"):
        parse_mapping(["Title"], header)


def test_a_mapping_without_a_name_or_with_an_unknown_field_is_refused():
    table = read_csv_table(b"Email,Phone\nkari@example.com,+47 1\n", source="people.csv")
    assert guess_mapping(table.header) == ({"Email": "email_work", "Phone": "phone_work"}, None)
    with pytest.raises(ValidationError, match=r"No column of people\.csv is mapped to a name"):
        cards_from_table(table, {"Email": "email_work"})
    with pytest.raises(ValidationError, match=r"“Phone” is mapped to “telephone”"):
        cards_from_table(table, {"Email": "name", "Phone": "telephone"})
    (card,), _ = cards_from_table(table, {"Email": "name", "Phone": "phone_mobile"})
    assert (card.name, card.phones) == ("kari@example.com", (("mobile", "+47 1"),))


def _cards(data: bytes):
    table = read_csv_table(data, source="people.csv")
    return cards_from_table(table, guess_mapping(table.header)[0])


@pytest.mark.parametrize(
    "after",
    [
        "Ola,Hansen,ola@x.no\nPer,Berg,per@x.no\n",  # the quote runs to the end of the file
        'Ola,Hansen,"ola@x.no"\nPer,Berg,per@x.no\n',  # a later line's quote would close it
    ],
    ids=["never closed", "closed by a later line"],
)
def test_a_quote_left_open_is_told_on_one_line_and_the_rows_after_it_are_still_read(after):
    cards, problems = _cards(
        ('First Name,Last Name,E-mail Address\nKari,"Nordmann,kari@x.no\n' + after).encode()
    )
    assert [(card.record, card.name, card.emails) for card in cards] == [
        ("line 3", "Ola Hansen", (("work", "ola@x.no"),)),
        ("line 4", "Per Berg", (("work", "per@x.no"),)),
    ]
    last = 4 if after.startswith("Ola,Hansen,ola") else 3
    assert problems == [
        CardProblem(
            "line 2",
            f"line 2: a quote opened in “Last Name” is never closed, so lines 2–{last} would be read as one"
            " cell; line 2 is left out and the lines after it are read; close the quote or remove it",
        )
    ]


def test_a_cell_over_the_field_limit_is_told_as_a_quote_left_open_and_the_rest_is_read():
    data = b'Name,Notes\nKari Nordmann,"' + b"x" * 140_000 + b"\nOla Hansen,a note\n"
    cards, problems = _cards(data)
    assert [(card.record, card.name, card.note) for card in cards] == [("line 3", "Ola Hansen", "a note")]
    assert problems == [
        CardProblem(
            "line 2",
            "line 2: a cell is over 128 KB: a quote that is never closed? line 2 is left out and the lines"
            " after it are read; close the quote or remove it",
        )
    ]


def test_a_cell_that_holds_line_breaks_as_it_should_is_no_problem():
    cards, problems = _cards(
        b'Name,Notes\nKari Nordmann,"first line\nsecond ""quoted"" line"\nOla Hansen,x\n'
    )
    assert problems == []
    assert [(card.record, card.note) for card in cards] == [
        ("line 2", 'first line\nsecond "quoted" line'),
        ("line 4", "x"),
    ]
