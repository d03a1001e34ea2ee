"""Undoing and redoing a large change set together (bulk.deletes_or_restores) gives what one by one gives."""

from __future__ import annotations

import shutil
import uuid

import pytest

from companion.core import bulk
from companion.core.changes import ChangeSet
from companion.core.service import Workspace
from companion.model.errors import DependentRecordsError, NotFoundError, ValidationError

KINDS = ("colleague", "client", "sub_group", "site", "contact", "position")
SEARCHED = ("Fjord", "Fjord Client 7", "Person", "Person 12", "Depot", "Boss", "Engineering")


@pytest.fixture
def one_by_one(tmp_path, empty_workspace_file, monkeypatch):
    """A second workspace whose undo never goes together: the behaviour before bulk undo."""
    path = tmp_path / "one_by_one.sqlite"
    shutil.copyfile(empty_workspace_file, path)
    ws = Workspace.open(path)
    real = Workspace._apply

    def never_together(self, edits, *, label, react, in_bulk=False):
        return real(self, edits, label=label, react=react, in_bulk=in_bulk and self is not ws)

    monkeypatch.setattr(Workspace, "_apply", never_together)
    yield ws
    ws.close()


@pytest.fixture
def together(monkeypatch):
    """What each bulk attempt answered: its changes, or None when it left the edits to go one by one."""
    answers: list[list | None] = []
    real = bulk.deletes_or_restores

    def recorded(conn, edits, stamp):
        answers.append(real(conn, edits, stamp))
        return answers[-1]

    monkeypatch.setattr(bulk, "deletes_or_restores", recorded)
    return answers


def ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def bundle(owner: str, clients: int = 30) -> dict[str, list[dict]]:
    """Clients with nested sub-groups, a site, people and a reporting line each: 10 records a client, of
    which several point at others of the bundle (sub-group parents, bosses) and at the owner outside it."""
    records: dict[str, list[dict]] = {k: [] for k in KINDS if k != "colleague"}
    for n in range(clients):
        client, top, below, site = ids(4)
        records["client"].append({"id": client, "name": f"Fjord Client {n}", "owner_id": owner})
        records["sub_group"] += [
            {"id": top, "client_id": client, "name": "Engineering"},
            {"id": below, "client_id": client, "name": "Subsea", "parent_id": top},
        ]
        records["site"].append({"id": site, "client_id": client, "name": f"Depot {n}"})
        boss = None
        for m, title in enumerate(("Boss", "Engineer", "Buyer")):
            person, held = ids(2)
            records["contact"].append({"id": person, "name": f"Person {n * 3 + m}", "owner_id": owner})
            records["position"].append({
                "id": held, "contact_id": person, "client_id": client, "title": title, "site_id": site,
                "sub_group_id": below, "reports_to_id": boss,
            })  # fmt: skip
            boss = held
    return records


def state(ws: Workspace, record_ids: list[str]) -> dict:
    """Everything undo writes, without the moments it wrote them: rows (deleted or not, and whether the
    delete's stamp is its last edit), the outbox a sync would push, search hits."""
    found = {}
    for kind in KINDS:
        for record_id, row in ws.rows_of(kind=kind, ids=record_ids).items():
            values = {k: v for k, v in row.items() if k not in ("created_at", "updated_at", "deleted_at")}
            deleted = row["deleted_at"]
            found[record_id] = (values, bool(deleted), deleted is None or deleted == row["updated_at"])
    outbox = [(e["kind"], e["record_id"], e["op"], e["fields"], e["base_seq"]) for e in ws.outbox()]
    hits = {
        text: sorted(
            (h.kind, h.record_id, h.title, h.in_name, h.context) for h in ws.search(text=text, limit=500)
        )
        for text in SEARCHED
    }
    return {"rows": found, "outbox": outbox, "hits": hits}


def written(changes: ChangeSet) -> list[tuple]:
    return [(c.op, c.kind, c.id, c.before, c.after) for c in changes.changes]


def prepared(ws: Workspace, owner: str, records: dict) -> ChangeSet:
    ws.create(kind="colleague", id=owner, values={"name": "Mira Tan"})
    return ws.import_records(records=records)


def all_ids(owner: str, records: dict) -> list[str]:
    return [owner] + [r["id"] for items in records.values() for r in items]


def test_an_import_undone_redone_and_undone_again_is_what_one_by_one_gives(workspace, one_by_one, together):
    owner = str(uuid.uuid4())
    records = bundle(owner)
    everything = all_ids(owner, records)
    steps = {}
    for ws in (workspace, one_by_one):
        imported = prepared(ws, owner, records)
        undone = ws.undo(changes=imported)
        after_undo = state(ws, everything)
        redone = ws.undo(changes=undone)
        after_redo = state(ws, everything)
        again = ws.undo(changes=redone)
        steps[ws] = (
            written(undone),
            after_undo,
            written(redone),
            after_redo,
            written(again),
            state(ws, everything),
        )
    assert [len(answer) if answer else answer for answer in together] == [300, 300, 300]
    assert steps[workspace] == steps[one_by_one]
    undone, after_undo, redone, after_redo, *_ = steps[workspace]
    assert {op for op, *_ in undone} == {"delete"} and {op for op, *_ in redone} == {"restore"}
    assert after_undo["hits"]["Fjord"] == [] and len(after_redo["hits"]["Fjord Client 7"]) == 1
    assert sum(1 for values, deleted, _ in after_redo["rows"].values() if deleted) == 0


def test_a_small_undo_goes_one_by_one(workspace, together):
    owner = str(uuid.uuid4())
    imported = prepared(workspace, owner, bundle(owner, clients=3))
    workspace.undo(changes=workspace.undo(changes=imported))
    assert together == []
    assert workspace.count(kind="position") == 9


