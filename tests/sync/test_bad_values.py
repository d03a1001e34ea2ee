"""The server checks every pushed value by the laptop's own rules: a value a laptop could never store is
refused with a 422 naming the record and field, nothing of that push is kept, and the team's laptops go
on syncing, listing and opening as before (SQLite and PostgreSQL, over HTTP; one run on a real socket)."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
import sqlalchemy as sa

from companion.core.service import Workspace
from companion.sync.client import SyncClient
from tests.sync.live import serving

CLIENT = "0193a3c2-0000-7000-8000-00000000c11e"


def _mutation(seq: int, kind: str, record_id: str, fields: dict, *, op: str = "upsert") -> dict:
    return {
        "seq": seq,
        "kind": kind,
        "id": record_id,
        "op": op,
        "fields": fields,
        "base_seq": 0,
        "hlc": f"t{seq}",
    }


def _deep(levels: int) -> object:
    value: object = "bottom"
    for _ in range(levels):
        value = {"inner": value}
    return value


# Each: (kind, fields, the field the refusal names). A fresh id for each; the client exists.
BAD = {
    "an object where text belongs": ("client", {"name": {"first": "Hal"}}, "name"),
    "a value nested 250 levels deep": (
        "note",
        {"body": _deep(250), "privacy": "team", "client_id": CLIENT},
        "body",
    ),
    "an impossible date": (
        "site",
        {"client_id": CLIENT, "name": "Forus", "last_verified": "2026-02-30"},
        "last_verified",
    ),
    "a birthday that is no date": ("contact", {"name": "Ingrid", "birthday": "17 May"}, "birthday"),
    "an all-day flag that is a word": (
        "meeting",
        {
            "client_id": CLIENT,
            "title": "Workshop",
            "starts_at": "2026-12-14T00:00:00+00:00",
            "all_day": "yes",
        },
        "all_day",
    ),
    "a meeting without a start": ("meeting", {"client_id": CLIENT, "title": "Review"}, "starts_at"),
    "an integer past 64 bits": (
        "contact",
        {"name": "Ingrid", "visit_frequency_days": 2**70},
        "visit_frequency_days",
    ),
    "a choice that is not one": ("client", {"name": "Hal", "status": "thriving"}, "status"),
    "text too long for its field": ("client", {"name": "H" * 5000}, "name"),
    "an end before its start": (
        "meeting",
        {
            "client_id": CLIENT,
            "title": "R",
            "starts_at": "2026-12-10T09:00:00+00:00",
            "ends_at": "2026-12-09T09:00:00+00:00",
        },
        "ends_at",
    ),
    "a list of texts that is a number": ("client", {"name": "Hal", "tags": 7}, "tags"),
    "a reference that is no id": ("position", {"contact_id": "nobody", "client_id": CLIENT}, "contact_id"),
    "an amount written in words": (
        "contract",
        {"client_id": CLIENT, "title": "Frame", "value": "lots"},
        "value",
    ),
    "a currency that is no code": (
        "contract",
        {"client_id": CLIENT, "title": "Frame", "currency": "euro"},
        "currency",
    ),
    "a plan status that is not one": (
        "account_plan",
        {"client_id": CLIENT, "title": "Plan", "status": "thriving"},
        "status",
    ),
    "a lost deal without its reason": (
        "opportunity",
        {"client_id": CLIENT, "title": "Pilot", "stage": "lost"},
        "outcome_reason",
    ),
    "a buying role that is not one": (
        "proposition",
        {"title": "Sensors", "status": "draft", "fit_roles": ["boss"]},
        "fit_roles",
    ),
    "a review rating past the scale": (
        "review",
        {"client_id": CLIENT, "title": "Q3", "kind": "quarterly", "held_on": "2026-10-01", "their_rating": 9},
        "their_rating",
    ),
    "a survey response by a channel that is not one": (
        "survey_response",
        {"survey_id": CLIENT, "client_id": CLIENT, "date": "2026-10-01", "channel": "pigeon"},
        "channel",
    ),
}


@pytest.fixture
def pushed(server):
    """A raw device of the team that has pushed the client, and a way to push more."""
    http = server.http(server.token(device="raw"))
    state = {"seq": 0}

    def push(*mutations: dict) -> httpx.Response:
        body = {"device_id": "raw-device", "team_id": server.team_id, "mutations": list(mutations)}
        return http.post("/v1/sync/push", json=body)

    def next_seq() -> int:
        return state["seq"] + 1

    first = push(_mutation(1, "client", CLIENT, {"name": "Halvorsen Offshore", "status": "active"}))
    assert first.status_code == 200, first.text
    state["seq"] = 1
    return push, next_seq


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_value_a_laptop_could_not_store_is_refused_naming_its_record_and_field(
    server, laptops, pushed, case
):
    push, next_seq = pushed
    kind, fields, field = BAD[case]
    record_id = str(uuid.uuid4())
    good = _mutation(next_seq(), "client", str(uuid.uuid4()), {"name": "Kept only with the push"})
    bad = _mutation(next_seq() + 1, kind, record_id, fields)
    reply = push(good, bad)
    assert reply.status_code == 422, reply.text
    detail = reply.json()["detail"]
    assert record_id in detail and f"({field})" in detail, detail
    # The whole push is refused: the good mutation before it was not kept either.
    names = server.admin(lambda conn: [r[0] for r in conn.execute(sa.text("SELECT kind FROM record")).all()])
    assert names == ["client"]
    # And the team syncs on: a laptop pulls, lists and can push.
    laptop = laptops("b")
    laptop.sync()
    assert [c["name"] for c in laptop.ws.list(kind="client")] == ["Halvorsen Offshore"]
    laptop.ws.create(kind="client", values={"name": "Aurora Retail"})
    assert laptop.sync().pushed == 1


def test_text_that_is_not_text_is_refused(server, pushed):
    _push, next_seq = pushed
    mutation = _mutation(next_seq(), "client", str(uuid.uuid4()), {"name": "Hal<lone>"})
    body = json.dumps({"device_id": "raw-device", "team_id": server.team_id, "mutations": [mutation]})
    # A lone surrogate, as JSON can spell it: not text a laptop can store or show.
    body = body.replace("<lone>", "\\ud800")
    http = server.http(server.token(device="raw2"))
    reply = http.post("/v1/sync/push", content=body.encode(), headers={"content-type": "application/json"})
    assert 400 <= reply.status_code < 500, reply.text
    assert server.admin(lambda conn: conn.execute(sa.text("SELECT count(*) FROM record")).scalar()) == 1


def test_an_amount_spelled_nan_or_infinity_is_refused_naming_its_field(server, pushed):
    for number, spelling in enumerate(("NaN", "Infinity", "-Infinity")):
        record_id = str(uuid.uuid4())
        fields = {"client_id": CLIENT, "title": "Frame", "value": "<number>"}
        body = json.dumps({"device_id": f"nan-{number}", "team_id": server.team_id,
                           "mutations": [_mutation(1, "contract", record_id, fields)]})  # fmt: skip
        # JSON has no such numbers, but Python's reader (and others) take these spellings.
        body = body.replace('"<number>"', spelling)
        http = server.http(server.token(device=f"raw-nan-{number}"))
        reply = http.post(
            "/v1/sync/push", content=body.encode(), headers={"content-type": "application/json"}
        )
        assert reply.status_code == 422, reply.text
        assert record_id in reply.text and "(value)" in reply.text, reply.text


def test_a_refusal_that_quotes_a_lone_surrogate_is_still_answered(server, pushed):
    _push, next_seq = pushed
    record_id = str(uuid.uuid4())
    mutation = _mutation(next_seq(), "meeting", record_id, {"client_id": CLIENT, "contact_ids": ["<lone>"]})
    body = json.dumps({"device_id": "raw-device", "team_id": server.team_id, "mutations": [mutation]})
    body = body.replace("<lone>", "\\ud800")
    http = server.http(server.token(device="raw3"))
    reply = http.post("/v1/sync/push", content=body.encode(), headers={"content-type": "application/json"})
    # The refusal quotes the value, escaped: UTF-8 cannot carry the surrogate itself.
    assert reply.status_code == 422, reply.text
    assert record_id in reply.json()["detail"] and "(contact_ids)" in reply.json()["detail"]
    assert "\\ud800" in reply.json()["detail"]


def test_a_record_keeps_its_kind(server, pushed):
    push, next_seq = pushed
    reply = push(_mutation(next_seq(), "contact", CLIENT, {"name": "Not a client"}))
    assert reply.status_code == 422 and "is a client, not a contact" in reply.json()["detail"]


def test_spaces_around_a_name_are_kept_as_laptops_write_them(server, laptops, pushed):
    push, next_seq = pushed
    record_id = str(uuid.uuid4())
    reply = push(_mutation(next_seq(), "client", record_id, {"name": "  Aurora Retail  "}))
    assert reply.status_code == 200 and reply.json()["clean"] is False
    laptop = laptops("b")
    laptop.sync()
    assert laptop.ws.get(kind="client", id=record_id)["name"] == "Aurora Retail"


def test_refused_over_a_real_socket(server, tmp_path):
    """The same refusal from uvicorn on 127.0.0.1, and a laptop syncing through it afterwards."""
    with serving(server.engine) as url:
        token = server.token(device="raw-socket")
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
            body = {
                "device_id": "socket-device",
                "team_id": server.team_id,
                "mutations": [_mutation(1, "client", str(uuid.uuid4()), {"name": ["not", "text"]})],
            }
            reply = http.post("/v1/sync/push", json=body)
        assert reply.status_code == 422 and "(name)" in reply.json()["detail"]
        ws = Workspace.open(tmp_path / "laptop.sqlite")
        try:
            ws.create(kind="client", values={"name": "Halvorsen Offshore"})
            client = SyncClient(
                ws, server=url, token=server.token(device="socket-laptop"), team_id=server.team_id
            )
            assert client.sync().pushed == 1
        finally:
            ws.close()


def _plant(server, record_id: str, kind: str, fields: dict) -> None:
    """A row the server holds from before it checked values (or from a restored old database)."""
    from companion.server.schema import record, team_counter

    def write(conn):
        seq = (
            conn.execute(
                sa.select(team_counter.c.seq).where(team_counter.c.team_id == server.team_id)
            ).scalar_one()
            + 1
        )
        conn.execute(
            sa.insert(record).values(
                id=record_id,
                team_id=server.team_id,
                kind=kind,
                fields=fields,
                field_seqs={f: seq for f in fields},
                field_hlcs={f: "t|old" for f in fields},
                created_at="2026-01-01T00:00:00Z",
                updated_at="2026-01-01T00:00:00Z",
                deleted_at=None,
                deleted_seq=None,
                seq=seq,
            )
        )
        conn.execute(sa.update(team_counter).where(team_counter.c.team_id == server.team_id).values(seq=seq))

    server.admin(write)


def test_a_row_a_laptop_cannot_store_is_set_aside_and_sync_goes_on(server, laptops, pushed):
    bad_client, bad_meeting = str(uuid.uuid4()), str(uuid.uuid4())
    _plant(server, bad_client, "client", {"name": {"nested": "object"}})
    _plant(server, bad_meeting, "meeting", {"client_id": CLIENT, "title": "No start"})
    laptop = laptops("b")
    summary = laptop.sync()
    assert summary.set_aside == 2 and summary.line().endswith("2 set aside")
    assert [c["name"] for c in laptop.ws.list(kind="client")] == ["Halvorsen Offshore"]
    aside = laptop.ws.set_aside()
    assert "(name): expected text" in aside[bad_client]["problem"]
    assert "(starts_at): is required" in aside[bad_meeting]["problem"]
    # Home, the meeting list and the window's indicator read on; the next sync has nothing new to set aside.
    from companion.core.attention import Filters, attention

    attention(laptop.ws, filters=Filters())
    assert laptop.ws.list(kind="meeting") == []
    laptop.ws.create(kind="client", values={"name": "Aurora Retail"})
    assert laptop.sync().pushed == 1
    # A good version arrives: written, and no longer set aside.
    push, next_seq = pushed
    fixed = _mutation(next_seq(), "client", bad_client, {"name": "Borealis Foods"})
    fixed["base_seq"] = 10
    assert push(fixed).status_code == 200
    assert laptop.sync().set_aside == 1
    assert laptop.ws.get(kind="client", id=bad_client)["name"] == "Borealis Foods"
    assert list(laptop.ws.set_aside()) == [bad_meeting]


def test_a_resolved_value_is_checked_and_the_device_must_be_the_accounts(server, laptops):
    from companion.server import admin
    from companion.sync.client import open_conflicts

    a, b = laptops("a"), laptops("b")
    client = a.ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    a.sync()
    b.sync()
    a.ws.update(kind="client", id=client, values={"status": "dormant"})
    b.ws.update(kind="client", id=client, values={"status": "former"})
    a.sync()
    b.sync()
    (conflict,) = open_conflicts(b.ws)
    body = {"team_id": server.team_id, "conflict_id": conflict["id"], "value": "thriving"}
    http = server.http(server.token(device="a-again"))
    http.headers["X-Device-Id"] = a.client.device_id
    refused = http.post("/v1/sync/resolve", json=body)
    assert refused.status_code == 422 and "(status)" in refused.json()["detail"], refused.text
    # Another account cannot speak for this account's device, whatever header it sends.
    server.admin(
        lambda conn: (
            admin.add_account(conn, "noor"),
            admin.add_member(conn, team_name="North", user_name="noor"),
        )
    )
    other = server.http(server.token(user="noor", device="noor"))
    other.headers["X-Device-Id"] = a.client.device_id
    assert other.post("/v1/sync/resolve", json={**body, "value": "active"}).status_code == 403
    # The owner, with a value the rules accept: resolved for everyone.
    assert http.post("/v1/sync/resolve", json={**body, "value": "active"}).status_code == 200
    a.sync()
    assert a.ws.get(kind="client", id=client)["status"] == "active"


def test_a_clock_far_in_the_future_does_not_win_later_edits(server):
    ours, theirs = server.http(server.token(device="ahead")), server.http(server.token(device="honest"))

    def push(http, device: str, seq: int, fields: dict, *, base_seq: int, hlc: str) -> dict:
        m = {
            "seq": seq,
            "kind": "client",
            "id": CLIENT,
            "op": "upsert",
            "fields": fields,
            "base_seq": base_seq,
            "hlc": hlc,
        }
        reply = http.post(
            "/v1/sync/push", json={"device_id": device, "team_id": server.team_id, "mutations": [m]}
        )
        assert reply.status_code == 200, reply.text
        return reply.json()["results"][0]

    import datetime as dt

    def stamp() -> str:
        return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    made = push(ours, "ahead-device", 1, {"name": "Halvorsen Offshore"}, base_seq=0, hlc=stamp())[
        "record_seq"
    ]
    push(ours, "ahead-device", 2, {"status": "dormant"}, base_seq=made, hlc="2999-01-01T00:00:00.000000Z")
    # Made afterwards on a laptop that had not seen it: the later edit wins, not the clock that lies.
    result = push(theirs, "honest-device", 1, {"status": "former"}, base_seq=made, hlc=stamp())
    assert result["conflicts"]
    status = server.admin(lambda conn: conn.execute(sa.text("SELECT fields FROM record")).scalar())
    status = status if isinstance(status, dict) else json.loads(status)
    assert status["status"] == "former"


def test_a_sign_off_naming_no_version_the_team_holds_is_refused(server, pushed):
    """Issue 21: a sign-off with a made-up content hash cleared its colleague on every laptop."""
    push, next_seq = pushed
    colleague, version = str(uuid.uuid4()), str(uuid.uuid4())
    read = {"client_id": CLIENT, "candid": False, "signed_at": "2026-12-01T09:00:00+00:00", "version": 1}
    seq = next_seq()
    reply = push(
        _mutation(seq, "colleague", colleague, {"name": "Ana"}),
        _mutation(seq + 1, "pack_version", version, {"client_id": CLIENT, "number": 1, "content_hash": "a1"}),
        _mutation(
            seq + 2,
            "pack_signoff",
            str(uuid.uuid4()),
            {**read, "colleague_id": colleague, "content_hash": "a1"},
        ),
    )
    assert reply.status_code == 200, reply.text  # a version pushed with its sign-off, in the same push
    forged_id = str(uuid.uuid4())
    forged = _mutation(
        seq + 3, "pack_signoff", forged_id, {**read, "colleague_id": colleague, "content_hash": "f0"}
    )
    reply = push(forged)
    assert reply.status_code == 422, reply.text
    detail = reply.json()["detail"]
    assert forged_id in detail and "(content_hash)" in detail and "never recorded" in detail, detail
    kinds = server.admin(lambda conn: sorted(r[0] for r in conn.execute(sa.text("SELECT kind FROM record"))))
    assert kinds == ["client", "colleague", "pack_signoff", "pack_version"]
