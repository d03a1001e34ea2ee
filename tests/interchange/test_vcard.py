"""vCard in (2.1, 3.0, 4.0 as phones, Apple and Android write them) and out, checked by two other parsers."""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import io
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vcard.vcard_errors import VCardError
from vcard.vcard_validator import VCard
from vobject.base import VObjectError, getLogicalLines, textLineToContentLine

from companion.core.contact_cards import Card, CardProblem
from companion.interchange.vcard import _logical_lines, _Property, cards_to_vcf, parse_vcards, read_vcards
from companion.model.errors import BundleError, ValidationError

SAMPLES = Path(__file__).parent / "samples" / "contacts"


def _card(text: str) -> Card:
    cards, problems = parse_vcards(text.replace("\n", "\r\n").encode("utf-8"), source="test.vcf")
    assert problems == []
    (card,) = cards
    return card


def test_apple_3_0_grouped_properties_labels_photo_and_units():
    (kari, per), problems = read_vcards(SAMPLES / "apple_3.0.vcf")
    assert problems == []
    assert (kari.record, kari.name, kari.given_name, kari.family_name) == (
        "card 1",
        "Kari Nordmann",
        "Kari",
        "Nordmann",
    )
    assert (kari.organisation, kari.department, kari.title) == (
        "Halvorsen Offshore",
        "Drilling, Rigs",
        "Head of Drilling",
    )
    # item1.X-ABLabel says Work, item2's says Other; a label of the person's own (Cabin) is "other"; a fax is
    # no number to call.
    assert kari.emails == (("work", "kari.nordmann@halvorsen.example"), ("other", "kari@hjemme.example"))
    assert kari.phones == (
        ("mobile", "+47 912 34 567"),
        ("work", "+47 22 33 44 55"),
        ("other", "+47 55 66 77 88"),
        ("other", "+47 22 33 44 56"),
    )
    assert kari.address == "Storgata 1\n0150 Oslo\nNorway"
    assert kari.has_photo is True
    assert kari.uid == "5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE"
    # Apple's year 1604 with X-APPLE-OMIT-YEAR is a birthday without a year: no date, but not lost; the
    # work address (item6, labelled Work) is kept in the note too.
    assert kari.birthday is None
    assert kari.note == (
        "Prefers mornings, never Fridays.\nLikes sailing.\n\n"
        "Work address: Forusbeen 50, 4035 Stavanger, Norway\nBirthday: 17 May"
    )
    assert (per.organisation, per.department, per.birthday, per.has_photo) == (
        "Halvorsen Offshore",
        None,
        dt.date(1971, 5, 17),
        False,
    )


def test_android_2_1_quoted_printable_charsets_and_base64_photos():
    (bjorn, ola), problems = read_vcards(SAMPLES / "android_2.1.vcf")
    assert problems == []
    assert (bjorn.name, bjorn.given_name, bjorn.family_name) == ("Bjørn Sørensen", "Bjørn", "Sørensen")
    assert bjorn.organisation == "Fjørd Fisk AS"  # CHARSET=ISO-8859-1, quoted-printable
    assert bjorn.note == "Møtt på messen i Tromsø.\nVil ha tilbud før jul."  # =0D=0A and a soft line break
    assert bjorn.phones == (("mobile", "+4799887766"), ("work", "+4722334455"), ("home", "+4733445566"))
    assert bjorn.emails == (("home", "bjorn@hjemme.example"),)
    assert bjorn.birthday == dt.date(1980, 2, 29)
    assert bjorn.has_photo is True
    # Ola's photo runs on over unindented lines, as some 2.1 writers do; 2.1 does not escape commas.
    assert (ola.name, ola.phones, ola.has_photo) == ("Ola Berg", (("mobile", "+4790011223"),), True)
    assert ola.note == "Met at the fair, Oslo"