def test_a_record_pointing_at_an_imported_one_since_refuses_the_undo_as_before(
    workspace, one_by_one, together
):
    owner = str(uuid.uuid4())
    records = bundle(owner)
    client = records["client"][5]["id"]
    refusals = []
    for ws in (workspace, one_by_one):
        imported = prepared(ws, owner, records)
        ws.create(kind="note", values={"client_id": client, "body": "Met at the fair.", "privacy": "team"})
        before = state(ws, all_ids(owner, records))
        with pytest.raises(DependentRecordsError) as refused:
            ws.undo(changes=imported)
        assert state(ws, all_ids(owner, records)) == before  # all or nothing
        refusals.append((str(refused.value), refused.value.dependents))
    assert together == [None]  # the bulk path wrote nothing and left it to the one-by-one path
    assert refusals[0] == refusals[1]
    assert "Fjord Client 5" in refusals[0][0]


def test_a_list_naming_an_imported_person_since_keeps_the_id_as_before(workspace, one_by_one, together):
    owner = str(uuid.uuid4())
    records = bundle(owner)
    person, call = records["contact"][4]["id"], str(uuid.uuid4())
    outcomes = []
    for ws in (workspace, one_by_one):
        imported = prepared(ws, owner, records)
        met = {"date": "2026-11-01", "channel": "call", "contact_ids": [person]}
        ws.create(kind="interaction", id=call, values=met)
        undone = ws.undo(changes=imported)
        outcomes.append((written(undone), state(ws, all_ids(owner, records))))
        assert ws.get(kind="interaction", id=call)["contact_ids"] == [person]
        assert ws.get(kind="contact", id=person, include_deleted=True).deleted_at
    assert [bool(answer) for answer in together] == [True]
    assert outcomes[0] == outcomes[1]


def test_a_redo_pointing_at_a_record_deleted_since_is_refused_as_before(workspace, one_by_one, together):
    owner = str(uuid.uuid4())
    records = bundle(owner)
    refusals = []
    for ws in (workspace, one_by_one):
        undone = ws.undo(changes=prepared(ws, owner, records))
        ws.delete(kind="colleague", id=owner)  # the imported clients and people pointed at them
        before = state(ws, all_ids(owner, records))
        with pytest.raises(ValidationError) as refused:
            ws.undo(changes=undone)
        assert state(ws, all_ids(owner, records)) == before
        refusals.append(str(refused.value))
    assert [bool(answer) for answer in together] == [True, False]
    assert refusals[0] == refusals[1]
    assert "owner_id" in refusals[0]


def test_a_redo_of_records_deleted_again_since_is_refused_as_before(workspace, one_by_one, together):
    owner = str(uuid.uuid4())
    records = bundle(owner)
    refusals = []
    for ws in (workspace, one_by_one):
        undone = ws.undo(changes=prepared(ws, owner, records))
        ws.restore(kind="client", id=records["client"][2]["id"])  # one of them is back already
        with pytest.raises(NotFoundError) as refused:
            ws.undo(changes=undone)
        refusals.append(str(refused.value))
        assert ws.count(kind="client") == 1 and ws.count(kind="position") == 0
    assert together[-1] is None
    assert refusals[0] == refusals[1]
    assert "no deleted client" in refusals[0]


def test_deletes_that_must_wait_for_later_ones_go_one_by_one_as_before(workspace, one_by_one, together):
    owner = str(uuid.uuid4())
    records = bundle(owner, clients=12)
    steps = []
    for ws in (workspace, one_by_one):
        imported = prepared(ws, owner, records)
        # Reversed, its undo deletes each client before the people and places that point at it.
        undone = ws.undo(changes=ChangeSet(tuple(reversed(imported.changes)), imported.label))
        steps.append((written(undone), state(ws, all_ids(owner, records))))
        assert ws.count(kind="client") == 0 and ws.count(kind="position") == 0
    assert together == [None]
    assert steps[0] == steps[1]


def test_creates_mixed_with_updates_undo_with_deletes_together_and_the_updates_first(
    workspace, one_by_one, together
):
    """An import of contacts that also merged into people already here: undone, the people it made go
    together and the ones it merged into get their values back; redone and undone again, the same rows,
    outbox and search hits as one by one."""
    from companion.core.changes import Edit

    owner = str(uuid.uuid4())
    records = bundle(owner, clients=10)
    everything = all_ids(owner, records)
    made = ids(120)
    steps = {}
    for ws in (workspace, one_by_one):
        prepared(ws, owner, records)
        edits = [Edit("create", "contact", i, {"name": f"Person new {n}"}) for n, i in enumerate(made)]
        edits += [
            Edit("update", "contact", c["id"], {"phones": ["+47 912 34 567"], "name": f"{c['name']} Boss"})
            for c in records["contact"][:12]
        ]
        mixed = ws.apply(edits=edits, label="Import contacts")
        undone = ws.undo(changes=mixed)
        after_undo = state(ws, everything + made)
        redone = ws.undo(changes=undone)
        after_redo = state(ws, everything + made)
        ws.undo(changes=redone)
        steps[ws] = (
            sorted(written(undone)),
            after_undo,
            sorted(written(redone)),
            after_redo,
            state(ws, everything + made),
        )
    assert [len(answer) if answer else answer for answer in together] == [120, 120, 120]
    assert steps[workspace] == steps[one_by_one]
    after_undo, after_redo = steps[workspace][1], steps[workspace][3]
    assert after_undo["hits"]["Boss"] and all("Boss Boss" not in h[2] for h in after_undo["hits"]["Boss"])
    assert sum(1 for _, deleted, _ in after_redo["rows"].values() if deleted) == 0
