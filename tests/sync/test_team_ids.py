"""Records belong to their team: an id means nothing across teams, and no answer tells another team's ids."""

from __future__ import annotations

import uuid

from companion.core.service import Workspace
from companion.interchange.bundle import import_bundle, write_bundle
from companion.server import admin
from companion.sync.client import SyncClient


def _south(server, tmp_path, name: str = "south") -> SyncClient:
    """A laptop of another team, South, on the same server (its own account)."""

    def setup(conn):
        team = admin.add_team(conn, "South")
        admin.add_account(conn, "sven")
        admin.add_member(conn, team_name="South", user_name="sven")
        return team

    team = server.admin(setup)
    ws = Workspace.open(tmp_path / f"{name}.sqlite")
    token = server.token(user="sven", device=name)
    return SyncClient(ws, server="http://testserver", token=token, team_id=team, http=server.http())


def test_a_bundle_from_one_team_imported_in_another_makes_that_teams_own_records(server, laptops, tmp_path):
    north = laptops("north")
    client = north.ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    person = north.ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    north.ws.create(kind="position", values={"contact_id": person, "client_id": client, "title": "CFO"})
    north.sync()
    write_bundle(north.ws, tmp_path / "halvorsen.json", client_id=client)

    south = _south(server, tmp_path)
    try:
        import_bundle(south.ws, tmp_path / "halvorsen.json")
        south.ws.update(kind="client", id=client, values={"industry": "South's own note"})
        summary = south.sync()
        assert summary.pushed == 3 and summary.conflicts == 0 and south.ws.outbox() == []
        # Another laptop of South reads South's copy.
        south_two = SyncClient(
            Workspace.open(tmp_path / "south-two.sqlite"), server="http://testserver",
            token=server.token(user="sven", device="south-two"), team_id=south.team_id, http=server.http(),
        )  # fmt: skip
        south_two.sync()
        assert south_two.ws.get(kind="client", id=client)["industry"] == "South's own note"
        south_two.ws.close()
    finally:
        south.ws.close()
    # North's record is untouched by South's edit, and North's laptops are told nothing of it.
    north.ws.update(kind="client", id=client, values={"website": "https://halvorsen.example"})
    assert north.sync().conflicts == 0
    assert north.ws.get(kind="client", id=client)["industry"] is None
    fresh = laptops("north-two")
    fresh.sync()
    assert fresh.ws.get(kind="client", id=client)["industry"] is None


def _push(http, team_id, mutations):
    return http.post("/v1/sync/push", json={"device_id": "probe", "team_id": team_id, "mutations": mutations})


def test_no_answer_tells_whether_another_team_holds_an_id(server, tmp_path):
    south = _south(server, tmp_path)
    theirs = south.ws.create(kind="client", values={"name": "Secret Client"}).created_id
    also_theirs = south.ws.create(kind="client", values={"name": "Other Secret"}).created_id
    south.sync()
    south.ws.close()
    http = server.http(server.token(device="probe"))
    unknown = str(uuid.uuid4())

    def probe(record_id, seq, op="upsert"):
        mutation = {
            "seq": seq, "kind": "client", "id": record_id, "op": op, "fields": {"name": f"Guess {seq}"},
            "base_seq": 0, "hlc": "2026-12-06T10:00:00.000000Z",
        }  # fmt: skip
        reply = _push(http, server.team_id, [mutation])
        assert reply.status_code == 200, reply.text
        answer = reply.json()["results"][0]
        return {k: v for k, v in answer.items() if k not in ("seq", "record_seq")}

    assert probe(theirs, 1) == probe(unknown, 2)  # made as North's own, with the same answer
    assert probe(also_theirs, 3, "delete") == probe(str(uuid.uuid4()), 4, "delete")
    # South's record is as South left it.
    pulled = south_reads = server.http(server.token(user="sven", device="south-check"))
    page = pulled.post("/v1/sync/pull", json={"team_id": south.team_id, "cursor": 0}).json()
    assert sorted((r["id"], r["fields"]["name"], r["deleted_at"]) for r in page["rows"]) == sorted(
        [(theirs, "Secret Client", None), (also_theirs, "Other Secret", None)]
    )
    del south_reads
