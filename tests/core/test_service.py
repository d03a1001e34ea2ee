"""The write path: all or nothing, outbox entries for every changed field, undo and redo, deletes."""

from __future__ import annotations

import pytest

from companion.core.changes import Edit
from companion.model.errors import DependentRecordsError, NotFoundError, ValidationError
from tests.core.helpers import Maker


def test_batch_is_all_or_nothing(workspace):
    edits = [
        Edit("create", "client", values={"name": "Aurora Retail"}),
        Edit("create", "contact", values={"name": "Luiza Prado"}),
        Edit("create", "contact", values={"name": "Bad", "relationship_strength": 7}),
    ]
    with pytest.raises(ValidationError, match="relationship_strength"):
        workspace.apply(edits=edits)
    assert workspace.count(kind="client") == 0
    assert workspace.count(kind="contact") == 0
    assert workspace.outbox() == []
    assert workspace.search(text="aurora") == []


def test_a_batch_may_refer_to_what_it_creates(workspace):
    client, contact = "0190b7c8-0000-7000-8000-000000000001", "0190b7c8-0000-7000-8000-000000000002"
    changes = workspace.apply(
        edits=[
            Edit("create", "client", client, {"name": "Aurora Retail"}),
            Edit("create", "contact", contact, {"name": "Luiza Prado"}),
            Edit("create", "position", values={"client_id": client, "contact_id": contact, "title": "CEO"}),
        ]
    )
    assert [c.kind for c in changes.changes] == ["client", "contact", "position"]


def test_outbox_lists_every_changed_field(workspace):
    cid = workspace.create(kind="client", values={"name": "Aurora Retail", "industry": "Retail"}).created_id
    created = workspace.outbox(record_id=cid)
    assert [(e["op"], e["fields"]) for e in created] == [("upsert", ["industry", "name"])]
    workspace.update(
        kind="client", id=cid, values={"industry": "Retail", "status": "active", "summary": "Big."}
    )
    entries = workspace.outbox(record_id=cid)
    assert entries[-1]["fields"] == ["status", "summary"]  # industry did not change
    workspace.update(kind="client", id=cid, values={"status": "active"})
    assert len(workspace.outbox(record_id=cid)) == 2  # no change, no entry
    workspace.delete(kind="client", id=cid)
    assert workspace.outbox(record_id=cid)[-1]["op"] == "delete"


def test_update_returns_before_and_after_and_undoes(workspace):
    cid = workspace.create(kind="client", values={"name": "Aurora Retail", "status": "prospect"}).created_id
    changes = workspace.update(kind="client", id=cid, values={"status": "active", "industry": "Retail"})
    (change,) = changes.changes
    assert change.before == {"status": "prospect", "industry": None}
    assert change.after == {"status": "active", "industry": "Retail"}
    redo = workspace.undo(changes=changes)
    client = workspace.get(kind="client", id=cid)
    assert client["status"] == "prospect" and client["industry"] is None
    workspace.undo(changes=redo)
    assert workspace.get(kind="client", id=cid)["status"] == "active"


def test_undo_create_and_redo(workspace):
    changes = workspace.create(kind="contact", values={"name": "Kenji Watanabe"})
    redo = workspace.undo(changes=changes)
    with pytest.raises(NotFoundError):
        workspace.get(kind="contact", id=changes.created_id)
    assert workspace.search(text="kenji") == []
    workspace.undo(changes=redo)
    assert workspace.get(kind="contact", id=changes.created_id)["name"] == "Kenji Watanabe"
    assert [h.record_id for h in workspace.search(text="kenji")] == [changes.created_id]


def test_delete_is_refused_while_records_depend_on_it(workspace):
    maker = Maker(workspace)
    position = maker.id("position")
    client = maker.id("client")
    with pytest.raises(DependentRecordsError, match="1 position") as caught:
        workspace.delete(kind="client", id=client)
    assert caught.value.dependents == {"position": 1}
    assert workspace.get(kind="position", id=position)


def test_cascade_delete_is_explicit_and_undoable(workspace):
    maker = Maker(workspace)
    owner = maker.id("colleague")
    client = maker.id("client")
    workspace.update(kind="client", id=client, values={"owner_id": owner})
    site = maker.id("site")
    position = maker.id("position")
    workspace.update(kind="position", id=position, values={"site_id": site})
    # Deleting the colleague clears the owner (optional reference); nothing else goes.
    with pytest.raises(DependentRecordsError):
        workspace.delete(kind="colleague", id=owner)
    cleared = workspace.delete(kind="colleague", id=owner, cascade=True)
    assert [(c.op, c.kind) for c in cleared.changes] == [("update", "client"), ("delete", "colleague")]
    assert workspace.get(kind="client", id=client)["owner_id"] is None
    # Deleting the client takes its sites and positions with it, in one undoable change.
    changes = workspace.delete(kind="client", id=client, cascade=True)
    assert {c.kind for c in changes.changes} == {"client", "site", "position"}
    assert workspace.count(kind="position") == 0
    workspace.undo(changes=changes)
    assert workspace.get(kind="position", id=position)["site_id"] == site
    workspace.undo(changes=cleared)
    assert workspace.get(kind="client", id=client)["owner_id"] == owner


def test_deleted_person_stays_in_old_attendee_lists(workspace):
    maker = Maker(workspace)
    interaction = maker.id("interaction")
    contact = maker.id("contact")
    workspace.delete(kind="contact", id=contact)
    assert workspace.get(kind="interaction", id=interaction)["contact_ids"] == [contact]
    assert workspace.get(kind="contact", id=contact, include_deleted=True).deleted_at


def test_editing_a_deleted_record_is_refused(workspace):
    cid = workspace.create(kind="contact", values={"name": "Kenji Watanabe"}).created_id
    workspace.delete(kind="contact", id=cid)
    with pytest.raises(NotFoundError):
        workspace.update(kind="contact", id=cid, values={"name": "K. Watanabe"})


def test_records_handed_out_are_plain_copies(workspace):
    cid = workspace.create(kind="client", values={"name": "Aurora Retail", "tags": ["retail"]}).created_id
    record = workspace.get(kind="client", id=cid)
    record.values["tags"].append("mutated")
    assert workspace.get(kind="client", id=cid)["tags"] == ["retail"]
