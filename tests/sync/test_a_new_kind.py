"""A kind added to the kinds table, and nothing else: search, the command line, export and import, sync
and navigation handle it from its entry alone (its table stands in for the migration a real kind has)."""

from __future__ import annotations

import json

import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from companion.cli import main
from companion.core.navigation import locate
from companion.interchange.bundle import import_bundle, write_bundle
from companion.model import kinds
from companion.model.kinds import Field, Kind
from companion.store.schema import KIND_TABLES, metadata

GADGET = Kind(
    "gadget",
    "Gadget",
    "Gadgets",
    "name",
    (
        Field("name", "text", "Name", required=True, max_length=200),
        Field("client_id", "ref", "Client", ref_kind="client", required=True),
        Field("serial", "text", "Serial number", searchable=False),
        Field("notes", "longtext", "Notes"),
    ),
    description="A throwaway kind: lent equipment left at a client.",
    section="sites",
    shown_on=frozenset({"client"}),
)


@pytest.fixture
def gadget_kind():
    kinds.register(GADGET)
    yield GADGET
    kinds.unregister(GADGET.name)
    metadata.remove(KIND_TABLES.pop(GADGET.name))


def _with_table(ws):
    """What the kind's migration would do: its table in the workspace file."""
    with ws.db.engine.begin() as conn:
        KIND_TABLES[GADGET.name].create(conn)
    return ws


def _client(ws, name="Halvorsen Offshore"):
    return ws.create(kind="client", values={"name": name}).created_id


def test_search_export_import_and_navigation_take_a_new_kind(gadget_kind, tmp_path):
    ws = _with_table(open_workspace(workspace_path(tmp_path / "a")))
    other = _with_table(open_workspace(workspace_path(tmp_path / "b")))
    try:
        client = _client(ws)
        gadget = ws.create(
            kind="gadget", values={"name": "Thermal camera", "client_id": client, "notes": "Left with Ingrid"}
        ).created_id
        # Validation names the kind and the field.
        with pytest.raises(Exception, match="Gadget · Name"):
            ws.create(kind="gadget", values={"client_id": client})
        assert [h.record_id for h in ws.search(text="thermal")] == [gadget]
        assert gadget in [h.record_id for h in ws.search(text="ingrid")]
        assert [r.id for r in ws.list(kind="gadget")] == [gadget]
        # It is shown in the Sites section of its client's page, and that page reads it.
        where = locate(ws, kind="gadget", record_id=gadget)
        assert (where.client_id, where.section) == (client, "sites")
        assert "gadget" in kinds.kinds_shown_on("client")
        # Exported with its client, and imported elsewhere whole.
        bundle = tmp_path / "client.json"
        assert write_bundle(ws, bundle, client_id=client) == 2
        assert [g["name"] for g in json.loads(bundle.read_text())["records"]["gadget"]] == ["Thermal camera"]
        imported = import_bundle(other, bundle)
        assert sorted(c.kind for c in imported.changes) == ["client", "gadget"]
        assert other.get(kind="gadget", id=gadget)["notes"] == "Left with Ingrid"
        # Undone like anything else.
        changed = ws.update(kind="gadget", id=gadget, values={"serial": "TC-0042"})
        ws.undo(changes=changed)
        assert ws.get(kind="gadget", id=gadget)["serial"] is None
    finally:
        ws.close()
        other.close()


def test_the_command_line_takes_a_new_kind(gadget_kind, tmp_path, capsys):
    data = tmp_path / "data"
    ws = _with_table(open_workspace(workspace_path(data)))
    client = _client(ws)
    ws.close()

    def run(*args) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data), *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run("kinds")
    assert code == 0 and "gadget  (Gadget)" in out and "serial" in out
    code, out, _ = run("add", "gadget", "name=Thermal camera", f"client_id={client}")
    assert code == 0
    gadget = out.strip()
    code, out, _ = run("show", "gadget", gadget)
    assert code == 0 and "Thermal camera" in out
    assert run("set", "gadget", gadget, "serial=TC-0042")[1] == "changed: serial\n"
    code, out, _ = run("list", "gadget", "--json")
    assert [g["serial"] for g in json.loads(out)] == ["TC-0042"]
    assert gadget in run("search", "thermal")[1]
    code, _, err = run("add", "gadget", "serial=X")
    assert code == 2 and "Name" in err
    assert run("delete", "gadget", gadget)[1] == "deleted 1 record\n"


def test_a_new_kind_syncs_between_laptops(gadget_kind, laptops):
    a, b = laptops("a"), laptops("b")
    _with_table(a.ws)
    _with_table(b.ws)
    client = _client(a.ws)
    gadget = a.ws.create(kind="gadget", values={"name": "Thermal camera", "client_id": client}).created_id
    assert a.sync().pushed == 2
    b.sync()
    assert b.ws.get(kind="gadget", id=gadget)["name"] == "Thermal camera"
    # Concurrent edits of one of its fields: one wins everywhere, the other is a conflict.
    b.ws.update(kind="gadget", id=gadget, values={"serial": "B-1"})
    a.ws.update(kind="gadget", id=gadget, values={"serial": "A-1"})
    a.sync()
    b.sync()
    a.sync()
    assert a.ws.get(kind="gadget", id=gadget)["serial"] == b.ws.get(kind="gadget", id=gadget)["serial"]
    assert b.ws.search(text="thermal")[0].record_id == gadget
