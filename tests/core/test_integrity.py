"""Integrity at the edges: cascades, moves between clients, odd paths and values, ids, loops, undo order."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from companion.core import demo
from companion.core.service import Workspace
from companion.model.errors import CompanionError, ValidationError, WorkspaceError
from tests.core.helpers import Maker


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _live(ws: Workspace, kind: str, record_id: str) -> bool:
    return ws.get(kind=kind, id=record_id, include_deleted=True).deleted_at is None


# --- 1. cascade deletes refuse whenever a note or a scoped do/don't hangs off the record -----


def test_cascade_delete_of_person_with_a_note_about_them(workspace):
    """Deleting a person "together with what depends on them" must take their notes too.

    The cascade clears note.contact_id (an optional reference) and then check_record refuses
    the note, because a note must be attached to exactly one of client, site, person.
    """
    maker = Maker(workspace)
    contact = maker.id("contact")
    note = workspace.create(
        kind="note", values={"contact_id": contact, "body": "Loves sailing.", "privacy": "team"}
    ).created_id
    changes = workspace.delete(kind="contact", id=contact, cascade=True)
    assert not _live(workspace, "contact", contact)
    assert not _live(workspace, "note", note)
    workspace.undo(changes=changes)
    assert _live(workspace, "note", note)
    assert workspace.get(kind="note", id=note)["contact_id"] == contact


def test_cascade_delete_of_client_with_a_sub_group_scoped_guideline(workspace):
    """Deleting a client with cascade must work when it has a do/don't scoped to a sub-group.

    The sub-group's cascade clears guideline.sub_group_id and check_record then refuses the
    guideline ("is required when it applies to a sub-group"): the whole client cannot be deleted.
    """
    maker = Maker(workspace)
    client = maker.id("client")
    group = maker.id("sub_group")
    guideline = workspace.create(
        kind="guideline",
        values={
            "client_id": client,
            "polarity": "do",
            "text": "Ask engineering first.",
            "scope": "sub_group",
            "sub_group_id": group,
        },
    ).created_id
    changes = workspace.delete(kind="client", id=client, cascade=True)
    assert not _live(workspace, "guideline", guideline)
    workspace.undo(changes=changes)
    assert workspace.get(kind="guideline", id=guideline)["sub_group_id"] == group


def test_every_demo_client_can_be_deleted_with_cascade(workspace):
    """The GUI deletes clients with cascade=True; on the demo workspace every such delete fails."""
    demo.load_demo(workspace)
    failures = {}
    for client in workspace.list(kind="client"):
        try:
            workspace.delete(kind="client", id=client.id, cascade=True)
        except CompanionError as exc:
            failures[client["name"]] = str(exc)
    assert failures == {}


# --- 2. moving a record to another client leaves same-client references crossing clients ------


def test_moving_a_site_to_another_client_keeps_same_client_rule(workspace):
    """position.site_id must name a site of the position's client (same_client=True).

    Updating the *site's* client_id re-checks only the site's own references, never the live
    records that point at it, so the position now points at another client's site.
    """
    maker = Maker(workspace)
    site = maker.id("site")
    position = maker.id("position")
    workspace.update(kind="position", id=position, values={"site_id": site})
    other = workspace.create(kind="client", values={"name": "Other Client"}).created_id
    with pytest.raises(ValidationError):
        workspace.update(kind="site", id=site, values={"client_id": other})
    assert workspace.get(kind="site", id=site)["client_id"] == maker.id("client")


def test_moving_a_sub_group_keeps_its_children_at_the_same_client(workspace):
    """A sub-group's parent must be of the same client; moving the parent breaks that for its children."""
    maker = Maker(workspace)
    client = maker.id("client")
    parent = maker.id("sub_group")
    workspace.create(kind="sub_group", values={"client_id": client, "name": "Child", "parent_id": parent})
    other = workspace.create(kind="client", values={"name": "Other Client"}).created_id
    with pytest.raises(ValidationError):
        workspace.update(kind="sub_group", id=parent, values={"client_id": other})


