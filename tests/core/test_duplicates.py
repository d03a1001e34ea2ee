"""Merging a client made twice (on two laptops): everything moves over, nothing is lost, undo splits it."""

from __future__ import annotations

import pytest

from companion.core.duplicates import merge_clients, merge_if_both_live
from companion.model.errors import ValidationError


def _client_with_everything(ws, name: str, **values) -> dict[str, str]:
    """A client whose records point at each other within it: sub-groups, roles with a boss, a site,
    rules scoped to them, a note, a meeting at the site with its interaction."""
    ids = {"client": ws.create(kind="client", values={"name": name, **values}).created_id}
    c = ids["client"]
    ids["division"] = ws.create(kind="sub_group", values={"client_id": c, "name": "Subsea"}).created_id
    ids["team"] = ws.create(
        kind="sub_group", values={"client_id": c, "name": "Cables", "parent_id": ids["division"]}
    ).created_id
    ids["site"] = ws.create(kind="site", values={"client_id": c, "name": "Ågotnes base"}).created_id
    ids["person"] = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    ids["boss"] = ws.create(
        kind="position",
        values={"contact_id": ids["person"], "client_id": c, "title": "CFO", "sub_group_id": ids["division"]},
    ).created_id
    other = ws.create(kind="contact", values={"name": "Lars Berg"}).created_id
    ids["report"] = ws.create(
        kind="position",
        values={
            "contact_id": other, "client_id": c, "title": "Buyer", "sub_group_id": ids["team"],
            "reports_to_id": ids["boss"], "site_id": ids["site"],
        },
    ).created_id  # fmt: skip
    ids["rule"] = ws.create(
        kind="guideline",
        values={
            "client_id": c, "polarity": "dont", "text": "No photos on site", "scope": "site", "site_id": ids["site"],
        },
    ).created_id  # fmt: skip
    ids["note"] = ws.create(
        kind="note", values={"client_id": c, "body": "Met at ONS.", "privacy": "team"}
    ).created_id
    ids["meeting"] = ws.create(
        kind="meeting",
        values={
            "client_id": c, "site_id": ids["site"], "title": "Quarterly review",
            "starts_at": "2030-01-10T09:00", "contact_ids": [ids["person"]],
        },
    ).created_id  # fmt: skip
    ids["talk"] = ws.create(
        kind="interaction",
        values={"client_id": c, "meeting_id": ids["meeting"], "date": "2026-11-01", "channel": "meeting"},
    ).created_id
    return ids


MOVED = ("division", "team", "site", "boss", "report", "rule", "note", "meeting", "talk")
KINDS = {
    "division": "sub_group", "team": "sub_group", "site": "site", "boss": "position", "report": "position",
    "rule": "guideline", "note": "note", "meeting": "meeting", "talk": "interaction",
}  # fmt: skip


def test_everything_of_the_duplicate_moves_over_and_it_goes(workspace):
    kept = workspace.create(
        kind="client", values={"name": "Halvorsen Offshore", "tags": ["energy"], "history": "Founded 1987."}
    ).created_id
    twin = _client_with_everything(
        workspace,
        "halvorsen offshore",
        industry="Offshore wind",
        tags=["energy", "nordics"],
        history="Listed in Oslo since 2004.",
    )
    merge_clients(workspace, keep_id=kept, duplicate_id=twin["client"])

    for key in MOVED:
        record = workspace.get(kind=KINDS[key], id=twin[key])
        assert record["client_id"] == kept, key
    # Links within the client survive the move.
    assert workspace.get(kind="position", id=twin["report"])["reports_to_id"] == twin["boss"]
    assert workspace.get(kind="sub_group", id=twin["team"])["parent_id"] == twin["division"]
    assert workspace.get(kind="interaction", id=twin["talk"])["meeting_id"] == twin["meeting"]
    merged = workspace.get(kind="client", id=kept)
    assert merged["name"] == "Halvorsen Offshore"
    assert merged["industry"] == "Offshore wind", "what the kept client lacked is taken"
    assert merged["tags"] == ["energy", "nordics"]
    assert "Founded 1987." in merged["history"] and "Listed in Oslo since 2004." in merged["history"]
    assert workspace.get(kind="client", id=twin["client"], include_deleted=True).deleted_at is not None
    assert [c.id for c in workspace.list(kind="client")] == [kept]


def test_a_merge_is_undone_as_one(workspace):
    kept = workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    twin = _client_with_everything(workspace, "Halvorsen Offshore", industry="Offshore wind")
    before = {key: workspace.get(kind=KINDS[key], id=twin[key]).values for key in MOVED}
    changes = merge_clients(workspace, keep_id=kept, duplicate_id=twin["client"])
    workspace.undo(changes=changes)
    assert {key: workspace.get(kind=KINDS[key], id=twin[key]).values for key in MOVED} == before
    assert workspace.get(kind="client", id=twin["client"])["industry"] == "Offshore wind"
    assert workspace.get(kind="client", id=kept)["industry"] is None


def test_one_record_still_cannot_leave_its_links_behind(workspace):
    """Checking same-client links at the end of a change still refuses a half move."""
    other = workspace.create(kind="client", values={"name": "Kiyomizu Precision"}).created_id
    ids = _client_with_everything(workspace, "Halvorsen Offshore")
    with pytest.raises(ValidationError, match=r"belongs to another client|still point at it"):
        workspace.update(kind="position", id=ids["report"], values={"client_id": other})
    with pytest.raises(ValidationError, match="still point at it"):
        workspace.update(kind="site", id=ids["site"], values={"client_id": other})
    assert workspace.get(kind="position", id=ids["report"])["client_id"] == ids["client"]


def test_a_client_is_not_merged_into_itself(workspace):
    kept = workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    with pytest.raises(ValidationError, match="itself"):
        merge_clients(workspace, keep_id=kept, duplicate_id=kept)


def test_a_pair_already_merged_elsewhere_is_left_alone(workspace):
    kept = workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    twin = workspace.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    merge_clients(workspace, keep_id=kept, duplicate_id=twin)
    assert not merge_if_both_live(workspace, kind="client", keep_id=kept, duplicate_id=twin).changes
    assert [c.id for c in workspace.list(kind="client")] == [kept]
