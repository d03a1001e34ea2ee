"""A reference on the server points at a record of the team, of its kind; honest laptops always send targets first."""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa

from companion.server.schema import record
from companion.sync import wire


def _mutation(seq, kind, record_id, fields):
    return {
        "seq": seq, "kind": kind, "id": record_id, "op": "upsert", "fields": fields, "base_seq": 0,
        "hlc": "2026-12-06T10:00:00.000000Z",
    }  # fmt: skip


def _ids(n):
    return [str(uuid.uuid4()) for _ in range(n)]


def test_a_reference_to_no_record_of_the_team_is_refused_naming_record_and_field(server):
    http = server.http(server.token(device="probe"))
    client, person, position, other = _ids(4)
    push = lambda mutations: http.post(  # noqa: E731
        "/v1/sync/push", json={"device_id": "probe", "team_id": server.team_id, "mutations": mutations}
    )
    # Nobody holds the client it names: refused, whole, and nothing of the push is kept.
    refused = push([
        _mutation(1, "contact", person, {"name": "Ingrid Dahl"}),
        _mutation(2, "position", position, {"contact_id": person, "client_id": client, "title": "CFO"}),
    ])  # fmt: skip
    assert refused.status_code == 422
    assert position in refused.json()["detail"] and "(client_id)" in refused.json()["detail"]
    assert http.post("/v1/sync/pull", json={"team_id": server.team_id, "cursor": 0}).json()["rows"] == []
    # A record of another kind under that id is no better.
    wrong_kind = push([
        _mutation(1, "contact", person, {"name": "Ingrid Dahl"}),
        _mutation(2, "position", position, {"contact_id": person, "client_id": person, "title": "CFO"}),
    ])  # fmt: skip
    assert wrong_kind.status_code == 422 and "no client of this team" in wrong_kind.json()["detail"]
    # Made earlier in the same push, or held already: taken. Lists are checked member by member.
    taken = push([
        _mutation(1, "client", client, {"name": "Halvorsen"}),
        _mutation(2, "contact", person, {"name": "Ingrid Dahl"}),
        _mutation(3, "position", position, {"contact_id": person, "client_id": client, "title": "CFO"}),
    ])  # fmt: skip
    assert taken.status_code == 200, taken.text
    meeting = {"client_id": client, "title": "Review", "starts_at": "2026-12-07T09:00:00Z"}
    listed = push([_mutation(4, "meeting", other, {**meeting, "contact_ids": [person, str(uuid.uuid4())]})])
    assert listed.status_code == 422 and "(contact_ids)" in listed.json()["detail"]
    assert push([_mutation(4, "meeting", other, {**meeting, "contact_ids": [person]})]).status_code == 200


def test_a_reference_spelled_in_capitals_finds_its_target(server):
    """An id in capitals is an id (the laptops' rules write it in small letters): it finds the record
    the team holds, whether that came in an earlier push or this one."""
    http = server.http(server.token(device="caps"))
    client, person, position, later = _ids(4)
    push = lambda mutations: http.post(  # noqa: E731
        "/v1/sync/push", json={"device_id": "caps", "team_id": server.team_id, "mutations": mutations}
    )
    first = push([_mutation(1, "client", client, {"name": "Halvorsen"})])
    assert first.status_code == 200, first.text
    second = push([
        _mutation(2, "contact", person, {"name": "Ingrid Dahl"}),
        _mutation(3, "position", position, {"contact_id": person.upper(), "client_id": client.upper()}),
    ])  # fmt: skip
    assert second.status_code == 200, second.text
    meeting = {"client_id": client.upper(), "title": "Review", "starts_at": "2026-12-07T09:00:00Z"}
    third = push([_mutation(4, "meeting", later, {**meeting, "contact_ids": [person.upper()]})])
    assert third.status_code == 200, third.text
    rows = http.post("/v1/sync/pull", json={"team_id": server.team_id, "cursor": 0}).json()["rows"]
    stored = {r["id"]: r["fields"] for r in rows}
    assert stored[position]["client_id"] == client and stored[later]["contact_ids"] == [person]


def _names(ws, kind, field="name"):
    return sorted(r.values[field] for r in ws.list(kind=kind))