# --- 3. an id already used by a record of another kind is accepted -----------------------------


def test_create_with_the_id_of_a_record_of_another_kind_is_refused(workspace):
    """create() only looks for the id in the same kind's table: a client may take a contact's id.

    Two records then share one id (sync, find_kind and the outbox name records by id alone), and
    indexing the client unindexes the contact: the person disappears from search.
    """
    contact = workspace.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    with pytest.raises(ValidationError):
        workspace.create(kind="client", id=contact, values={"name": "Dahl Holdings"})
    assert [h.record_id for h in workspace.search(text="ingrid")] == [contact]


def test_import_with_the_id_of_a_record_of_another_kind_is_refused(workspace):
    """A bundle client whose id is a local contact's id is inserted beside it (and hides it from search)."""
    contact = workspace.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    with pytest.raises(CompanionError):
        workspace.import_records(records={"client": [{"id": contact, "name": "Dahl Holdings"}]})
    assert workspace.count(kind="client") == 0
    assert [h.record_id for h in workspace.search(text="ingrid")] == [contact]


def test_create_with_an_upper_case_id_can_be_referred_to(workspace):
    """create() keeps an explicit id as given; references are lower-cased, so nothing can point at it."""
    upper = str(uuid.uuid4()).upper()
    workspace.create(kind="client", id=upper, values={"name": "Upper Case AS"})
    workspace.create(kind="site", values={"client_id": upper, "name": "HQ"})


# --- 4. workspace paths are put into SQLite URIs unescaped -------------------------------------


def test_foreign_database_in_a_folder_with_hash_is_refused_untouched(tmp_path):
    """'#' in the folder name cuts the file: URI inspect_file builds, so it opens '<parent>/team'
    read-write (creating it), sees no tables, and the foreign file is then migrated."""
    folder = tmp_path / "team#1"
    folder.mkdir()
    path = folder / "workspace.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(WorkspaceError):
        Workspace.open(path).close()
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team#1"]


def test_workspace_in_a_folder_with_percent_escape_reopens(tmp_path):
    """A folder named like 'Q1%20plans' holds a workspace that can be made but never opened again."""
    path = tmp_path / "Q1%20plans" / "workspace.sqlite"
    ws = Workspace.open(path)
    cid = ws.create(kind="client", values={"name": "Kestrel Logistics"}).created_id
    ws.close()
    ws = Workspace.open(path)
    try:
        assert ws.get(kind="client", id=cid)["name"] == "Kestrel Logistics"
    finally:
        ws.close()


def test_workspace_in_a_folder_with_question_mark_is_written_there(tmp_path):
    """'?' in the folder name ends the SQLAlchemy URL's path: the workspace goes to another file."""
    path = tmp_path / "what?now" / "workspace.sqlite"
    Workspace.open(path).close()
    assert path.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["what?now"]


# --- 5. undo of an import is refused when a record refers to a later one of its kind ------------


def test_undo_of_import_where_a_position_reports_to_a_later_one(workspace, tmp_path):
    """Import changes are in bundle order (ids sorted), so undo deletes the boss before the report."""
    maker = Maker(workspace)
    client = maker.id("client")
    report = maker.id("position")
    boss_person = workspace.create(kind="contact", values={"name": "Boss"}).created_id
    boss = workspace.create(
        kind="position", values={"client_id": client, "contact_id": boss_person, "title": "CEO"}
    ).created_id
    workspace.update(kind="position", id=report, values={"reports_to_id": boss})
    bundle = workspace.export_records()
    fresh = Workspace.open(tmp_path / "fresh.sqlite")
    try:
        changes = fresh.import_records(records=bundle)
        fresh.undo(changes=changes)
        assert fresh.count(kind="position") == 0
    finally:
        fresh.close()


# --- 6. bad values that escape as non-Companion errors (traceback, exit 1) ---------------------


def test_text_with_a_lone_surrogate_is_a_validation_error(workspace):
    """A non-UTF-8 command-line argument arrives as a lone surrogate; SQLite then raises UnicodeEncodeError."""
    with pytest.raises(ValidationError, match="name"):
        workspace.create(kind="client", values={"name": "Caf\udce9"})


