"""One person recorded twice made one: everything moves over, nothing either said is lost, undo splits them."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core.contact_merge import dismiss_pair, merge_contacts, possible_duplicates
from companion.core.service import Workspace
from companion.model.errors import NotFoundError, ValidationError
from companion.model.ids import new_id
from companion.model.kinds import referencing_fields
from tests.core.helpers import Maker


@pytest.fixture
def twins(workspace) -> dict[str, str]:
    """Kari Nordmann recorded twice at Halvorsen Offshore, each record with its own role, history and ties."""
    ids = {"client": workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id}
    ids["site"] = workspace.create(
        kind="site", values={"client_id": ids["client"], "name": "Ågotnes base"}
    ).created_id
    ids["keep"] = workspace.create(
        kind="contact",
        values={
            "name": "Kari Nordmann", "emails": ["kari@home.no"], "best_times": "Mornings",
            "personal_facts": "Sails on weekends.", "address": "Storgata 1",
        },
    ).created_id  # fmt: skip
    ids["other"] = workspace.create(
        kind="contact",
        values={
            "name": "Kari Nordman", "emails": ["KARI@home.no", "kari.n@gmail.com"], "phones": ["+47 900 11 222"],
            "best_times": "After lunch", "personal_facts": "Two children.", "address": "Bryggen 3",
            "birthday": "1975-02-01",
        },
    ).created_id  # fmt: skip
    ids["per"] = workspace.create(kind="contact", values={"name": "Per Lunde"}).created_id
    ids["keep_role"] = workspace.create(
        kind="position", values={"contact_id": ids["keep"], "client_id": ids["client"], "title": "CFO"}
    ).created_id
    ids["other_role"] = workspace.create(
        kind="position",
        values={
            "contact_id": ids["other"], "client_id": ids["client"], "title": "Finance Director",
            "work_email": "kari@hos.no", "site_id": ids["site"],
        },
    ).created_id  # fmt: skip
    ids["past_role"] = workspace.create(
        kind="position",
        values={
            "contact_id": ids["other"],
            "client_id": ids["client"],
            "title": "Controller",
            "ended": "2020-01-01",
        },
    ).created_id
    ids["report"] = workspace.create(
        kind="position",
        values={
            "contact_id": ids["per"],
            "client_id": ids["client"],
            "title": "Buyer",
            "reports_to_id": ids["other_role"],
        },
    ).created_id
    ids["self_tie"] = workspace.create(
        kind="relationship",
        values={"from_contact_id": ids["keep"], "to_contact_id": ids["other"], "type": "ally"},
    ).created_id
    ids["tie"] = workspace.create(
        kind="relationship",
        values={"from_contact_id": ids["per"], "to_contact_id": ids["other"], "type": "mentor"},
    ).created_id
    ids["call"] = workspace.create(
        kind="interaction",
        values={
            "date": "2026-03-01",
            "channel": "call",
            "contact_ids": [ids["keep"], ids["other"], ids["per"]],
        },
    ).created_id
    ids["meeting"] = workspace.create(
        kind="meeting",
        values={
            "client_id": ids["client"], "title": "Review", "starts_at": "2026-01-10T09:00", "status": "held",
            "contact_ids": [ids["other"]],
        },
    ).created_id  # fmt: skip
    ids["note"] = workspace.create(
        kind="note", values={"contact_id": ids["other"], "body": "Prefers Teams.", "privacy": "private"}
    ).created_id
    return ids


def _live(ws: Workspace) -> dict[str, list[dict]]:
    """Every live record with its values and creation, not the moment it was last written."""
    return {
        kind: [{k: v for k, v in item.items() if k != "updated_at"} for item in items]
        for kind, items in ws.export_records().items()
    }


def test_everything_of_the_other_moves_to_the_one_kept(workspace, twins):
    merge_contacts(workspace, keep_id=twins["keep"], other_id=twins["other"])
    ws, keep = workspace, twins["keep"]
    assert ws.get(kind="contact", id=twins["other"], include_deleted=True).deleted_at is not None
    kept = ws.get(kind="contact", id=keep)
    assert kept["name"] == "Kari Nordmann" and kept["best_times"] == "Mornings"
    assert kept["emails"] == ["kari@home.no", "kari.n@gmail.com"]  # united, spelling aside
    assert kept["phones"] == ["+47 900 11 222"] and kept["birthday"] == "1975-02-01"  # gaps filled
    assert kept["personal_facts"] == "Sails on weekends.\n\nTwo children.\n"
    assert kept["address"] == "Storgata 1"
    # Two current roles at one client are one: the kept one, its gaps filled; the past role moves over.
    role = ws.get(kind="position", id=twins["keep_role"])
    assert (role["title"], role["work_email"], role["site_id"]) == ("CFO", "kari@hos.no", twins["site"])
    assert ws.get(kind="position", id=twins["other_role"], include_deleted=True).deleted_at is not None
    assert ws.get(kind="position", id=twins["past_role"])["contact_id"] == keep
    assert ws.get(kind="position", id=twins["report"])["reports_to_id"] == twins["keep_role"]
    # The tie between the two is gone; the other's ties, talks, meetings and notes are the kept person's.
    assert [r.id for r in ws.list(kind="relationship")] == [twins["tie"]]
    assert ws.get(kind="relationship", id=twins["tie"])["to_contact_id"] == keep
    assert ws.get(kind="interaction", id=twins["call"])["contact_ids"] == [keep, twins["per"]]
    assert ws.get(kind="meeting", id=twins["meeting"])["contact_ids"] == [keep]
    assert ws.get(kind="note", id=twins["note"])["contact_id"] == keep
    (history,) = [n for n in ws.list(kind="note", where={"contact_id": keep}) if n.id != twins["note"]]
    assert history["title"] == "Merged with Kari Nordman" and history["privacy"] == "team"
    for line in (
        "- Name: Kari Nordman",
        "- Best times: After lunch",
        "- Home address: Bryggen 3",
        "- Role at Halvorsen Offshore · Title: Finance Director",
    ):
        assert line in history["body"], line
    for other_kind, field in referencing_fields("contact"):
        for record in ws.list(kind=other_kind.name):
            assert twins["other"] not in (record.values.get(field.name) or ()) or field.type == "ref", record
            assert record.values.get(field.name) != twins["other"], (other_kind.name, field.name)


def test_numbers_that_differ_only_by_their_extension_are_both_kept(workspace):
    desk = workspace.create(kind="contact", values={"name": "Kari Nordmann", "phones": ["22 12 34 56 ext 1"]})
    other = workspace.create(
        kind="contact", values={"name": "Kari Nordmann", "phones": ["22 12 34 56 ext 2"]}
    )
    merge_contacts(workspace, keep_id=desk.created_id, other_id=other.created_id)
    assert workspace.get(kind="contact", id=desk.created_id)["phones"] == [
        "22 12 34 56 ext 1",
        "22 12 34 56 ext 2",
    ]


def test_a_merge_is_one_undo_step(workspace, twins):
    before = _live(workspace)
    changes = merge_contacts(workspace, keep_id=twins["keep"], other_id=twins["other"])
    workspace.undo(changes=changes)
    assert _live(workspace) == before


def test_a_campaign_target_routed_through_the_other_is_no_longer_routed(workspace):
    maker = Maker(workspace)
    keep, other = (
        maker.id("contact"),
        workspace.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id,
    )
    target = maker.id("campaign_target")
    workspace.update(kind="campaign_target", id=target, values={"contact_id": keep, "route_via_id": other})
    merge_contacts(workspace, keep_id=keep, other_id=other)
    found = workspace.get(kind="campaign_target", id=target)
    assert (found["contact_id"], found["route_via_id"]) == (keep, None)


def test_the_kept_role_does_not_end_up_reporting_to_itself(workspace):
    client = workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    keep, other, per = (
        workspace.create(kind="contact", values={"name": n}).created_id for n in ("A", "B", "C")
    )
    theirs = workspace.create(kind="position", values={"contact_id": other, "client_id": client}).created_id
    middle = workspace.create(
        kind="position", values={"contact_id": per, "client_id": client, "reports_to_id": theirs}
    ).created_id
    mine = workspace.create(
        kind="position", values={"contact_id": keep, "client_id": client, "reports_to_id": middle}
    ).created_id
    merge_contacts(workspace, keep_id=keep, other_id=other)
    assert workspace.get(kind="position", id=middle)["reports_to_id"] == mine
    assert workspace.get(kind="position", id=mine)["reports_to_id"] is None


def test_a_person_is_not_merged_into_themselves_or_into_no_one(workspace, twins):
    with pytest.raises(ValidationError, match="themselves"):
        merge_contacts(workspace, keep_id=twins["keep"], other_id=twins["keep"])
    merge_contacts(workspace, keep_id=twins["keep"], other_id=twins["other"])
    with pytest.raises(NotFoundError):
        merge_contacts(workspace, keep_id=twins["keep"], other_id=twins["other"])


def test_possible_duplicates_over_the_workspace(workspace):
    hos = workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    nordkyst = workspace.create(kind="client", values={"name": "Nordkyst"}).created_id

    def person(name: str, client: str | None = None, **values) -> str:
        made = workspace.create(kind="contact", values={"name": name, **values}).created_id
        if client:
            workspace.create(kind="position", values={"contact_id": made, "client_id": client})
        return made

    kari = person("Kari Nordmann", hos, emails=["kari@home.no"], phones=["+47 900 11 222"])
    kari2 = person("Nordman, Kari", hos)
    kari3 = person("K Nordmann", emails=["KARI@home.no"])
    per = person("Per Lunde", hos, phones=["0047 90011222"])
    person("Per Lunde", nordkyst)  # the same name at another client: not offered
    pairs = {(p.keep_id, p.other_id): p for p in possible_duplicates(workspace)}
    assert set(pairs) == {(kari, kari2), (kari, kari3), (kari, per)}
    assert pairs[(kari, kari2)].why.startswith("similar names (") and pairs[(kari, kari2)].score >= 90
    assert pairs[(kari, kari3)].why == "same email kari@home.no"
    assert pairs[(kari, per)].why == "same phone +4790011222"
    dismiss_pair(workspace, a=per, b=kari)
    assert {(p.keep_id, p.other_id) for p in possible_duplicates(workspace)} == {(kari, kari2), (kari, kari3)}


# --- any two people, merged and the merge undone ----------------------------------------------------------

NAMES = st.sampled_from(["Kari Nordmann", "Kari Nordman", "Per Lunde", "Ingrid Dahl"])
OPTIONAL = {
    "emails": st.lists(st.sampled_from(["a@x.no", "A@x.no", "b@x.no"]), max_size=2, unique=True),
    "phones": st.lists(
        st.sampled_from(["+47 22 12 34 56", "22123456", "+47 900 11 222"]), max_size=2, unique=True
    ),
    "best_times": st.sampled_from(["Mornings", "After lunch"]),
    "birthday": st.sampled_from(["1975-02-01", "1980-12-24"]),
    "address": st.sampled_from(["Storgata 1", "Bryggen 3"]),
    "personal_facts": st.sampled_from(["Sails.", "Two children.", "Sails.\n\nRuns."]),
    "relationship_strength": st.integers(1, 5),
}
PERSON = st.fixed_dictionaries({"name": NAMES}, optional=OPTIONAL)
ROLE = st.tuples(
    st.sampled_from([0, 1, 2]),  # whose: kept, other, a third person
    st.sampled_from([0, 1]),  # which client
    st.booleans(),  # ended
    st.sampled_from([None, "CFO", "Buyer"]),
    st.sampled_from([None, "w@x.no"]),
    st.integers(0, 5),  # reports to an earlier role at its client, if there is one of that number
)
TIE = st.tuples(st.sampled_from([0, 1, 2]), st.sampled_from([0, 1, 2]), st.sampled_from(["ally", "rival"]))
TALK = st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=3, unique=True)


@pytest.fixture(scope="module")
def shared(tmp_path_factory, empty_workspace_file):
    """One workspace for every generated example (each writes records of its own): a workspace opened per
    example would spend its time compiling the same queries again."""
    path = tmp_path_factory.mktemp("merges") / "workspace.sqlite"
    shutil.copyfile(empty_workspace_file, path)
    ws = Workspace.open(path)
    yield ws
    ws.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    keep=PERSON,
    other=PERSON,
    roles=st.lists(ROLE, max_size=6),
    ties=st.lists(TIE, max_size=4),
    talks=st.lists(TALK, max_size=2),
    notes=st.lists(st.sampled_from([0, 1]), max_size=2),
)
def test_any_merge_undone_gives_back_every_record_exactly(shared, keep, other, roles, ties, talks, notes):
    ws = shared
    # Written in one import (records as given, no reactions): a quick example is a thorough test.
    records: dict[str, list[dict]] = {
        "client": [{"id": new_id(), "name": n} for n in ("Halvorsen", "Nordkyst")],
        "contact": [{"id": new_id(), **v} for v in (keep, other, {"name": "Lars Berg"})],
        "position": [],
        "relationship": [],
        "interaction": [],
        "note": [],
    }
    clients = [c["id"] for c in records["client"]]
    people = [c["id"] for c in records["contact"]]
    held: dict[int, list[str]] = {0: [], 1: []}
    for whose, client, ended, title, work_email, boss in roles:
        role = {"id": new_id(), "contact_id": people[whose], "client_id": clients[client]}
        role.update({k: v for k, v in (("title", title), ("work_email", work_email)) if v})
        if ended:
            role["ended"] = "2020-01-01"
        if boss < len(held[client]):
            role["reports_to_id"] = held[client][boss]
        held[client].append(role["id"])
        records["position"].append(role)
    for a, b, kind_of in ties:
        if a != b:
            records["relationship"].append(
                {
                    "id": new_id(),
                    "from_contact_id": people[a],
                    "to_contact_id": people[b],
                    "type": kind_of,
                }
            )
    for who in talks:
        records["interaction"].append(
            {
                "id": new_id(),
                "date": "2026-01-01",
                "channel": "call",
                "contact_ids": [people[i] for i in who],
            }
        )
    for whose in notes:
        records["note"].append(
            {"id": new_id(), "contact_id": people[whose], "body": "Seen at ONS.", "privacy": "team"}
        )
    ws.import_records(records=records)
    before = _live(ws)

    changes = merge_contacts(ws, keep_id=people[0], other_id=people[1])
    assert people[1] not in {c["id"] for c in ws.export_records()["contact"]}
    for relationship in ws.list(kind="relationship"):
        assert relationship["from_contact_id"] != relationship["to_contact_id"]
    for role in ws.list(kind="position"):
        assert role["contact_id"] != people[1]
    # Where the kept person held a current role, the other's current roles there became it.
    for client in clients:
        was = [
            r for r in before.get("position", []) if (r["contact_id"], r["client_id"]) == (people[0], client)
        ]
        now = ws.list(kind="position", where={"contact_id": people[0], "client_id": client})
        if any("ended" not in r for r in was):
            assert sum(1 for r in now if not r["ended"]) == sum(1 for r in was if "ended" not in r)

    ws.undo(changes=changes)
    assert _live(ws) == before