def test_an_import_spanning_many_pushes_sends_what_records_point_at_first(
    server, laptops, tmp_path, monkeypatch
):
    monkeypatch.setattr(wire, "PUSH_LIMIT", 3)  # a big import in small pushes
    client, *people = _ids(7)
    groups = _ids(4)
    positions = _ids(6)
    meeting, interaction = _ids(2)
    # Listed children first, chains of sub-groups and of people reporting to each other, and an
    # interaction (listed before meetings) that names its meeting.
    records = {
        "client": [{"id": client, "name": "Halvorsen"}],
        "sub_group": [
            {"id": groups[n], "client_id": client, "name": f"Unit {n}", "parent_id": groups[n + 1]}
            for n in range(3)
        ] + [{"id": groups[3], "client_id": client, "name": "Unit 3"}],
        "contact": [{"id": p, "name": f"Person {n}"} for n, p in enumerate(people[:6])],
        "position": [
            {
                "id": positions[n], "contact_id": people[n], "client_id": client, "title": f"Role {n}",
                "reports_to_id": positions[n + 1] if n < 5 else None, "sub_group_id": groups[n % 4],
            }
            for n in range(6)
        ],
        "interaction": [
            {"id": interaction, "client_id": client, "channel": "meeting", "date": "2026-12-01",
             "summary": "Kick-off", "meeting_id": meeting}
        ],
        "meeting": [
            {"id": meeting, "client_id": client, "title": "Kick-off", "starts_at": "2026-12-01T09:00:00Z"}
        ],
    }  # fmt: skip
    bundle = tmp_path / "import.json"
    bundle.write_text(json.dumps({"format": "companion-bundle", "version": 1, "records": records}))
    a, b = laptops("a"), laptops("b")
    from companion.interchange.bundle import import_bundle

    import_bundle(a.ws, bundle)
    assert a.sync().pushed >= 19 and a.ws.outbox() == []
    b.sync()
    assert _names(b.ws, "sub_group") == [f"Unit {n}" for n in range(4)]
    chain = {r.id: r.values["reports_to_id"] for r in b.ws.list(kind="position")}
    assert chain == {positions[n]: (positions[n + 1] if n < 5 else None) for n in range(6)}
    assert b.ws.get(kind="interaction", id=interaction)["meeting_id"] == meeting


def test_a_record_pointed_at_after_the_first_edits_waits_for_its_target(server, laptops, monkeypatch):
    monkeypatch.setattr(wire, "PUSH_LIMIT", 3)
    a, b = laptops("a"), laptops("b")
    client = a.ws.create(kind="client", values={"name": "Halvorsen"}).created_id
    first = a.ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    old_boss = a.ws.create(kind="position", values={"contact_id": first, "client_id": client, "title": "COO"})
    role = a.ws.create(
        kind="position",
        values={
            "contact_id": first,
            "client_id": client,
            "title": "CFO",
            "reports_to_id": old_boss.created_id,
        },
    )
    for n in range(4):
        a.ws.create(kind="client", values={"name": f"Filler {n}"})
    boss = a.ws.create(kind="contact", values={"name": "Per Lunde"}).created_id
    boss_role = a.ws.create(kind="position", values={"contact_id": boss, "client_id": client, "title": "CEO"})
    # The position now reports to one queued far beyond the push that makes it: that push reads the
    # position as it is now, so the new boss cannot go with it.
    a.ws.update(kind="position", id=role.created_id, values={"reports_to_id": boss_role.created_id})
    # And a meeting lists a person made and deleted before any push.
    ghost = a.ws.create(kind="contact", values={"name": "Gone Before Sync"}).created_id
    meeting = a.ws.create(
        kind="meeting",
        values={"client_id": client, "title": "Review", "starts_at": "2026-12-07T09:00:00Z",
                "contact_ids": [first, ghost]},
    ).created_id  # fmt: skip
    a.ws.delete(kind="contact", id=ghost)
    a.sync()
    assert a.ws.outbox() == [] and a.sync().pushed == 0
    b.sync()
    assert b.ws.get(kind="position", id=role.created_id)["reports_to_id"] == boss_role.created_id
    assert first in (b.ws.get(kind="meeting", id=meeting)["contact_ids"] or [])
    assert b.ws.set_aside() == {}


