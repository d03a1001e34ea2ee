"""Sync scenarios with several laptops and one real server: nothing anyone typed is ever lost."""

from __future__ import annotations

import json

import httpx
import pytest

from companion.core.remote import TooManyDeletes
from companion.sync.client import SyncError, open_conflicts


def _records(ws, kind):
    return {r.id: r.values for r in ws.list(kind=kind)}


def _client(ws, name="Halvorsen Offshore", **values):
    return ws.create(kind="client", values={"name": name, **values}).created_id


def _two_laptops_sharing_a_client(laptops, **values):
    """Laptops a and b, both holding the same client after a sync each."""
    a, b = laptops("a"), laptops("b")
    client = _client(a.ws, **values)
    a.sync()
    b.sync()
    return a, b, client


def test_what_one_laptop_writes_the_other_reads(laptops):
    a, b = laptops("a"), laptops("b")
    client = _client(a.ws, industry="Energy")
    person = a.ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    a.ws.create(kind="position", values={"contact_id": person, "client_id": client, "title": "CFO"})
    summary = a.sync()
    assert (summary.pushed, summary.conflicts) == (3, 0)
    assert a.ws.outbox() == []
    b.sync()
    for kind in ("client", "contact", "position"):
        assert _records(b.ws, kind) == _records(a.ws, kind)
    assert b.ws.outbox() == [], "what was pulled is not pushed back"
    assert b.ws.search(text="ingr")[0].record_id == person
    nothing = b.sync()
    assert (nothing.pushed, nothing.pulled) == (0, 0)