def test_vcard_4_0_type_lists_uris_several_organisations_and_folded_lines():
    (ingrid, tomasz, lars), problems = read_vcards(SAMPLES / "rfc_4.0.vcf")
    assert problems == []
    assert (ingrid.name, ingrid.organisation, ingrid.department) == (
        "Ingrid Dahl",
        "Nordlys Energi",
        "Finance, Treasury",
    )
    assert ingrid.emails == (("work", "ingrid.dahl@nordlys.example"), ("home", "ingrid@dahl.example"))
    assert ingrid.phones == (("work", "+47-22-11-00-99"), ("mobile", "+47-915-00-111"))  # tel: URIs
    assert ingrid.address == "Bygdøy allé 5\n0257 Oslo\nNorway"  # the home one; the work one in the note
    assert ingrid.note == (
        "Chairs the budget committee.\n\n"
        "Other organisation: Oslo Sailing Club\nWork address: Kongens gate 2, 0153 Oslo, Norway"
    )
    assert (ingrid.birthday, ingrid.has_photo) == (dt.date(1975, 3, 2), True)  # a photo by URI
    assert ingrid.uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert (tomasz.name, tomasz.birthday) == ("Tomasz Wiśniewski", None)
    assert tomasz.note == "Work address: ul. Marszałkowska 10, 00-590 Warszawa, Poland\nBirthday: 17 May"
    assert (lars.given_name, lars.family_name, lars.birthday) == (None, None, dt.date(1968, 11, 3))
    assert lars.note.endswith("octets as the standard asks, with the rest of it on the next line.")


@pytest.mark.parametrize(
    ("bday", "birthday", "note"),
    [
        ("1971-05-17", dt.date(1971, 5, 17), None),
        ("19710517", dt.date(1971, 5, 17), None),
        ("1971-05-17T00:00:00Z", dt.date(1971, 5, 17), None),
        ("--0517", None, "Birthday: 17 May"),
        ("1971-02-30", None, "Birthday: 1971-02-30"),
        ("circa 1970", None, "Birthday: circa 1970"),
    ],
)
def test_birthday_forms(bday, birthday, note):
    card = _card(f"BEGIN:VCARD\nVERSION:4.0\nFN:Kari Nordmann\nBDAY:{bday}\nEND:VCARD\n")
    assert (card.birthday, card.note) == (birthday, note)


def test_name_from_structured_parts_and_formatted_address_label():
    card = _card(
        "BEGIN:VCARD\nVERSION:4.0\nN:Nordmann;Kari;Anne;Dr.;\n"
        'ADR;LABEL="Storgata 1^n0150 Oslo":;;;;;;\nEND:VCARD\n'
    )
    assert (card.name, card.given_name, card.family_name) == ("Dr. Kari Anne Nordmann", "Kari", "Nordmann")
    assert card.address == "Storgata 1\n0150 Oslo"


def test_writers_quirks_are_read_and_what_has_no_field_is_kept_in_the_note():
    card = _card(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Kari Nordmann\nN:Nordmann;Kari;;;;extra\n"
        "NOTE:First line\nsecond line the writer did not fold\n"
        "ADR;TYPE=home:;;Storgata 1;Oslo;;0150;\nADR;TYPE=home:;;Hytteveien 2;Geilo;;3580;\n"
        "item1.ADR:;;Sjøgata 3;Bodø;;8006;\nitem1.X-ABLabel:boat\n"
        "TITLE:Head of Drilling\nROLE:Budget owner\nX-BROKEN-EXTENSION without a colon\nEND:VCARD\n"
    )
    assert (card.given_name, card.family_name, card.title) == ("Kari", "Nordmann", "Head of Drilling")
    assert card.address == "Storgata 1\n0150 Oslo"
    assert card.note == (
        "First line\nsecond line the writer did not fold\n\n"
        "Role: Budget owner\nHome address: Hytteveien 2, 3580 Geilo\nBoat address: Sjøgata 3, 8006 Bodø"
    )


def test_a_card_that_cannot_be_read_is_reported_and_the_rest_are_read():
    cards, problems = read_vcards(SAMPLES / "broken.vcf")
    assert [(card.record, card.name) for card in cards] == [
        ("card 1", "Anna Berg"),
        ("card 2", "Kari Nordmann"),
        ("card 5", "Jonas Lie"),
    ]
    assert problems == [
        CardProblem(
            "card 2 (Kari Nordmann)",
            "line 11: “this line is no property” is not a vCard property (NAME:value); that line was left out",
        ),
        CardProblem("card 3", "line 13: it has no name (no FN or N)"),
        CardProblem("card 4", "line 17: it has no name (no FN or N)"),
        CardProblem(
            "card 4",
            "line 19: its text cannot be decoded (unknown encoding: X-KLINGON); that line was left out",
        ),
        CardProblem("card 6 (Cut Short)", "line 27: it has no END:VCARD (the file may be cut short)"),
    ]