def test_a_target_made_early_and_edited_late_does_not_hold_up_a_first_sync(server, laptops, monkeypatch):
    monkeypatch.setattr(wire, "PUSH_LIMIT", 3)
    a, b = laptops("a"), laptops("b")
    client = a.ws.create(kind="client", values={"name": "Halvorsen"}).created_id
    for n in range(5):
        a.ws.create(kind="contact", values={"name": f"Early {n}"})
    a.ws.create(kind="site", values={"client_id": client, "name": "Ågotnes base"})
    for n in range(3):
        a.ws.create(kind="contact", values={"name": f"Late {n}"})
    a.ws.update(kind="client", id=client, values={"industry": "Energy"})  # queued far after its site
    a.sync()
    assert a.ws.outbox() == [] and a.sync().pushed == 0
    b.sync()
    assert _names(b.ws, "site") == ["Ågotnes base"]
    assert b.ws.get(kind="client", id=client)["industry"] == "Energy"


def test_a_required_reference_changed_to_a_record_queued_later_goes_with_it(server, laptops, monkeypatch):
    monkeypatch.setattr(wire, "PUSH_LIMIT", 3)
    a, b = laptops("a"), laptops("b")
    client = a.ws.create(kind="client", values={"name": "Halvorsen"}).created_id
    first = a.ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    role = a.ws.create(
        kind="position", values={"contact_id": first, "client_id": client, "title": "CFO"}
    ).created_id
    for n in range(3):
        a.ws.create(kind="client", values={"name": f"Filler {n}"})
    successor = a.ws.create(kind="contact", values={"name": "Per Lunde"}).created_id
    a.ws.update(kind="position", id=role, values={"contact_id": successor})
    a.sync()
    assert a.ws.outbox() == [] and a.sync().pushed == 0
    b.sync()
    assert b.ws.get(kind="position", id=role)["contact_id"] == successor
    assert _names(b.ws, "contact") == ["Ingrid Dahl", "Per Lunde"]


def test_a_record_made_and_deleted_offline_then_brought_back_keeps_its_values(server, laptops):
    a, b = laptops("a"), laptops("b")
    client = a.ws.create(kind="client", values={"name": "Kestrel Logistics"}).created_id
    a.ws.delete(kind="client", id=client)
    a.sync()
    a.ws.restore(kind="client", id=client)
    for laptop in (a, b, a, b):
        laptop.sync()
    assert b.ws.get(kind="client", id=client)["name"] == "Kestrel Logistics"
    assert a.ws.set_aside() == {} and b.ws.set_aside() == {}


def test_order_within_a_push_does_not_matter_and_what_a_list_held_stays_allowed(server):
    http = server.http(server.token(device="probe"))
    client, person, meeting, ghost = _ids(4)

    def push(seq, mutations):
        for n, m in enumerate(mutations):
            m["seq"] = seq + n
        return http.post(
            "/v1/sync/push", json={"device_id": "probe", "team_id": server.team_id, "mutations": mutations}
        )

    # The meeting first, what it names after it, all in one push (an older laptop's order).
    starts = {"title": "Review", "starts_at": "2026-12-07T09:00:00Z"}
    taken = push(1, [
        _mutation(0, "meeting", meeting, {"client_id": client, **starts, "contact_ids": [person]}),
        _mutation(0, "contact", person, {"name": "Ingrid Dahl"}),
        _mutation(0, "client", client, {"name": "Halvorsen"}),
    ])  # fmt: skip
    assert taken.status_code == 200, taken.text
    # A list written before the server checked references names a record it never held: editing the
    # list keeps that member allowed; a new unknown member is not.
    server.admin(
        lambda conn: conn.execute(
            sa.update(record)
            .where(record.c.id == meeting)
            .values(fields={"client_id": client, **starts, "contact_ids": [person, ghost]})
        )
    )
    again = push(4, [_mutation(0, "meeting", meeting, {"contact_ids": [ghost]})])
    assert again.status_code == 200, again.text
    refused = push(5, [_mutation(0, "meeting", meeting, {"contact_ids": [ghost, str(uuid.uuid4())]})])
    assert refused.status_code == 422 and "(contact_ids)" in refused.json()["detail"]