def test_concurrent_edits_of_one_field_one_wins_everywhere_the_other_is_a_conflict(laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    a.ws.update(kind="client", id=client, values={"status": "dormant"})
    b.ws.update(kind="client", id=client, values={"status": "former"})
    a.sync()
    b.sync()
    a.sync()
    assert (
        a.ws.get(kind="client", id=client)["status"]
        == b.ws.get(kind="client", id=client)["status"]
        == "former"
    )
    for laptop in (a, b):
        (conflict,) = open_conflicts(laptop.ws)
        assert (conflict["field"], conflict["kept"], conflict["other"]) == ("status", "former", "dormant")


def test_edits_of_different_fields_are_both_kept(laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    a.ws.update(kind="client", id=client, values={"industry": "Shipping"})
    b.ws.update(kind="client", id=client, values={"website": "https://halvorsen.example"})
    a.sync()
    b.sync()
    a.sync()
    for laptop in (a, b):
        record = laptop.ws.get(kind="client", id=client)
        assert (record["industry"], record["website"]) == ("Shipping", "https://halvorsen.example")
        assert open_conflicts(laptop.ws) == []


def test_long_text_edited_on_two_laptops_is_merged(laptops):
    a, b = laptops("a"), laptops("b")
    client = _client(a.ws, history="1987: founded\n1990s: ROVs\n2020: wind\n")
    a.sync()
    b.sync()
    a.ws.update(
        kind="client", id=client, values={"history": "1987: founded by Arne\n1990s: ROVs\n2020: wind\n"}
    )
    b.ws.update(
        kind="client",
        id=client,
        values={"history": "1987: founded\n1990s: ROVs\n2020: wind\n2025: Danish firm\n"},
    )
    a.sync()
    b.sync()
    a.sync()
    merged = "1987: founded by Arne\n1990s: ROVs\n2020: wind\n2025: Danish firm\n"
    assert (
        a.ws.get(kind="client", id=client)["history"]
        == b.ws.get(kind="client", id=client)["history"]
        == merged
    )
    assert open_conflicts(a.ws) == []


def test_delete_on_one_laptop_while_another_edits_loses_nothing(laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    a.ws.delete(kind="client", id=client)
    b.ws.update(kind="client", id=client, values={"industry": "Shipping"})
    person = b.ws.create(kind="contact", values={"name": "New person"}).created_id
    b.ws.create(kind="position", values={"contact_id": person, "client_id": client, "title": "CTO"})
    a.sync()
    b.sync()
    a.sync()
    for laptop in (a, b):
        record = laptop.ws.get(kind="client", id=client)
        assert record.deleted_at is None and record["industry"] == "Shipping"
        assert [p["title"] for p in laptop.ws.list(kind="position")] == ["CTO"]
        assert [c["reason"] for c in open_conflicts(laptop.ws)] == ["edit_after_delete"]


def test_same_client_made_on_two_laptops_is_kept_twice_and_flagged(laptops):
    a, b = laptops("a"), laptops("b")
    _client(a.ws, "Kurobane Precision")
    _client(b.ws, "kurobane precision ")
    a.sync()
    b.sync()
    a.sync()
    assert len(a.ws.list(kind="client")) == len(b.ws.list(kind="client")) == 2
    assert [c["reason"] for c in open_conflicts(a.ws)] == ["possible_duplicate"]


def test_a_possible_duplicate_merged_on_one_laptop_is_one_client_everywhere(laptops):
    a, b = laptops("a"), laptops("b")
    first = _client(a.ws, "Kurobane Precision", industry="Machining")
    second = _client(b.ws, "kurobane precision ", website="https://kurobane.example")
    person = b.ws.create(kind="contact", values={"name": "Aiko Mori"}).created_id
    role = b.ws.create(
        kind="position", values={"contact_id": person, "client_id": second, "title": "Plant manager"}
    ).created_id
    a.sync()
    b.sync()
    a.sync()
    (flag,) = open_conflicts(a.ws)
    assert (flag["record_id"], flag["other"]) == (second, first)
    a.client.merge_duplicate(flag)
    b.sync()
    for laptop in (a, b):
        (only,) = laptop.ws.list(kind="client")
        assert only.id == first
        assert (only["industry"], only["website"]) == ("Machining", "https://kurobane.example")
        assert laptop.ws.get(kind="position", id=role)["client_id"] == first
        assert open_conflicts(laptop.ws) == []
    with pytest.raises(SyncError, match="Only a possible duplicate"):
        a.client.merge_duplicate({**flag, "reason": "concurrent_edit"})


def test_two_people_merged_on_one_laptop_are_one_person_everywhere(laptops):
    from companion.core.contact_merge import merge_contacts

    a, b, client = _two_laptops_sharing_a_client(laptops)
    kept = a.ws.create(kind="contact", values={"name": "Ingrid Dahl", "emails": ["ingrid@dahl.example"]})
    other = b.ws.create(kind="contact", values={"name": "Ingrid Dahl", "phones": ["+47 917 55 555"]})
    role = b.ws.create(
        kind="position", values={"contact_id": other.created_id, "client_id": client, "title": "CEO"}
    ).created_id
    meeting = b.ws.create(
        kind="meeting",
        values={"client_id": client, "title": "Review", "starts_at": "2030-01-10T09:00:00+00:00",
                "contact_ids": [other.created_id]},
    ).created_id  # fmt: skip
    for n in range(12):  # a merge deletes one record: well within the safety net's quarter
        a.ws.create(kind="site", values={"client_id": client, "name": f"Depot {n}"})
    a.sync()
    b.sync()
    a.sync()
    merge_contacts(a.ws, keep_id=kept.created_id, other_id=other.created_id)
    a.sync()
    b.sync()
    for laptop in (a, b):
        (only,) = laptop.ws.list(kind="contact")
        assert only.id == kept.created_id
        assert (only["emails"], only["phones"]) == (["ingrid@dahl.example"], ["+47 917 55 555"])
        assert laptop.ws.get(kind="position", id=role)["contact_id"] == kept.created_id
        assert laptop.ws.get(kind="meeting", id=meeting)["contact_ids"] == [kept.created_id]
        assert open_conflicts(laptop.ws) == []


def test_a_push_the_server_took_as_sent_is_not_read_back_yet_others_edits_still_arrive(server, laptops):
    a, b = laptops("a"), laptops("b")
    client = _client(a.ws, industry="Energy")
    first = a.sync()
    assert (first.pushed, first.pulled) == (1, 0), "the laptop's own records are not read back"
    held = server.admin(lambda conn: conn.exec_driver_sql("SELECT seq FROM record").scalar())
    assert int(a.ws.meta(key="sync_cursor")) == held
    b.sync()
    b.ws.update(kind="client", id=client, values={"website": "https://halvorsen.example"})
    b.sync()
    a.ws.update(kind="client", id=client, values={"industry": "Shipping"})  # based on the server's number
    again = a.sync()
    assert (again.pulled, again.conflicts) == (1, 0)
    b.sync()
    for laptop in (a, b):
        record = laptop.ws.get(kind="client", id=client)
        assert (record["industry"], record["website"]) == ("Shipping", "https://halvorsen.example")


class _EditDuringPush(httpx.BaseTransport):
    """Runs `edit` while the first push is on its way to the server, as a person typing during a sync."""

    def __init__(self, inner, edit):
        self.inner, self.edit, self.done = inner, edit, False

    def handle_request(self, request):
        if request.url.path.endswith("/push") and not self.done:
            self.done = True
            self.edit()
        return self.inner.handle_request(request)


def test_an_edit_made_while_its_previous_push_is_on_the_way_follows_it_without_a_conflict(server, laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    a.ws.update(kind="client", id=client, values={"status": "dormant"})
    typing = _typing_during_next_push(
        server, a, lambda: a.ws.update(kind="client", id=client, values={"status": "former"})
    )
    a.sync()
    assert typing.done and len(a.ws.outbox()) == 1, "the edit made during the push waits for the next"
    a.sync()
    b.sync()
    assert b.ws.get(kind="client", id=client)["status"] == "former"
    assert open_conflicts(a.ws) == open_conflicts(b.ws) == [], "a laptop never conflicts with itself"


def test_a_batch_left_waiting_by_an_earlier_version_is_sent_first_and_once(server, laptops):
    """One release kept a single unacknowledged batch as JSON under "sync_pending": it still goes."""
    import json

    from companion.sync.client import LEGACY_PENDING, _build_batch

    a = laptops("a")
    client = _client(a.ws, industry="Energy")
    mutations, _starts, cut = _build_batch(a.ws, a.ws.outbox(), next_seq=1)
    a.ws.set_meta(values={LEGACY_PENDING: json.dumps({"mutations": mutations, "cut": cut})})
    a.ws.update(kind="client", id=client, values={"website": "https://halvorsen.example"})
    assert a.sync().pushed == 2
    assert a.ws.meta(key=LEGACY_PENDING) is None and a.ws.outbox() == []
    b = laptops("b")
    b.sync()
    record = b.ws.get(kind="client", id=client)
    assert (record["industry"], record["website"]) == ("Energy", "https://halvorsen.example")


def _typing_during_next_push(server, laptop, edit) -> _EditDuringPush:
    typing = _EditDuringPush(server.http()._transport, edit)
    laptop.client.http = httpx.Client(
        base_url="http://testserver", transport=typing, headers=laptop.client.http.headers
    )
    return typing


def test_an_edit_after_a_merge_this_laptop_never_saw_keeps_the_others_writing(server, laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops, history="1987: founded\n1990s: ROVs\n2020: wind\n")
    b.ws.update(
        kind="client", id=client, values={"history": "1987: founded by Arne\n1990s: ROVs\n2020: wind\n"}
    )
    b.sync()
    a.ws.update(
        kind="client", id=client, values={"history": "1987: founded\n1990s: ROVs\n2020: offshore wind\n"}
    )
    # Typed while the push travels: based on this laptop's own text, before it read the merge.
    _typing_during_next_push(
        server,
        a,
        lambda: a.ws.update(
            kind="client", id=client, values={"history": "1987: founded\n1990s: ROVs\n2021: offshore wind\n"}
        ),
    )
    a.sync()
    a.sync()
    b.sync()
    for laptop in (a, b):
        history = laptop.ws.get(kind="client", id=client)["history"]
        assert "founded by Arne" in history and "2021: offshore wind" in history, history


def test_a_delete_made_while_its_own_edit_is_on_the_way_is_not_a_conflict(server, laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    a.ws.update(kind="client", id=client, values={"status": "dormant"})
    _typing_during_next_push(server, a, lambda: a.ws.delete(kind="client", id=client))
    a.sync()
    a.sync()
    b.sync(allow_deletes=True)  # b's one record: over the share a pull may delete unasked
    assert a.ws.list(kind="client") == b.ws.list(kind="client") == []
    assert open_conflicts(a.ws) == open_conflicts(b.ws) == []


def test_two_syncs_of_one_workspace_never_run_at_once(laptops):
    """The app's background sync and `companion sync` would number different batches alike."""
    from companion.sync.lock import SyncBusy, exclusive_sync

    a = laptops("a")
    _client(a.ws)
    with exclusive_sync(a.ws.path), pytest.raises(SyncBusy, match="Another sync of this workspace"):
        a.sync()
    assert len(a.ws.outbox()) == 1, "nothing was sent or dropped"
    assert a.sync().pushed == 1


class _GarbledPages(httpx.BaseTransport):
    """Passes requests on, but spoils one record of each page pulled (as a broken server might)."""

    def __init__(self, inner):
        self.inner = inner

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        if not request.url.path.endswith("/pull"):
            return response
        page = json.loads(response.read())
        if page["rows"]:
            page["rows"][0]["fields"] = "not an object"
        return httpx.Response(200, json=page)


def test_a_row_the_laptop_cannot_read_is_set_aside_and_the_rest_written(server, laptops):
    a = laptops("a")
    _client(a.ws, "Halvorsen Offshore")
    _client(a.ws, "Kiyomizu Precision")
    a.sync()
    b = laptops(
        "b",
        http=httpx.Client(base_url="http://testserver", transport=_GarbledPages(server.http()._transport)),
    )
    summary = b.sync()
    # The spoiled row waits aside (named, with why); the rest of the team's work arrived.
    assert summary.set_aside == 1
    (aside,) = b.ws.set_aside().values()
    assert aside["problem"] == "not a record this version reads"
    assert len(b.ws.list(kind="client")) == 1 and b.ws.meta(key="sync_cursor") not in (None, "0")


def _outbox_rows(ws) -> int:
    with ws.db.reading() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one()


def test_acknowledged_edits_are_gone_from_the_outbox_even_before_they_are_deleted(
    server, laptops, monkeypatch
):
    a, b = laptops("a"), laptops("b")
    clients = [_client(a.ws, name=f"Client {n}") for n in range(5)]

    def stopped(_ws):
        raise RuntimeError("the laptop stopped here")

    # The push's batches are acknowledged; the process ends before their entries are deleted.
    monkeypatch.setattr(type(a.ws), "forget_acknowledged", stopped)
    with pytest.raises(RuntimeError):
        a.sync()
    monkeypatch.undo()
    assert _outbox_rows(a.ws) == 5, "still in the table"
    assert a.ws.outbox() == [] and a.ws.outbox_count() == 0 and a.ws.first_queued(record_ids=clients) == {}
    # Nobody's later edit is mistaken for this laptop's pending one, nor is anything sent twice.
    b.sync()
    b.ws.update(kind="client", id=clients[0], values={"name": "Renamed by b"})
    b.sync()
    summary = a.sync()
    assert summary.pushed == 0 and summary.conflicts == 0
    assert _records(a.ws, "client")[clients[0]]["name"] == "Renamed by b"
    assert _outbox_rows(a.ws) == 0, "what the push cut short left is deleted by the next sync"
    a.ws.update(kind="client", id=clients[1], values={"industry": "Shipping"})
    assert [e["record_id"] for e in a.ws.outbox()] == [clients[1]]
    assert a.sync().pushed == 1 and a.ws.outbox() == []
    b.sync()
    assert _records(b.ws, "client")[clients[1]]["industry"] == "Shipping"


class _FirstPushReply(httpx.BaseTransport):
    """Passes requests on, but the reply to the first push, after the server committed it, becomes
    `instead(request)`: a raised error or another response."""

    def __init__(self, inner, instead):
        self.inner, self.instead = inner, instead
        self.replaced = 0

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        if request.url.path.endswith("/push") and not self.replaced:
            self.replaced += 1
            response.read()
            return self.instead(request)
        return response


def _connection_reset(request):
    raise httpx.ReadError("connection reset", request=request)


def _not_a_receipt(request):
    return httpx.Response(200, json={"results": "not a list"}, request=request)


def test_a_receipt_this_version_cannot_read_is_one_line_and_the_next_sync_completes(server, laptops):
    garbling = _FirstPushReply(server.http()._transport, _not_a_receipt)
    a = laptops("a", http=httpx.Client(base_url="http://testserver", transport=garbling))
    client = _client(a.ws)
    with pytest.raises(SyncError, match="not one this version reads") as refused:
        a.sync()
    assert refused.value.detail == "results: Input should be a valid array; last_seq: Field required"
    assert a.ws.outbox() != [], "kept until a receipt is read"
    a.sync()
    assert a.ws.outbox() == []
    b = laptops("b")
    b.sync()
    assert list(_records(b.ws, "client")) == [client]


def test_reply_lost_after_the_server_committed_then_retry_applies_once(server, laptops):
    plain = server.http()
    lossy = httpx.Client(
        base_url="http://testserver", transport=_FirstPushReply(plain._transport, _connection_reset)
    )
    a = laptops("a", http=lossy)
    client = _client(a.ws)
    with pytest.raises(SyncError, match="did not answer"):
        a.sync()
    assert a.ws.outbox() != [], "the outbox stays until the server's answer arrives"
    a.sync()
    assert a.ws.outbox() == []
    b = laptops("b")
    b.sync()
    assert list(_records(b.ws, "client")) == [client]
    assert server.admin(lambda conn: conn.exec_driver_sql("SELECT count(*) FROM mutation").scalar()) == 1


def test_replays_are_no_ops_and_gaps_are_refused_clearly(server):
    token = server.token(device="raw")
    http = server.http(token)
    m = {
        "seq": 1,
        "kind": "client",
        "id": "0193a3c2-0000-7000-8000-0000000000c1",
        "op": "upsert",
        "fields": {"name": "A"},
        "base_seq": 0,
        "hlc": "t1",
    }
    body = {"device_id": "raw-device", "team_id": server.team_id, "mutations": [m]}
    first = http.post("/v1/sync/push", json=body).json()
    again = http.post("/v1/sync/push", json=body).json()
    assert (
        again["results"][0]["replayed"]
        and again["results"][0]["record_seq"] == first["results"][0]["record_seq"]
    )
    gap = http.post("/v1/sync/push", json={**body, "mutations": [{**m, "seq": 3}]})
    assert gap.status_code == 409 and "does not hold pushes 2 to 2 of this device" in gap.json()["detail"]
    assert gap.headers["X-Companion-Forgotten"] == "1"  # the device's last push it holds


def test_tokens_and_teams_are_enforced(server):
    from companion.server import admin

    assert server.http().get("/v1/sync/hello").status_code == 401
    assert server.http("not-a-token").get("/v1/sync/hello").status_code == 401
    south = server.admin(lambda conn: admin.add_team(conn, "South"))  # mira is not in it
    http = server.http(server.token())
    assert [t["name"] for t in http.get("/v1/sync/hello").json()["teams"]] == ["North"]
    theirs = http.post("/v1/sync/pull", json={"team_id": south, "cursor": 0})
    nowhere = http.post("/v1/sync/pull", json={"team_id": "no-such-team", "cursor": 0})
    # Another team's data and a team that does not exist look the same: its existence is not told.
    assert theirs.status_code == nowhere.status_code == 403
    assert theirs.json() == nowhere.json()
    bad = http.post("/v1/sync/pull", content=b"{broken", headers={"content-type": "application/json"})
    assert bad.status_code == 422 and "does not follow the protocol" in bad.json()["detail"]
    unknown_kind = {
        "seq": 1,
        "kind": "spaceship",
        "id": "x",
        "op": "upsert",
        "fields": {},
        "base_seq": 0,
        "hlc": "t",
    }
    refused = http.post(
        "/v1/sync/push", json={"device_id": "d", "team_id": server.team_id, "mutations": [unknown_kind]}
    )
    assert refused.status_code == 422 and "spaceship" in refused.json()["detail"]
    huge = http.post(
        "/v1/sync/push",
        content=b"x",
        headers={"content-type": "application/json", "content-length": str(10**9)},
    )
    assert huge.status_code == 413


def test_a_removed_member_keeps_their_offline_edits(server, laptops):
    from companion.server import admin

    a = laptops("a")
    client = _client(a.ws)
    a.sync()
    a.ws.update(kind="client", id=client, values={"industry": "Wind"})
    server.admin(lambda conn: admin.remove_member(conn, team_name="North", user_name="mira"))
    with pytest.raises(SyncError, match="not a member of this team"):
        a.sync()
    assert a.ws.get(kind="client", id=client)["industry"] == "Wind"
    assert [e["record_id"] for e in a.ws.outbox()] == [client], "kept, and exportable"


def test_a_member_added_later_receives_the_teams_history(server, laptops):
    from companion.server import admin

    a = laptops("a")
    for n in range(5):
        _client(a.ws, f"Client {n}")
    a.sync()
    server.admin(lambda conn: admin.add_account(conn, "nina"))
    server.admin(lambda conn: admin.add_member(conn, team_name="North", user_name="nina"))
    nina = laptops("nina", token=server.token(user="nina", device="nina-laptop"))
    assert nina.sync().pulled == 5


def test_a_laptop_pointed_at_an_empty_server_deletes_nothing(server, laptops, tmp_path):
    from companion.server import admin, db
    from companion.server.app import create_app
    from tests.sync.conftest import Server

    a = laptops("a")
    for n in range(4):
        _client(a.ws, f"Client {n}")
    a.sync()
    # The server is replaced by an empty one (new epoch): the laptop reads it again, deletes nothing,
    # and its records go up again as it edits them.
    engine = db.make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    db.migrate(engine)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        team_id = admin.add_team(conn, "North")
        admin.add_account(conn, "mira")
        admin.add_member(conn, team_name="North", user_name="mira")
    fresh = Server(engine, create_app(engine), team_id)
    a.client.http = fresh.http(fresh.token())
    a.client.http.headers["X-Device-Id"] = a.client.device_id
    a.client.team_id = team_id
    summary = a.sync()
    assert "restored or replaced" in summary.messages[0]
    assert len(a.ws.list(kind="client")) == 4
    engine.dispose()


def test_a_pull_that_would_delete_most_of_the_workspace_stops_and_asks(laptops):
    a, b = laptops("a"), laptops("b")
    ids = [_client(a.ws, f"Client {n}") for n in range(8)]
    a.sync()
    b.sync()
    for n in range(20):
        _client(a.ws, f"New client {n}")  # arriving in pages before the deletes: not counted as b's own
    for record_id in ids[:5]:
        a.ws.delete(kind="client", id=record_id)
    a.sync()
    b.client.pull_limit = 10
    with pytest.raises(TooManyDeletes, match="would delete 5 of 8"):
        b.sync()
    assert len(b.ws.list(kind="client")) == 28, "the pages before were written, the deleting one not"
    b.sync(allow_deletes=True)
    assert len(b.ws.list(kind="client")) == 23


class _CutOff(httpx.BaseTransport):
    """Lets `allowed` pulls through, then drops the connection on the next one."""

    def __init__(self, inner, allowed: int):
        self.inner = inner
        self.allowed = allowed

    def handle_request(self, request):
        if request.url.path.endswith("/pull"):
            if self.allowed == 0:
                raise httpx.RemoteProtocolError("connection dropped", request=request)
            self.allowed -= 1
        return self.inner.handle_request(request)


def test_a_pull_cut_off_midway_resumes_and_skips_nothing(server, laptops):
    a = laptops("a")
    ids = {_client(a.ws, f"Client {n:02d}") for n in range(25)}
    a.sync()
    cut = httpx.Client(base_url="http://testserver", transport=_CutOff(server.http()._transport, allowed=2))
    b = laptops("b", http=cut)
    b.client.pull_limit = 10
    with pytest.raises(SyncError):
        b.sync()
    assert len(b.ws.list(kind="client")) == 20, "two whole pages, each with its cursor"
    b.client.http = server.http(b.client.http.headers["Authorization"].split()[1])
    b.client.http.headers["X-Device-Id"] = b.client.device_id
    b.sync()
    assert set(_records(b.ws, "client")) == ids


def test_a_person_resolves_a_conflict_and_every_laptop_follows(laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    a.ws.update(kind="client", id=client, values={"status": "dormant"})
    b.ws.update(kind="client", id=client, values={"status": "former"})
    a.sync()
    b.sync()
    (conflict,) = open_conflicts(b.ws)
    b.client.resolve(conflict_id=conflict["id"], value="dormant")
    b.sync()
    a.sync()
    for laptop in (a, b):
        assert laptop.ws.get(kind="client", id=client)["status"] == "dormant"
        assert open_conflicts(laptop.ws) == []


# --- the domain reactions follow what a pull brings -------------------------------------------


def _upcoming_meeting_with_site(ws, client, *, must_rule: bool = False):
    import datetime as dt

    from companion.core import meetings

    site = ws.create(
        kind="site", values={"client_id": client, "name": "Ågotnes base", "dress_code": "Work clothes"}
    ).created_id
    if must_rule:
        ws.create(
            kind="guideline",
            values={"client_id": client, "polarity": "dont", "text": "Mention the pilot", "scope": "client"}
            | {"severity": "must"},
        )
    starts = (dt.datetime.now().astimezone() + dt.timedelta(days=7)).replace(microsecond=0)
    values = {"client_id": client, "site_id": site, "title": "Quay walk", "starts_at": starts.isoformat()}
    return site, meetings.plan_meeting(ws, values=values).created_id


def _review_planned_offline(ws, client, site):
    """A meeting a laptop plans at the site while offline, nine days ahead."""
    import datetime as dt

    from companion.core import meetings

    starts = (dt.datetime.now().astimezone() + dt.timedelta(days=9)).replace(microsecond=0)
    values = {"client_id": client, "site_id": site, "title": "Review", "starts_at": starts.isoformat()}
    return meetings.plan_meeting(ws, values=values).created_id


def _item(ws, meeting_id, text):
    items = ws.list(kind="meeting_checklist_item", where={"meeting_id": meeting_id})
    return next(i for i in items if i["text"] == text)


def test_a_pulled_change_recomposes_a_meeting_planned_here_offline(laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    site, _ = _upcoming_meeting_with_site(a.ws, client)
    a.sync()
    b.sync()
    # B plans a meeting of its own at that site while offline; A rewrites the site's dress code.
    mine = _review_planned_offline(b.ws, client, site)
    assert _item(b.ws, mine, "Dress code")["detail"] == "Work clothes"
    a.ws.update(kind="site", id=site, values={"dress_code": "Suit and tie"})
    a.sync()
    b.sync()
    # B's own meeting follows what arrived, as it would after an edit made on B.
    assert _item(b.ws, mine, "Dress code")["detail"] == "Suit and tie"
    a.sync()
    assert _item(a.ws, mine, "Dress code")["detail"] == "Suit and tie"


def test_a_must_item_unticked_elsewhere_puts_a_ready_meeting_back_to_planned(laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    _, meeting_id = _upcoming_meeting_with_site(a.ws, client, must_rule=True)
    items = a.ws.list(kind="meeting_checklist_item", where={"meeting_id": meeting_id})
    for item in items:
        if item["must"]:
            a.ws.update(kind="meeting_checklist_item", id=item.id, values={"done": True})
    a.sync()
    b.sync()
    must = next(i for i in items if i["must"])
    # Offline: B marks the meeting ready; A unticks a must-item.
    b.ws.update(kind="meeting", id=meeting_id, values={"status": "ready"})
    a.ws.update(kind="meeting_checklist_item", id=must.id, values={"done": False})
    a.sync()
    b.sync()
    assert b.ws.get(kind="meeting_checklist_item", id=must.id)["done"] is False
    assert b.ws.get(kind="meeting", id=meeting_id)["status"] == "planned"
    b.sync()
    a.sync()
    assert a.ws.get(kind="meeting", id=meeting_id)["status"] == "planned"


def test_laptops_composing_one_checklist_at_once_make_one_item(laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    c = laptops("c")
    _, meeting_id = _upcoming_meeting_with_site(a.ws, client)
    for laptop in (a, b, c):
        laptop.sync()
    # A rule arrives on C by an import (imports write records as they are: nothing is recomposed there),
    # so A and B each compose its item after their pull.
    rule = {"id": "0193a3c2-0000-7000-8000-00000000c0de", "client_id": client, "polarity": "dont"}
    rule |= {"text": "Mention the pilot", "scope": "client", "severity": "must"}
    c.ws.import_records(records={"guideline": [rule]})
    c.sync()
    a.sync()
    b.sync()
    for laptop in (a, b, c, a, b, c):
        laptop.sync()
    for laptop in (a, b, c):
        items = laptop.ws.list(kind="meeting_checklist_item", where={"meeting_id": meeting_id})
        made_from_rule = [i for i in items if i["origin"] == f"guideline:{rule['id']}"]
        assert len(made_from_rule) == 1, [i.id for i in made_from_rule]


def test_a_pull_cut_off_after_a_change_arrived_still_recomposes_on_the_next_sync(server, laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    site, _ = _upcoming_meeting_with_site(a.ws, client)
    a.sync()
    b.sync()
    mine = _review_planned_offline(b.ws, client, site)
    a.ws.update(kind="site", id=site, values={"dress_code": "Suit and tie"})
    for n in range(12):  # pages after the site's that feed no checklist
        a.ws.create(kind="colleague", values={"name": f"Colleague {n:02d}"})
    a.sync()
    token = b.client.http.headers["Authorization"].split()[1]
    b.client.http = httpx.Client(
        base_url="http://testserver", transport=_CutOff(server.http()._transport, allowed=1)
    )
    b.client.http.headers.update({"Authorization": f"Bearer {token}", "X-Device-Id": b.client.device_id})
    b.client.pull_limit = 5
    with pytest.raises(SyncError):
        b.sync()
    assert b.ws.get(kind="site", id=site)["dress_code"] == "Suit and tie", "the first page landed"
    b.client.http = server.http(token)
    b.client.http.headers["X-Device-Id"] = b.client.device_id
    b.sync()
    assert _item(b.ws, mine, "Dress code")["detail"] == "Suit and tie"


def test_a_conflict_over_a_number_reaches_every_laptop(laptops):
    """A conflict's values are JSON; a number among them read back from SQLite is still a number."""
    a, b = laptops("a"), laptops("b")
    client = _client(a.ws)
    person = a.ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    role = a.ws.create(kind="position", values={"contact_id": person, "client_id": client, "title": "CFO"})
    a.sync()
    b.sync()
    a.ws.update(kind="position", id=role.created_id, values={"influence": 4})
    b.ws.update(kind="position", id=role.created_id, values={"influence": 2})
    a.sync()
    b.sync()
    a.sync()
    newcomer = laptops("c")
    newcomer.sync()
    for laptop in (a, b, newcomer):
        (conflict,) = open_conflicts(laptop.ws)
        assert {conflict["kept"], conflict["other"]} == {4, 2}


def test_a_sync_with_nothing_to_do_writes_nothing(laptops):
    a, b, client = _two_laptops_sharing_a_client(laptops)
    b.sync()
    wal = b.ws.path.with_name(b.ws.path.name + "-wal")
    before = (wal.stat().st_size, wal.stat().st_mtime_ns, b.ws.path.stat().st_mtime_ns)
    summary = b.sync()
    assert (summary.pushed, summary.pulled) == (0, 0)
    # Not a transaction committed: the write-ahead log and the file are as they were.
    assert (wal.stat().st_size, wal.stat().st_mtime_ns, b.ws.path.stat().st_mtime_ns) == before
    # And the next edit still travels.
    a.ws.update(kind="client", id=client, values={"industry": "Energy"})
    a.sync()
    assert b.sync().pulled == 1
