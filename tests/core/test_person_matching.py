"""Telling one person from another: emails, phone numbers and names compared as people write them."""

from __future__ import annotations

import pytest

from companion.core.person_matching import (
    PeopleIndex,
    check_region,
    display_phone,
    name_similarity,
    normal_email,
    normal_phone,
)
from companion.model.errors import ValidationError


def test_emails_compare_without_case_spaces_or_mailto():
    assert normal_email(" mailto:Kari.Nordmann@Firma.NO ") == "kari.nordmann@firma.no"
    assert normal_email("kari.nordmann@firma.no") == normal_email("KARI.NORDMANN@firma.no")


@pytest.mark.parametrize(
    ("written", "region", "normal"),
    [
        ("+47 22 12 34 56", None, "+4722123456"),
        ("0047 22123456", None, "+4722123456"),
        ("+47-22-12-34-56", "DE", "+4722123456"),  # a country code wins over the region
        ("22 12 34 56", "NO", "+4722123456"),
        ("22 12 34 56", None, "22123456"),  # no region: compared by its digits
        ("+44 (0)20 7946 0000", None, "+442079460000"),
        ("+1 650-253-0000 ext. 123", None, "+16502530000"),
        ("(22) 12-34-56 x7", None, "22123456"),
        ("ring me", None, None),
    ],
)
def test_phone_numbers_compare_in_e164_or_by_their_digits(written, region, normal):
    assert normal_phone(written, region=region) == normal


def test_phone_numbers_are_stored_in_their_international_form():
    assert display_phone("0047 22123456", region=None) == "+47 22 12 34 56"
    assert display_phone("22123456", region="NO") == "+47 22 12 34 56"
    assert display_phone(" 22  12 34 56 ", region=None) == "22 12 34 56"  # as written, spaces tidied


def test_a_region_is_a_country_code_phone_numbers_know():
    assert check_region("no") == "NO"
    assert check_region(None) is None
    with pytest.raises(ValidationError, match="'XX' is not a region"):
        check_region("XX")


def test_names_compare_whatever_their_order_accents_and_case():
    assert name_similarity("Nordmann, Kari", "Kari Nordmann") == 100
    assert name_similarity("Bjørn Ødegård", "BJORN ODEGARD") == 100
    assert name_similarity("Kari Nordman", "Kari Nordmann") >= 90
    assert name_similarity("Kari Nordmann", "Per Lunde") < 50


def test_the_index_finds_people_by_email_phone_and_name_at_their_client(workspace):
    client = workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    other_client = workspace.create(kind="client", values={"name": "Nordkyst"}).created_id
    kari = workspace.create(
        kind="contact",
        values={"name": "Kari Nordmann", "emails": ["kari@home.no"], "phones": ["+47 900 11 222"]},
    ).created_id
    workspace.create(
        kind="position",
        values={
            "contact_id": kari,
            "client_id": client,
            "work_email": "Kari@HOS.no",
            "work_phone": "22 12 34 56",
        },
    )
    per = workspace.create(kind="contact", values={"name": "Per Lunde"}).created_id
    workspace.create(kind="position", values={"contact_id": per, "client_id": other_client})

    index = PeopleIndex.of(workspace, region="NO")
    assert index.by_email("kari@home.no") == {kari}
    assert index.by_email(normal_email("kari@hos.NO")) == {kari}
    assert index.by_phone(normal_phone("0047 90011222", region="NO")) == {kari}
    assert index.by_phone(normal_phone("+47 22 12 34 56", region="NO")) == {kari}
    assert index.by_phone(normal_phone("+47 22 12 34 57", region="NO")) == set()
    assert index.similar_at(client, "Nordmann Kari") == [(kari, 100)]
    assert [hit[0] for hit in index.similar_at(client, "Kari Nordman")] == [kari]
    assert index.similar_at(other_client, "Kari Nordmann") == []
    assert index.same_name("per lunde") == [per]
    # Without a region, a number written without its country code is only its digits.
    plain = PeopleIndex.of(workspace, region=None)
    assert plain.by_phone("+4722123456") == set()
    assert plain.by_phone("22123456") == {kari}