def test_a_line_that_is_no_property_is_left_out_and_named_and_the_card_keeps_the_rest():
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Only Garbage\r\nEMAIL;TYPE=work:garbage@example.com\r\nNOCOLON\r\n"
        "TEL;TYPE=cell:+47 912 34 567\r\nEND:VCARD\r\n"
    )
    (card,), problems = parse_vcards(text.encode("utf-8"), source="test.vcf")
    assert (card.name, card.emails, card.phones) == (
        "Only Garbage",
        (("work", "garbage@example.com"),),
        (("mobile", "+47 912 34 567"),),
    )
    assert problems == [
        CardProblem(
            "card 1 (Only Garbage)",
            "line 5: “NOCOLON” is not a vCard property (NAME:value); that line was left out",
        )
    ]


def test_a_file_with_no_card_or_no_text_is_refused_naming_it(tmp_path):
    with pytest.raises(
        BundleError, match=r"^contacts\.vcf is not a vCard \(\.vcf\) file: it has no BEGIN:VCARD"
    ):
        parse_vcards(b"First Name,Last Name\nKari,Nordmann\n", source="contacts.vcf")
    with pytest.raises(BundleError, match=r"^photo\.vcf is not a vCard \(\.vcf\) file: it is not text"):
        parse_vcards(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", source="photo.vcf")
    with pytest.raises(BundleError, match="There is no file"):
        read_vcards(tmp_path / "missing.vcf")


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("cp1252"),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: text.encode("utf-16-le"),  # as some Windows tools write it, without a BOM
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    ],
    ids=["cp1252", "utf-16 with BOM", "utf-16 without BOM", "utf-8 with BOM"],
)
def test_files_in_any_encoding(tmp_path, encode):
    path = tmp_path / "export.vcf"
    path.write_bytes(
        encode("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Åse Ødegård\r\nN:Ødegård;Åse;;;\r\nEND:VCARD\r\n")
    )
    (card,), problems = read_vcards(path)
    assert (card.name, card.given_name, card.family_name, problems) == ("Åse Ødegård", "Åse", "Ødegård", [])


def test_a_problem_names_the_line_its_property_starts_on_past_folds_and_blank_lines():
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kari Nordmann\r\nNOTE:a note folded\r\n  over two lines\r\n\r\n"
        "EMAIL:kari@example.com\r\nthis line is no property\r\nEND:VCARD\r\nBEGIN:VCARD\r\nEMAIL:nobody@example.com\r\nEND:VCARD\r\n"
    )
    cards, problems = parse_vcards(text.encode("utf-8"), source="test.vcf")
    assert [(card.name, card.emails) for card in cards] == [
        ("Kari Nordmann", (("other", "kari@example.com"),))
    ]
    assert problems == [
        CardProblem(
            "card 1 (Kari Nordmann)",
            "line 8: “this line is no property” is not a vCard property (NAME:value); that line was left out",
        ),
        CardProblem("card 2", "line 10: it has no name (no FN or N)"),
    ]


def test_a_second_encoding_beside_quoted_printable_is_read_by_the_charset():
    card = _card(
        "BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE;ENCODING=8BIT;CHARSET=UTF-8:Bj=C3=B8rn\nEND:VCARD\n"
    )
    assert card.name == "Bjørn"


# ---- export ----


def _sample_cards() -> list[Card]:
    cards = []
    for name in ("apple_3.0.vcf", "android_2.1.vcf", "rfc_4.0.vcf"):
        cards.extend(read_vcards(SAMPLES / name)[0])
    return cards


def test_vcard_3_0_export_passes_the_rfc_2426_validator():
    data = cards_to_vcf(_sample_cards(), version="3.0")
    texts = [part + "END:VCARD\r\n" for part in data.decode("utf-8").split("END:VCARD\r\n")[:-1]]
    assert len(texts) == 7
    for text in texts:
        # RFC 2426's grammar is over octets (NON-ASCII = %x80-FF); the validator checks characters, so it is
        # given the file's octets one a character.
        octets = text.encode("utf-8").decode("latin-1")
        try:
            vcard = VCard(octets)
        except VCardError as exc:
            pytest.fail(f"{exc}\n{text}")
        assert {prop.name for prop in vcard.properties} >= {"BEGIN", "VERSION", "FN", "N", "END"}
    kari = VCard(texts[0].encode("utf-8").decode("latin-1"))
    values = {
        (prop.name, tuple(sorted((prop.parameters or {}).get("TYPE", ())))): prop.values
        for prop in kari.properties
    }
    assert values[("N", ())] == [["Nordmann"], ["Kari"], [""], [""], [""]]
    assert values[("TEL", ("cell",))] == [["+47 912 34 567"]]
    assert values[("EMAIL", ("internet", "work"))] == [["kari.nordmann@halvorsen.example"]]
    assert values[("ORG", ())] == [["Halvorsen Offshore"], ["Drilling\\, Rigs"]]  # escapes kept
    assert values[("ADR", ("home",))][2] == ["Storgata 1\\n0150 Oslo\\nNorway"]


