"""`companion recover`: what can be read of a damaged workspace (plain or encrypted) goes into a new one, with
what was lost said per table; the damaged file stays as it was, and `restore` puts the new one in place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion.core.service import Workspace
from companion.store import cipher
from companion.store.cipher import WorkspaceKey
from tests.store.damage import copy_of, digest, flip, make_demo, pages_of, refused_in_one_line, root_page, run

KEY = WorkspaceKey(bytes(range(1, 33)))


@pytest.fixture(scope="module")
def plain_demo(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("plain") / "data", key=None)


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("encrypted") / "data", key=KEY)


def _counts(path: Path, key: WorkspaceKey | None) -> dict[str, int]:
    ws = Workspace.open(path, key)
    try:
        return {kind: ws.count(kind=kind) for kind in ("client", "contact", "meeting", "note")}
    finally:
        ws.close()


def test_recover_saves_what_can_be_read_of_a_plain_workspace_and_says_what_was_lost(
    plain_demo, tmp_path, capsys
):
    whole = _counts(plain_demo, None)
    path = copy_of(plain_demo, tmp_path / "data")
    leaves = pages_of(path, "contact")
    flip(path, leaves[len(leaves) // 2])
    damaged = digest(path)
    out = tmp_path / "recovered.sqlite"

    code, said, err = run(capsys, path.parent, "recover", "--out", str(out))

    assert code == 0, err
    assert digest(path) == damaged  # only ever read
    lost = re.search(r"contact: (\d+) of (\d+) rows recovered, (\d+) lost", said)
    assert lost, said
    kept, held, gone = map(int, lost.groups())
    assert held == whole["contact"] and 0 < gone < held and kept + gone == held
    assert f"into {out}" in said and f"companion restore {out}" in said
    assert "client:" not in said  # tables read whole are not listed as losses
    recovered = _counts(out, None)
    assert recovered == {**whole, "contact": kept}
    # Its search index was made again from the records.
    ws = Workspace.open(out)
    try:
        assert any("Halvorsen" in hit.title for hit in ws.search(text="Halvorsen"))
    finally:
        ws.close()

    code, said, err = run(capsys, path.parent, "restore", str(out))
    assert code == 0, err
    assert _counts(path, None) == recovered
    kept_aside = [p for p in path.parent.iterdir() if ".before-restore-" in p.name and p.suffix == ".bak"]
    assert len(kept_aside) == 1 and digest(kept_aside[0]) == damaged
    code, said, err = run(capsys, path.parent, "add", "client", "name=After the recovery")
    assert code == 0, err


def test_recover_an_encrypted_workspace_with_the_same_key(encrypted_demo, tmp_path, capsys):
    whole = _counts(encrypted_demo, KEY)
    path = copy_of(encrypted_demo, tmp_path / "data")
    flip(path, root_page(path, "contact", KEY), start=200, length=300)
    damaged = digest(path)
    out = tmp_path / "recovered.sqlite"

    code, said, err = run(capsys, path.parent, "recover", "--out", str(out))

    assert code == 0, err
    assert digest(path) == damaged
    assert f"contact: could not be read at all (it held {whole['contact']} rows)" in said, said
    assert cipher.is_encrypted(out) and b"Halvorsen" not in out.read_bytes()
    assert _counts(out, KEY) == {**whole, "contact": 0}


def test_recover_refuses_to_write_over_a_file(plain_demo, tmp_path, capsys):
    path = copy_of(plain_demo, tmp_path / "data")
    out = tmp_path / "taken.sqlite"
    out.write_text("mine")
    code, _said, err = run(capsys, path.parent, "recover", "--out", str(out))
    assert code == 1
    refused_in_one_line(err, str(out), "exists already", "Nothing was written")
    assert out.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "taken.sqlite"]


def test_a_recovered_workspace_numbers_new_edits_above_those_the_server_acknowledged(tmp_path, capsys):
    from companion.store import records as rows

    path = tmp_path / "data" / "workspace.sqlite"
    path.parent.mkdir()
    ws = Workspace.open(path)
    for n in range(3):
        ws.create(kind="client", values={"name": f"Client {n}"})
    sent = ws.outbox()
    # A finished push: every entry acknowledged, then deleted; the table is empty.
    ws.acknowledge_push(before_mutation=sent[-1]["mutation_id"] + 1, meta={})
    ws.forget_acknowledged()
    assert ws.outbox() == []
    ws.close()
    out = tmp_path / "recovered.sqlite"

    code, _said, err = run(capsys, path.parent, "recover", "--out", str(out))

    assert code == 0, err
    recovered = Workspace.open(out)
    try:
        made = recovered.create(kind="client", values={"name": "Made after the recovery"}).created_id
        waiting = recovered.outbox()
        assert [e["record_id"] for e in waiting] == [made], "a new edit is pending, never taken as sent"
        assert waiting[0]["mutation_id"] > sent[-1]["mutation_id"]
        with recovered.db.reading() as conn:
            assert set(rows.pending_fields(conn, [made])) == {made}
    finally:
        recovered.close()
