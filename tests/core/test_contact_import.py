"""Importing people from an address book: matched against the workspace, previewed, written as one change."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core.contact_cards import Card, CardProblem
from companion.core.contact_import import (
    Candidate,
    apply_import,
    cards_for_export,
    default_choice,
    preview_import,
)
from companion.model.errors import ValidationError


@pytest.fixture
def people(workspace) -> dict[str, str]:
    """Halvorsen Offshore (alias HOS) with Kari Nordmann, its CFO; Per Lunde, who holds no role."""
    ids = {
        "client": workspace.create(
            kind="client", values={"name": "Halvorsen Offshore", "aliases": ["HOS"]}
        ).created_id
    }
    ids["kari"] = workspace.create(
        kind="contact",
        values={"name": "Kari Nordmann", "emails": ["kari@home.no"], "phones": ["+47 900 11 222"]},
    ).created_id
    ids["cfo"] = workspace.create(
        kind="position",
        values={
            "contact_id": ids["kari"],
            "client_id": ids["client"],
            "title": "CFO",
            "work_email": "kari@hos.no",
        },
    ).created_id
    ids["per"] = workspace.create(kind="contact", values={"name": "Per Lunde"}).created_id
    return ids


def _rows(preview) -> dict[str, object]:
    return {row.card.record: row for row in preview.rows}


def test_each_card_is_new_the_same_person_or_possibly_one(workspace, people):
    cards = [
        Card("card 1", "Ingrid Dahl", organisation="Halvorsen Offshore", title="Buyer"),
        Card("card 2", "K. Nordmann", emails=(("home", "KARI@home.no"),), phones=(("work", "22 12 34 56"),)),
        Card("card 3", "Kari Nordman", organisation="hos"),
        Card("card 4", "Kari Nordmann", phones=(("mobile", "0047 90011222"),)),
        Card("card 5", "Info Desk", emails=(("work", "kari@hos.no"),)),
    ]
    rows = _rows(preview_import(workspace, cards=cards, region="NO"))

    assert rows["card 1"].status == "new" and rows["card 1"].match is None
    assert rows["card 1"].client_id == people["client"] and rows["card 1"].client_name == "Halvorsen Offshore"
    assert rows["card 1"].adds == ("position Buyer at Halvorsen Offshore",)
    assert rows["card 2"].status == "same"
    assert rows["card 2"].match == Candidate(
        people["kari"], "Kari Nordmann", "Halvorsen Offshore", "same email KARI@home.no", 100
    )
    # No client named: a work phone is the person's own.
    assert rows["card 2"].adds == ("phone +47 22 12 34 56",)
    assert rows["card 3"].status == "possible" and rows["card 3"].match.contact_id == people["kari"]
    assert rows["card 3"].match.why.startswith("similar name (") and rows["card 3"].match.why.endswith(
        "at Halvorsen Offshore"
    )
    assert rows["card 3"].adds == ()
    assert rows["card 4"].status == "same" and rows["card 4"].match.why == "same phone +47 90 01 12 22"
    # The same address as Kari's work email, but another name: a shared mailbox, not Kari.
    assert rows["card 5"].status == "possible" and rows["card 5"].match.contact_id == people["kari"]
    assert [default_choice(rows[r]) for r in ("card 1", "card 2", "card 5")] == [
        ("create", None),
        ("merge", people["kari"]),
        ("skip", None),
    ]


def test_importing_writes_people_their_roles_and_notes_in_one_undo_step(workspace, people):
    cards = [
        Card(
            "card 1", "Ingrid Dahl", organisation="HOS", title="Head of Procurement", department="Purchasing",
            emails=(("work", "ingrid@hos.no"), ("home", "ingrid@gmail.com"), ("work", "ingrid.dahl@hos.no")),
            phones=(("work", "+47 22 12 34 99"), ("mobile", "+47 41 00 00 01")),
            birthday=dt.date(1979, 5, 17), address="Storgata 1\n0155 Oslo", note="Met at ONS 2026.",
        ),
        Card("card 2", "Kari Nordmann", emails=(("work", "kari@hos.no"),), birthday=dt.date(1975, 2, 1), organisation="HOS", department="Finance"),
    ]  # fmt: skip
    preview = preview_import(workspace, cards=cards)
    assert [row.status for row in preview.rows] == ["new", "same"]
    assert preview.rows[1].adds == ("department Finance at Halvorsen Offshore", "birthday 1975-02-01")
    done = apply_import(workspace, preview=preview)
    assert done.merged == (people["kari"],) and done.unchanged == 0 and done.skipped == ()
    (ingrid_id,) = done.created
    ingrid = workspace.get(kind="contact", id=ingrid_id)
    assert ingrid["emails"] == ["ingrid@gmail.com", "ingrid.dahl@hos.no"]  # the second work email: her own
    assert ingrid["phones"] == ["+47 41 00 00 01"]
    assert (ingrid["birthday"], ingrid["address"]) == ("1979-05-17", "Storgata 1\n0155 Oslo")
    (role,) = workspace.list(kind="position", where={"contact_id": ingrid_id})
    assert (role["client_id"], role["title"], role["department"]) == (
        people["client"],
        "Head of Procurement",
        "Purchasing",
    )
    assert (role["work_email"], role["work_phone"]) == ("ingrid@hos.no", "+47 22 12 34 99")
    (note,) = workspace.list(kind="note", where={"contact_id": ingrid_id})
    assert (note["body"], note["privacy"]) == ("Met at ONS 2026.", "team")
    assert workspace.get(kind="contact", id=people["kari"])["birthday"] == "1975-02-01"
    assert workspace.get(kind="position", id=people["cfo"])["department"] == "Finance"

    workspace.undo(changes=done.changes)
    assert workspace.get(kind="contact", id=people["kari"])["birthday"] is None
    assert workspace.count(kind="contact") == 2 and workspace.count(kind="note") == 0


def test_importing_the_same_file_again_changes_nothing(workspace, people):
    cards = [
        Card("card 1", "Ingrid Dahl", organisation="HOS", title="Buyer", emails=(("work", "ingrid@hos.no"),), note="Likes sailing."),
        Card("card 2", "Lars Berg", phones=(("mobile", "+47 41 00 00 02"),), address="Bryggen 3"),
        Card("card 3", "Nils Holm", uid="urn:uuid:3f6c0b1e-0000-4000-8000-000000000003"),
        Card("card 4", "Siri Moe"),  # a name and nothing else
        Card("card 5", "Anne Vik", organisation="Nordkyst Services", title="CEO"),
    ]  # fmt: skip
    first = apply_import(workspace, preview=preview_import(workspace, cards=cards, create_clients=True))
    assert len(first.created) == 5 and len(first.clients_created) == 1
    outbox = len(workspace.outbox())

    again = preview_import(workspace, cards=cards, create_clients=True)
    assert [(row.status, row.adds) for row in again.rows] == [("same", ())] * 5
    assert {row.match.contact_id for row in again.rows} == set(first.created)
    assert not any(row.new_client for row in again.rows)
    second = apply_import(workspace, preview=again)
    assert not second.changes and second.unchanged == 5 and second.created == ()
    assert len(workspace.outbox()) == outbox
    assert workspace.count(kind="note") == 1


def test_a_card_with_its_uid_is_found_again_whatever_else_changed(workspace):
    card = Card("card 1", "Nils Holm", uid="b1e2")
    (made,) = apply_import(workspace, preview=preview_import(workspace, cards=[card])).created
    renamed = Card("card 1", "Nils A. Holm-Berg", uid="b1e2", emails=(("home", "nils@holm.no"),))
    (row,) = preview_import(workspace, cards=[renamed]).rows
    assert (row.status, row.match.contact_id, row.match.why) == ("same", made, "the same card (UID)")
    assert row.adds == ("email nils@holm.no",)
    # A card exported from a workspace carries the person's id: it finds them too.
    exported = Card("card 9", "Nils Holm", uid=made)
    assert preview_import(workspace, cards=[exported]).rows[0].match.contact_id == made
    # The same id under a name nothing like theirs (an id pasted into another card): the person decides.
    (pasted,) = preview_import(workspace, cards=[Card("card 9", "Totally Different Person", uid=made)]).rows
    assert (pasted.status, pasted.match.contact_id) == ("possible", made)


def test_organisations_find_clients_by_name_alias_or_a_part_of_one(workspace, people):
    workspace.create(kind="client", values={"name": "Nordkyst Services"})
    workspace.create(kind="client", values={"name": "Nordkyst Shipping"})
    cards = [
        Card("card 1", "A One", organisation="halvorsen offshore"),
        Card("card 2", "B Two", organisation="Hos"),
        Card("card 3", "C Three", organisation="Halvorsen"),  # a part of one client's name
        Card("card 4", "D Four", organisation="Nordkyst"),  # a part of two: no client
        Card("card 5", "E Five", organisation="Ågotnes Verft"),
        Card("card 6", "F Six", organisation="agotnes verft", title="CEO"),
    ]
    rows = preview_import(workspace, cards=cards).rows
    assert [row.client_id == people["client"] for row in rows[:3]] == [True, True, True]
    assert [(row.client_id, row.client_name, row.new_client) for row in rows[3:]] == [
        (None, "Nordkyst", False),
        (None, "Ågotnes Verft", False),
        (None, "agotnes verft", False),
    ]
    made = preview_import(workspace, cards=cards, create_clients=True).rows
    assert made[4].new_client and made[4].client_id == made[5].client_id  # one new client for both
    done = apply_import(workspace, preview=preview_import(workspace, cards=cards, create_clients=True))
    assert len(done.clients_created) == 2
    assert {c["name"] for c in workspace.list(kind="client")} >= {"Nordkyst", "Ågotnes Verft"}


def test_a_client_given_holds_every_card(workspace, people):
    other = workspace.create(kind="client", values={"name": "Nordkyst Services"}).created_id
    rows = preview_import(
        workspace, cards=[Card("card 1", "A One", organisation="HOS", title="CTO")], client_id=other
    ).rows
    assert (rows[0].client_id, rows[0].client_name, rows[0].adds) == (
        other,
        "Nordkyst Services",
        ("position CTO at Nordkyst Services",),
    )


def test_values_the_workspace_would_refuse_are_left_out_and_said(workspace):
    cards = [
        Card("card 1", "Ola Nordmann", emails=(("home", "ola@nowhere"), ("home", "ola@nordmann.no")), phones=(("home", "12"),)),
        Card("card 2", "   "),
    ]  # fmt: skip
    preview = preview_import(workspace, cards=cards, problems=[CardProblem("card 3", "card 3: not a vCard")])
    assert [row.card.record for row in preview.rows] == ["card 1"]
    assert preview.rows[0].adds == ("email ola@nordmann.no",)
    reasons = [problem.reason for problem in preview.problems]
    assert reasons[0] == "card 3: not a vCard"
    assert reasons[1].startswith("card 1 (Ola Nordmann): email: 'ola@nowhere' is not an email address")
    assert reasons[2].startswith("card 1 (Ola Nordmann): phone: '12' is not a phone number")
    assert reasons[3] == "card 2: it has no name; left out"


def test_the_same_person_twice_in_one_file_is_made_once(workspace):
    cards = [
        Card("card 1", "Ingrid Dahl", emails=(("home", "ingrid@dahl.no"),)),
        Card(
            "card 2",
            "Ingrid Dahl",
            emails=(("home", "INGRID@dahl.no"),),
            phones=(("mobile", "+47 41 00 00 01"),),
        ),
    ]
    preview = preview_import(workspace, cards=cards)
    assert [row.status for row in preview.rows] == ["new", "same"]
    assert preview.rows[1].match.contact_id == preview.rows[0].new_id
    assert preview.rows[1].adds == ("phone +47 41 00 00 01",)
    done = apply_import(workspace, preview=preview)
    assert len(done.created) == 1 and workspace.count(kind="contact") == 1
    assert workspace.get(kind="contact", id=done.created[0])["phones"] == ["+47 41 00 00 01"]
    # Skip the first: the second makes the person.
    workspace.undo(changes=done.changes)
    done = apply_import(workspace, preview=preview, choices={0: ("skip", None)})
    assert done.skipped == ("card 1",) and len(done.created) == 1
    assert workspace.get(kind="contact", id=done.created[0])["phones"] == ["+47 41 00 00 01"]


def test_a_person_chooses_for_possible_duplicates(workspace, people):
    cards = [Card("card 1", "Kari Nordman", organisation="HOS", emails=(("home", "kn@gmail.com"),))]
    preview = preview_import(workspace, cards=cards)
    assert preview.rows[0].status == "possible" and preview.rows[0].adds == ("email kn@gmail.com",)
    merged = apply_import(workspace, preview=preview, choices={0: ("merge", None)})
    assert merged.merged == (people["kari"],)
    assert workspace.get(kind="contact", id=people["kari"])["emails"] == ["kari@home.no", "kn@gmail.com"]
    workspace.undo(changes=merged.changes)
    made = apply_import(workspace, preview=preview, choices={0: ("create", None)})
    assert len(made.created) == 1 and workspace.count(kind="contact") == 3
    with pytest.raises(ValidationError, match="'keep' is no choice"):
        apply_import(workspace, preview=preview, choices={0: ("keep", None)})


def test_a_region_reads_numbers_written_without_a_country_code(workspace, people):
    card = Card("card 1", "Kari N.", phones=(("mobile", "900 11 222"),))
    assert preview_import(workspace, cards=[card]).rows[0].status == "new"
    (row,) = preview_import(workspace, cards=[card], region="no").rows
    assert (row.status, row.match.contact_id) == ("same", people["kari"])


def test_people_exported_read_back_as_the_same_people(workspace, people):
    workspace.create(
        kind="position",
        values={
            "contact_id": people["per"],
            "client_id": people["client"],
            "ended": "2025-01-01",
            "title": "Buyer",
        },
    )
    workspace.update(
        kind="contact", id=people["kari"], values={"birthday": "1975-02-01", "address": "Storgata 1"}
    )
    cards = cards_for_export(workspace)
    assert [card.name for card in cards] == ["Kari Nordmann", "Per Lunde"]
    kari, per = cards
    assert (kari.organisation, kari.title, kari.uid) == ("Halvorsen Offshore", "CFO", people["kari"])
    assert kari.emails == (("work", "kari@hos.no"), ("home", "kari@home.no"))
    assert kari.phones == (("mobile", "+47 900 11 222"),)
    assert (kari.birthday, kari.address) == (dt.date(1975, 2, 1), "Storgata 1")
    assert per.organisation is None  # a past role is no organisation of theirs now
    at_client = cards_for_export(workspace, client_id=people["client"])
    assert [(c.name, c.organisation, c.title) for c in at_client] == [
        ("Kari Nordmann", "Halvorsen Offshore", "CFO"),
        ("Per Lunde", "Halvorsen Offshore", "Buyer"),
    ]
    again = preview_import(workspace, cards=cards)
    assert [(row.status, row.adds) for row in again.rows] == [("same", ()), ("same", ())]