def test_vcard_4_0_export_reads_in_icalendars_content_line_parser():
    cards = _sample_cards()
    data = cards_to_vcf(cards)
    components = icalendar.Component.from_ical(data.decode("utf-8"), multiple=True)
    assert [component.name for component in components] == ["VCARD"] * len(cards)
    assert all(str(component["VERSION"]) == "4.0" for component in components)
    lines = [line.parts() for line in icalendar.parser.Contentlines.from_ical(data.decode("utf-8")) if line]
    start = next(i for i, (name, _, value) in enumerate(lines) if name == "FN" and value == "Ingrid Dahl")
    begin = max(i for i in range(start) if lines[i][0] == "BEGIN")
    end = next(i for i in range(start, len(lines)) if lines[i][0] == "END")
    ingrid = [(name, dict(params), value) for name, params, value in lines[begin : end + 1]]
    assert ingrid[1] == ("VERSION", {}, "4.0")
    assert ("TEL", {"TYPE": "cell"}, "+47-915-00-111") in ingrid
    assert ("EMAIL", {"TYPE": "home"}, "ingrid@dahl.example") in ingrid
    assert ("BDAY", {}, "19750302") in ingrid
    assert ("UID", {}, "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1") in ingrid
    assert ("N", {}, "Dahl;Ingrid;;;") in ingrid
    assert ("ORG", {}, "Nordlys Energi;Finance, Treasury") in ingrid


def test_export_splits_a_name_without_parts_and_keeps_no_photo():
    card = Card(record="card 1", name="Kari Anne Nordmann", organisation=None, has_photo=True, uid="k-1")
    text = cards_to_vcf([card]).decode("utf-8")
    assert "N:Nordmann;Kari Anne;;;\r\n" in text
    assert "UID:k-1\r\n" in text
    assert "PHOTO" not in text and "ORG" not in text
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    with pytest.raises(ValidationError, match=r"4\.0 or 3\.0"):
        cards_to_vcf([card], version="2.1")


def test_export_folds_a_line_short_in_characters_but_long_in_octets():
    card = Card(record="card 1", name="漢字" * 15, given_name="漢字", family_name="漢字" * 14)
    data = cards_to_vcf([card])
    assert b"\r\n FN" not in data and max(len(line) for line in data.split(b"\r\n")) <= 75
    assert parse_vcards(data, source="x.vcf") == ([card], [])


# ---- round trip ----

# Letters of several scripts, digits, and every character vCard escapes or splits on.
_word = st.text("abcxyzABCÆØÅæøåéüßłśź漢字й0189-'.,;:\\\"/&()+!?^=@", min_size=1, max_size=10)
_phrase = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_optional = st.none() | _phrase
_ascii = st.text("abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=10)
_email = st.builds("{}@{}.example".format, _ascii, _ascii)
_phone = st.builds("+{}".format, st.text("0123456789 ", min_size=4, max_size=14).map(str.strip).filter(bool))


@st.composite
def _cards(draw) -> list[Card]:
    cards = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        given_name, family_name = draw(st.tuples(_optional, _optional).filter(lambda parts: any(parts)))
        cards.append(
            Card(
                record=f"card {number}",
                name=draw(_phrase),
                given_name=given_name,
                family_name=family_name,
                organisation=draw(_optional),
                title=draw(_optional),
                department=draw(_optional),
                emails=tuple(
                    draw(st.lists(st.tuples(st.sampled_from(("work", "home", "other")), _email), max_size=3))
                ),
                phones=tuple(
                    draw(
                        st.lists(
                            st.tuples(
                                st.sampled_from(("work", "home", "mobile", "other")),
                                _phone,
                            ),
                            max_size=3,
                        )
                    )
                ),
                address=draw(st.none() | st.lists(_phrase, min_size=1, max_size=4).map("\n".join)),
                birthday=draw(st.none() | st.dates()),
                note=draw(st.none() | st.lists(_phrase, min_size=1, max_size=3).map("\n".join)),
                uid=draw(st.none() | st.uuids().map(lambda uuid: f"urn:uuid:{uuid}")),
            )
        )
    return cards


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cards=_cards(), version=st.sampled_from(("4.0", "3.0")))
def test_what_a_card_holds_round_trips(cards, version):
    back, problems = parse_vcards(cards_to_vcf(cards, version=version), source="round.vcf")
    assert problems == []
    assert back == cards