@pytest.mark.parametrize("moment", ["0001-01-01T00:00+01:00", "9999-12-31T23:30-01:00"])
def test_datetime_out_of_range_in_utc_is_a_validation_error(workspace, client_id, moment):
    """Converting to UTC overflows at the ends of the calendar: OverflowError instead of a message."""
    with pytest.raises(ValidationError, match="starts_at"):
        workspace.create(
            kind="meeting", values={"client_id": client_id, "title": "Kick-off", "starts_at": moment}
        )


def _cli(data_dir: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), *args],
        capture_output=True,
        timeout=300,
        check=False,
    )


def test_cli_bad_values_exit_2_with_one_line(tmp_path):
    """Issue 2: a bad value exits 2 with one clear line. These exit 1 with a Python traceback."""
    data = tmp_path / "data"
    client = _cli(data, "add", "client", "name=Acme").stdout.decode().strip()
    bad = [
        ("add", "client", b"name=Caf\xe9"),  # Latin-1 bytes from an old terminal
        ("add", "meeting", f"client_id={client}", "title=x", "starts_at=0001-01-01T00:00+01:00"),
    ]
    results = {}
    for args in bad:
        result = _cli(data, *args)
        results[args[0] + " " + str(args[-1])] = (result.returncode, result.stderr.decode(errors="replace"))
    for label, (code, err) in results.items():
        assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, (label, code, err)


# --- 7. import keeps timestamps as written, not in UTC --------------------------------------------


def test_import_stores_created_and_updated_at_in_utc(workspace):
    """Stamps are compared and sorted as text (notes by updated_at); an offset or a bare date breaks that."""
    record_id = str(uuid.uuid4())
    workspace.import_records(
        records={
            "client": [
                {
                    "id": record_id,
                    "name": "Zenith",
                    "created_at": "2026-01-01T10:00:00+05:00",
                    "updated_at": "2026-01-02",
                }
            ]
        }
    )
    record = workspace.get(kind="client", id=record_id)
    assert record.created_at == "2026-01-01T05:00:00.000000Z"
    assert record.updated_at.endswith("Z") and "T" in record.updated_at


# --- 8. loops in the org chart and in sub-groups ----------------------------------------------------


def test_sub_group_parent_loop_is_refused(workspace):
    """not_self stops A→A only; A→B→A is stored and both groups vanish from the Culture tab."""
    maker = Maker(workspace)
    client = maker.id("client")
    a = maker.id("sub_group")
    b = workspace.create(
        kind="sub_group", values={"client_id": client, "name": "B", "parent_id": a}
    ).created_id
    with pytest.raises(ValidationError, match="parent_id"):
        workspace.update(kind="sub_group", id=a, values={"parent_id": b})


def test_reports_to_loop_is_refused(workspace):
    maker = Maker(workspace)
    client = maker.id("client")
    first = maker.id("position")
    other = workspace.create(kind="contact", values={"name": "Per Lunde"}).created_id
    second = workspace.create(
        kind="position", values={"client_id": client, "contact_id": other, "reports_to_id": first}
    ).created_id
    with pytest.raises(ValidationError, match="reports_to_id"):
        workspace.update(kind="position", id=first, values={"reports_to_id": second})


# --- 9. a deleted person kept in a list blocks every later edit of that list ---------------------


def test_attendee_list_keeping_a_deleted_person_can_still_be_edited(workspace):
    """Deletes keep a person's id in lists (service.py:119), but any later edit of the list is
    refused ("no contact has the id …") unless the deleted person is dropped from the history."""
    maker = Maker(workspace)
    interaction = maker.id("interaction")
    gone = maker.id("contact")
    workspace.delete(kind="contact", id=gone)
    added = workspace.create(kind="contact", values={"name": "Per Lunde"}).created_id
    workspace.update(kind="interaction", id=interaction, values={"contact_ids": [gone, added]})
    assert workspace.get(kind="interaction", id=interaction)["contact_ids"] == [gone, added]
