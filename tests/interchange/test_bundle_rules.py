"""A bundle is held to the write path's rules: whole records over existing ones, no loops, same-client links
that stay whole, one active plan per client, ready meetings with their musts ticked, sign-offs of recorded
pack versions, ids unique across kinds. Each refusal is one line naming the record, exit 2, nothing written."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from companion.cli import main
from companion.core import induction
from companion.core.service import Workspace

SOURCE = "0193a3c2-0000-7000-8000-0000000000"  # ids made up for records a bundle brings


def table_hashes(path: Path) -> dict[str, str]:
    """A digest of every table's rows (the search index and the outbox included), read through a read-only
    connection: equal before and after means nothing was written."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        found = {}
        for name in names:
            digest = hashlib.sha256()
            for row in sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{name}"')):
                digest.update(row.encode())
            found[name] = digest.hexdigest()
        return found
    finally:
        conn.close()


@pytest.fixture
def world(tmp_path, empty_workspace_file) -> dict[str, str]:
    """A plain workspace in a data folder: two clients, a boss and her report, a sub-group inside another,
    an active account plan, a ready meeting with its must-item ticked, a signed induction pack."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(empty_workspace_file, data / "workspace.sqlite")
    ws = Workspace.open(data / "workspace.sqlite")
    try:

        def make(kind: str, **values) -> str:
            return str(ws.create(kind=kind, values=values, react=False).created_id)

        ids = {"data": str(data)}
        ids["client"] = make(
            "client", name="Halvorsen Offshore", industry="Oil service", website="https://h.no"
        )
        ids["other_client"] = make("client", name="Kurobane Precision")
        ids["colleague"] = make("colleague", name="Beatriz Lacerda")
        boss = make("contact", name="Ingrid Dahl")
        report = make("contact", name="Per Lunde")
        ids["boss"] = make("position", client_id=ids["client"], contact_id=boss, title="CEO")
        ids["report"] = make(
            "position", client_id=ids["client"], contact_id=report, title="CFO", reports_to_id=ids["boss"]
        )
        ids["group"] = make("sub_group", client_id=ids["client"], name="Drilling")
        ids["inner_group"] = make("sub_group", client_id=ids["client"], name="Rigs", parent_id=ids["group"])
        ids["in_group"] = make(
            "position",
            client_id=ids["client"],
            contact_id=report,
            title="Rig lead",
            sub_group_id=ids["group"],
        )
        ids["plan"] = make("account_plan", client_id=ids["client"], title="Plan 2027", status="active")
        ids["meeting"] = make(
            "meeting",
            client_id=ids["client"],
            title="Quarterly review",
            starts_at="2026-12-01T09:00:00+01:00",
        )
        ids["item"] = make(
            "meeting_checklist_item", meeting_id=ids["meeting"], text="Bring ID", must=True, done=True
        )
        ws.update(kind="meeting", id=ids["meeting"], values={"status": "ready"})
        induction.sign_off(ws, client_id=ids["client"], colleague_id=ids["colleague"])
        gone = make("contact", name="Someone deleted")
        ws.delete(kind="contact", id=gone)
        ids["deleted_contact"] = gone
    finally:
        ws.close()
    return ids


def _cli(world: dict[str, str], *args: str) -> int:
    return main(["--data-dir", world["data"], *args])


def _export(world: dict[str, str], tmp_path: Path, capsys) -> dict:
    path = tmp_path / "export.json"
    assert _cli(world, "export", "--out", str(path)) == 0
    capsys.readouterr()
    return json.loads(path.read_text(encoding="utf-8"))


def _record(bundle: dict, kind: str, record_id: str) -> dict:
    return next(r for r in bundle["records"][kind] if r["id"] == record_id)


def _refused(world, tmp_path, capsys, bundle: dict, *named: str) -> str:
    """Imports the bundle: refused with exit 2 and one line naming `named`, with every table as it was."""
    workspace = Path(world["data"]) / "workspace.sqlite"
    before = table_hashes(workspace)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    assert _cli(world, "import", str(path)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    for name in named:
        assert name in err, f"{name!r} not named in: {err}"
    assert "Traceback" not in err
    assert table_hashes(workspace) == before
    return err


def _only(bundle: dict, **records: list[dict]) -> dict:
    return {**bundle, "records": records}


def _open(world: dict[str, str]) -> Workspace:
    return Workspace.open(Path(world["data"]) / "workspace.sqlite")


# --- whole records --------------------------------------------------------------------------------


def test_a_record_naming_an_existing_id_with_only_some_fields_is_refused(world, tmp_path, capsys):
    bundle = _export(world, tmp_path, capsys)
    client = _record(bundle, "client", world["client"])
    partial = {"id": client["id"], "name": "Halvorsen Offshore ASA"}
    err = _refused(
        world,
        tmp_path,
        capsys,
        _only(bundle, client=[partial]),
        f"Client {world['client']}",
        "industry",
        "website",
    )
    assert "replaced whole" in err


def test_an_exported_record_carries_every_field_and_replaces_the_record_whole(world, tmp_path, capsys):
    bundle = _export(world, tmp_path, capsys)
    client = _record(bundle, "client", world["client"])
    assert set(client) >= {"summary", "mission", "owner_id"}  # empty fields written as null
    assert client["summary"] is None
    client["industry"] = None
    client["name"] = "Halvorsen Offshore ASA"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(_only(bundle, client=[client])), encoding="utf-8")
    assert _cli(world, "import", str(path)) == 0
    ws = _open(world)
    try:
        stored = ws.get(kind="client", id=world["client"])
    finally:
        ws.close()
    assert (stored["name"], stored["industry"], stored["website"]) == (
        "Halvorsen Offshore ASA",
        None,
        "https://h.no",
    )


# --- loops ----------------------------------------------------------------------------------------


def test_a_reports_to_loop_through_the_workspace_is_refused(world, tmp_path, capsys):
    bundle = _export(world, tmp_path, capsys)
    boss = _record(bundle, "position", world["boss"])
    boss["reports_to_id"] = world["report"]  # the report already reports to the boss
    _refused(
        world,
        tmp_path,
        capsys,
        _only(bundle, position=[boss]),
        f"Position {world['boss']}",
        "reports_to_id",
        "loop",
    )


def test_a_sub_group_loop_within_the_bundle_is_refused(world, tmp_path, capsys):
    bundle = _export(world, tmp_path, capsys)
    first, second = SOURCE + "a1", SOURCE + "a2"
    groups = [
        {"id": first, "client_id": world["client"], "name": "North", "parent_id": second},
        {"id": second, "client_id": world["client"], "name": "South", "parent_id": first},
    ]
    _refused(world, tmp_path, capsys, _only(bundle, sub_group=groups), "Sub-group", "parent_id", "loop")


# --- same client ----------------------------------------------------------------------------------


def test_moving_a_record_to_another_client_while_the_old_clients_records_point_at_it_is_refused(
    world, tmp_path, capsys
):
    bundle = _export(world, tmp_path, capsys)
    group = _record(bundle, "sub_group", world["group"])
    group["client_id"] = world["other_client"]
    group["parent_id"] = None
    # Its inner group comes along; the position in it stays with the old client, in the workspace.
    inner = _record(bundle, "sub_group", world["inner_group"]) | {"client_id": world["other_client"]}
    _refused(
        world,
        tmp_path,
        capsys,
        _only(bundle, sub_group=[group, inner]),
        f"{world['group']}",
        "client_id",
        "1 position",
    )


# --- one active plan per client -------------------------------------------------------------------


def test_a_second_active_plan_for_a_client_is_refused(world, tmp_path, capsys):
    bundle = _export(world, tmp_path, capsys)
    plan = {"id": SOURCE + "b1", "client_id": world["client"], "title": "Plan 2028", "status": "active"}
    _refused(
        world, tmp_path, capsys, _only(bundle, account_plan=[plan]), SOURCE + "b1", "status", "Plan 2027"
    )


# --- ready meetings -------------------------------------------------------------------------------


def test_unticking_a_must_item_of_a_ready_meeting_is_refused(world, tmp_path, capsys):
    bundle = _export(world, tmp_path, capsys)
    item = _record(bundle, "meeting_checklist_item", world["item"]) | {"done": False}
    _refused(
        world,
        tmp_path,
        capsys,
        _only(bundle, meeting_checklist_item=[item]),
        f"Meeting {world['meeting']}",
        "Bring ID",
    )


# --- derived records ------------------------------------------------------------------------------


def test_a_sign_off_with_a_made_up_content_hash_is_refused(world, tmp_path, capsys):
    bundle = _export(world, tmp_path, capsys)
    real = bundle["records"]["pack_signoff"][0]
    forged = real | {"id": SOURCE + "c1", "content_hash": "0123456789abcdef", "version": 2}
    _refused(
        world,
        tmp_path,
        capsys,
        _only(bundle, pack_signoff=[forged]),
        f"Induction sign-off {SOURCE}c1",
        "content_hash",
    )
    ws = _open(world)
    try:
        assert len(ws.list(kind="pack_signoff")) == 1
    finally:
        ws.close()


def test_a_sign_off_of_a_recorded_version_imports_into_a_fresh_workspace(
    world, tmp_path, capsys, empty_workspace_file
):
    bundle = _export(world, tmp_path, capsys)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copyfile(empty_workspace_file, fresh / "workspace.sqlite")
    path = tmp_path / "whole.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    assert main(["--data-dir", str(fresh), "import", str(path)]) == 0
    ws = Workspace.open(fresh / "workspace.sqlite")
    try:
        state = induction.current(ws, client_id=world["client"])
        readers = {r.colleague_id: r.status for r in induction.clearance(ws, state=state)}
    finally:
        ws.close()
    assert readers[world["colleague"]] == "cleared"


# --- ids ------------------------------------------------------------------------------------------


def test_a_record_taking_the_id_of_a_deleted_record_of_another_kind_is_refused(world, tmp_path, capsys):
    bundle = _export(world, tmp_path, capsys)
    client = {"id": world["deleted_contact"], "name": "Dahl Holdings"}
    _refused(
        world, tmp_path, capsys, _only(bundle, client=[client]), world["deleted_contact"], "deleted contact"
    )


def test_reimporting_the_workspaces_own_export_changes_nothing(world, tmp_path, capsys):
    bundle = _export(world, tmp_path, capsys)
    before = table_hashes(Path(world["data"]) / "workspace.sqlite")
    path = tmp_path / "same.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    assert _cli(world, "import", str(path)) == 0
    assert capsys.readouterr().out == "nothing changed\n"
    assert table_hashes(Path(world["data"]) / "workspace.sqlite") == before