def test_round_trip_keeps_escapes_and_folding_of_long_non_ascii_lines():
    card = Card(
        record="card 1",
        name="Zoë Ångström-Łukasiewicz",
        given_name="Zoë",
        family_name="Ångström-Łukasiewicz",
        organisation="Holm; Sønn, & Co\\",
        department="Sales, Nordics",
        note="漢字 " * 40 + "\nsecond line; with, punctuation: \\n literal",
    )
    for version in ("4.0", "3.0"):
        data = cards_to_vcf([card], version=version)
        assert max(len(line) for line in data.split(b"\r\n")) <= 75
        assert parse_vcards(data, source="x.vcf") == ([card], [])


_property = st.sampled_from(
    ("FN", "N", "ORG", "TEL", "EMAIL", "ADR", "BDAY", "NOTE", "PHOTO", "item1.X-ABLabel", "X-A")
)
_parameter = st.sampled_from(
    (
        "",
        ";TYPE=WORK",
        ";ENCODING=QUOTED-PRINTABLE;CHARSET=latin-1",
        ";ENCODING=b",
        ";CHARSET=X-NONE",
        ";=",
        ";TYPE",
    )
)
_value = _word | st.sampled_from(
    ("=C3=B8", "=ZZ=", "1604-05-17", "--0517", ";;;;;;;;", "\\", "tel:", "END:VCARD")
)
_line = st.builds("{}{}:{}".format, _property, _parameter, _value) | _word


@settings(max_examples=75, deadline=None)
@given(lines=st.lists(_line, max_size=8))
def test_whatever_a_card_holds_it_is_read_or_reported_never_a_traceback(lines):
    text = "\r\n".join(
        ("BEGIN:VCARD", "VERSION:2.1", *lines, "END:VCARD", "BEGIN:VCARD", "FN:Per", "END:VCARD")
    )
    cards, problems = parse_vcards(text.encode("utf-8"), source="any.vcf")
    assert cards[-1].name == "Per"
    assert all(problem.reason.startswith("line ") for problem in problems)


# ---- the reader's own content lines are vobject's ----

_line_name = st.sampled_from(("FN", "tel", "item1.X-ABLabel", "a.b.N", "N_X", "E MAIL", "", "x_y.ADR"))
_line_parameters = st.lists(
    st.sampled_from(
        (
            ";TYPE=WORK",
            ";type=work,voice",
            ';TYPE="work,cell"',
            ";WORK",
            ";QUOTED-PRINTABLE",
            ";ENCODING=QUOTED-PRINTABLE",
            ";CHARSET=latin-1",
            ";ENCODING=b",
            ";=",
            ';LABEL="a;b:c"',
        )
    ),
    max_size=3,
).map("".join)
_line_value = _word | st.sampled_from(("", "Bj=C3=B8rn", "=E6", "=ZZ=", "a\\,b;c", "x:y"))


@settings(max_examples=100, deadline=None)
@given(line=st.builds("{}{}:{}".format, _line_name, _line_parameters, _line_value) | _word)
def test_a_content_line_is_read_as_vobjects_content_line_reads_it(line):
    try:
        expected = textLineToContentLine(line, 1)
    except TypeError:  # vobject takes a second ENCODING for the charset and fails; the reader uses CHARSET
        # Octets that are not in the charset are refused as any such line is (the card names it).
        with contextlib.suppress(LookupError, ValueError):
            assert _Property(line, 1).name
        return
    except (VObjectError, LookupError, ValueError) as exc:
        with pytest.raises(type(exc)):
            _Property(line, 1)
        return
    read = _Property(line, 1)
    assert (read.name, read.group, read.params, read.singletons, read.value) == (
        expected.name,
        expected.group,
        expected.params,
        expected.singletonparams,
        expected.value,
    )


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(
        _word | st.sampled_from(("FN:Kari", " folded", "\tfolded", "", "  ", "NOTE:x=")), max_size=10
    )
)
def test_folded_lines_are_joined_as_vobjects_line_reader_joins_them(lines):
    text = "\n".join(lines)
    expected = [line for line, _ in getLogicalLines(io.StringIO(text), allowQP=False)]
    assert [line for line, _ in _logical_lines(text)] == expected
