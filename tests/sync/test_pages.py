"""Pull pages are capped in bytes, not only rows, and in conflicts: long texts and a storm of conflicts
arrive over several pages, and every laptop still gets all of them."""

from __future__ import annotations

import gc

from companion.server import pull
from companion.sync.client import open_conflicts


def _pull_page(server, token: str, cursor: int = 0):
    reply = server.http(token).post("/v1/sync/pull", json={"team_id": server.team_id, "cursor": cursor})
    assert reply.status_code == 200, reply.text
    return reply.content, reply.json()


def test_long_texts_come_in_pages_of_a_few_megabytes(server, laptops):
    a = laptops("a")
    text = "Offshore history, year by year. " * 2800  # about 90 KB
    for n in range(70):  # about 6 MB in all
        a.ws.create(kind="client", values={"name": f"Client {n:02}", "history": text})
    a.sync()
    raw, page = _pull_page(server, server.token(device="reader"))
    assert page["more"] and 0 < len(page["rows"]) < 70
    assert len(raw) <= pull.PAGE_BYTES + 200_000
    b = laptops("b")
    b.sync()
    assert len(b.ws.list(kind="client")) == 70


def test_conflicts_come_in_pages_too(server, laptops, monkeypatch):
    monkeypatch.setattr(pull, "CONFLICTS_PER_PAGE", 3)
    a, b = laptops("a"), laptops("b")
    clients = [a.ws.create(kind="client", values={"name": f"Client {n}"}).created_id for n in range(7)]
    a.sync()
    b.sync()
    for client in clients:
        a.ws.update(kind="client", id=client, values={"status": "dormant"})
        b.ws.update(kind="client", id=client, values={"status": "former"})
    a.sync()
    b.sync()
    _raw, page = _pull_page(server, server.token(device="reader"))
    assert len(page["conflicts"]) <= 3 and page["more"]
    c = laptops("c")
    c.sync()
    assert len(open_conflicts(c.ws)) == 7


def test_the_cycle_collector_rests_while_batches_move_and_wakes_after(server, laptops):
    a, b = laptops("a"), laptops("b")
    for n in range(3):
        a.ws.create(kind="client", values={"name": f"Client {n}"})
    seen: list[tuple[str, bool]] = []
    a.sync(progress=lambda stage, _count: seen.append((stage, gc.isenabled())))
    b.sync(progress=lambda stage, _count: seen.append((stage, gc.isenabled())))
    assert {stage for stage, _on in seen} == {"push", "pull"}
    assert not any(on for _stage, on in seen)
    assert gc.isenabled()
