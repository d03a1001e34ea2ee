"""Rows read by id as plain driver SQL come back exactly as SQLAlchemy's column types give them."""

from __future__ import annotations

import uuid

from companion.model.kinds import get_kind
from companion.store import records as rows


def test_fetched_rows_equal_the_rows_sqlalchemy_reads(workspace):
    contact = get_kind("contact")
    people = [
        {
            "id": str(uuid.UUID(int=n + 1)),
            "name": f"Person {n}",
            "emails": [f"p{n}@example.com", f"p{n}@home.example"] if n % 2 else None,
            "difficult": bool(n % 3),
            "visit_frequency_days": 30 + n % 600,
            "birthday": "1980-02-29" if n % 5 == 0 else None,
        }
        for n in range(1, 1001)  # more than one chunk of ids
    ]
    workspace.import_records(records={"contact": people})
    gone = people[7]["id"]
    workspace.delete(kind="contact", id=gone)
    with workspace.db.reading() as conn:
        expected = {r["id"]: r for r in rows.select_rows(conn, contact, include_deleted=True)}
        ids = [p["id"] for p in people] + [str(uuid.uuid4())]  # one that is not there
        fetched = rows.fetch(conn, contact, ids)
        live = rows.fetch(conn, contact, ids, include_deleted=False)
    assert fetched == expected
    assert set(live) == set(expected) - {gone}
    first = fetched[people[0]["id"]]  # person 1
    assert first["emails"] == ["p1@example.com", "p1@home.example"]
    assert first["difficult"] is True and fetched[people[2]["id"]]["difficult"] is False
    assert fetched[people[1]["id"]]["emails"] is None


def _edited_and_deleted(workspace) -> tuple[str, str]:
    """Four outbox entries: a client made and edited, another made and deleted; their ids."""
    edited = workspace.create(kind="client", values={"name": "Aurora Retail"}).created_id
    workspace.update(kind="client", id=edited, values={"industry": "Retail"})
    deleted = workspace.create(kind="client", values={"name": "Borealis"}).created_id
    workspace.delete(kind="client", id=deleted)
    return edited, deleted


def test_pending_fields_read_the_outbox(workspace):
    made, other = _edited_and_deleted(workspace)
    with workspace.db.reading() as conn:
        pending = rows.pending_fields(conn, [made, other, str(uuid.uuid4())])
    assert pending[made] >= {"name", "industry"}
    assert "*" in pending[other]
    assert len(pending) == 2


def test_outbox_entries_equal_the_rows_sqlalchemy_reads(workspace):
    import sqlalchemy as sa

    from companion.store.schema import outbox

    first, _second = _edited_and_deleted(workspace)
    with workspace.db.reading() as conn:
        expected = [
            dict(row._mapping) for row in conn.execute(sa.select(outbox).order_by(outbox.c.mutation_id))
        ]
        every = rows.outbox_entries(conn)
        later = rows.outbox_entries(conn, after=expected[1]["mutation_id"], limit=1)
        of_first = rows.outbox_entries(conn, record_id=first)
    assert every == expected and len(every) == 4
    assert later == expected[1:2]
    assert of_first == [e for e in expected if e["record_id"] == first]
    every[0]["fields"].append("changed")  # a list of its own, not shared with the next entry's
    assert every[2]["fields"] == expected[2]["fields"]


def test_acknowledged_entries_leave_every_reader_of_pending_edits_and_the_mark_never_goes_back(workspace):
    first = workspace.create(kind="client", values={"name": "Aurora Retail"}).created_id
    second = workspace.create(kind="client", values={"name": "Borealis"}).created_id
    workspace.update(kind="client", id=first, values={"industry": "Retail"})
    entries = workspace.outbox()
    assert [e["record_id"] for e in entries] == [first, second, first]
    with workspace.db.writing() as conn:
        rows.acknowledge_outbox_before(conn, entries[2]["mutation_id"])
        rows.acknowledge_outbox_before(conn, entries[1]["mutation_id"])  # an older mark: kept as it was
    assert workspace.outbox() == entries[2:] and workspace.outbox_count() == 1
    assert workspace.first_queued(record_ids=[first, second]) == {first: (entries[2]["mutation_id"], 0)}
    with workspace.db.reading() as conn:
        assert rows.pending_fields(conn, [first, second]) == {first: {"industry"}}
    with workspace.db.writing() as conn:
        rows.delete_acknowledged_outbox(conn)
        assert conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one() == 1
    assert workspace.outbox() == entries[2:]
