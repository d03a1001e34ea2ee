"""A person who moves to another client keeps their interactions, notes and past positions."""

from __future__ import annotations


def test_contact_moves_to_another_client_keeping_history(workspace):
    old = workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    new = workspace.create(kind="client", values={"name": "Kiyomizu Precision"}).created_id
    person = workspace.create(kind="contact", values={"name": "Sofia Lindqvist"}).created_id
    old_position = workspace.create(
        kind="position",
        values={
            "contact_id": person,
            "client_id": old,
            "title": "Head of Procurement",
            "started": "2019-03-01",
        },
    ).created_id
    note = workspace.create(
        kind="note", values={"contact_id": person, "body": "Prefers morning calls.", "privacy": "team"}
    ).created_id
    talk = workspace.create(
        kind="interaction",
        values={"client_id": old, "date": "2025-06-01", "channel": "meeting", "contact_ids": [person]},
    ).created_id

    # The move: the old role ends, a new one starts; the person record is the same.
    workspace.update(kind="position", id=old_position, values={"ended": "2026-09-30"})
    workspace.create(
        kind="position",
        values={"contact_id": person, "client_id": new, "title": "COO", "started": "2026-10-01"},
    )

    positions = workspace.list(kind="position", where={"contact_id": person})
    assert sorted((p["client_id"], p["ended"]) for p in positions) == sorted(
        [(old, "2026-09-30"), (new, None)]
    )
    assert workspace.get(kind="note", id=note)["contact_id"] == person
    assert workspace.get(kind="interaction", id=talk)["contact_ids"] == [person]
    # Deleting the old client's records later does not touch the person or their history.
    assert workspace.get(kind="contact", id=person)["name"] == "Sofia Lindqvist"
