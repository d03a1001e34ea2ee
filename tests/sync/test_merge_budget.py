"""Long texts edited on two laptops: merged with a budget, before the push takes the lock others wait for."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from companion.server import apply
from companion.sync.client import open_conflicts
from companion.sync.merge import merge3


def _shared_history(laptops, history: str):
    a, b = laptops("a"), laptops("b")
    client = a.ws.create(kind="client", values={"name": "Halvorsen", "history": history}).created_id
    a.sync()
    b.sync()
    return a, b, client


def test_texts_too_alike_to_compare_in_time_become_a_conflict_not_a_stall(laptops):
    # Tens of thousands of repeated lines: comparing them line by line takes minutes; the merge gives
    # up within its budget, and a person chooses. Nothing either side wrote is lost.
    base = "- visit\n" * 6000 + "- call\n" * 6000
    a, b, client = _shared_history(laptops, base)
    mine = "- visit\n" * 3000 + "- lunch\n" + "- visit\n" * 3000 + "- call\n" * 6000
    theirs = "".join("- visit\n- call\n" for _ in range(6000))
    assert merge3(base, mine, theirs, seconds=0.05) is None
    a.ws.update(kind="client", id=client, values={"history": mine})
    b.ws.update(kind="client", id=client, values={"history": theirs})
    a.sync()
    b.sync()
    (conflict,) = open_conflicts(b.ws)
    assert conflict["field"] == "history" and {conflict["kept"], conflict["other"]} == {mine, theirs}


def _team_lock_free(server) -> bool:
    """Whether another push, of any team, could take the server's write lock right now."""
    url = server.engine.url
    if url.get_backend_name() == "sqlite":
        with server.engine.connect() as conn:
            filename = conn.exec_driver_sql("PRAGMA database_list").all()[0][2]
        probe = sqlite3.connect(filename, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            probe.close()
    with server.engine.connect() as conn, conn.begin():
        try:
            conn.execute(
                sa.text("SELECT seq FROM team_counter WHERE team_id = :team FOR UPDATE NOWAIT"),
                {"team": server.team_id},
            )
            return True
        except sa.exc.OperationalError:
            return False


def test_the_merge_runs_before_the_push_takes_its_lock(server, laptops, monkeypatch):
    a, b, client = _shared_history(laptops, "1987: founded\n1990s: ROVs\n2020: wind\n")
    seen: list[bool] = []
    real = apply.merge3

    def watched(*args, **kwargs):
        seen.append(_team_lock_free(server))
        return real(*args, **kwargs)

    monkeypatch.setattr(apply, "merge3", watched)
    a.ws.update(
        kind="client", id=client, values={"history": "1987: founded by Arne\n1990s: ROVs\n2020: wind\n"}
    )
    b.ws.update(
        kind="client", id=client, values={"history": "1987: founded\n1990s: ROVs\n2020: wind\n2025: Danes\n"}
    )
    a.sync()
    b.sync()
    a.sync()
    assert seen == [True]  # merged once, with the lock free for everyone else
    merged = "1987: founded by Arne\n1990s: ROVs\n2020: wind\n2025: Danes\n"
    assert (
        a.ws.get(kind="client", id=client)["history"]
        == b.ws.get(kind="client", id=client)["history"]
        == merged
    )
    assert open_conflicts(a.ws) == []


@pytest.mark.parametrize("size", [10, 2000])
def test_merges_within_budget_keep_both_edits(size):
    base = "".join(f"line {n}\n" for n in range(size))
    mine = base.replace("line 1\n", "line one\n")
    theirs = base.replace(f"line {size - 1}\n", "the last line\n")
    assert merge3(base, mine, theirs) == mine.replace(f"line {size - 1}\n", "the last line\n")
    assert merge3(base, mine, base.replace("line 1\n", "line uno\n")) is None  # the same line: a person
