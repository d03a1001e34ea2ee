"""Induction packs: privacy tiers and candid fields, versions, the change view, sign-offs and re-reading."""

from __future__ import annotations

import pytest

from companion.core import induction
from companion.core.pack import build_pack, pack_markdown
from companion.model.errors import ValidationError

PRIVATE, TEAM, SAFE = "PRIVATE-MARKER-7c1", "TEAM-MARKER-4b2", "SAFE-MARKER-9d3"
PERSONALITY, HANDLING, POLITICS = "CANDID-PERSONALITY-5e8", "CANDID-HANDLING-2a6", "CANDID-POLITICS-3f1"
SECURITY = "SECURITY-MARKER-8c4"


def seed_pack_client(ws) -> str:
    """A client with a note of every tier, a difficult person with candid notes, and a guarded site."""
    client = ws.create(
        kind="client", values={"name": "Halvorsen Offshore", "history": "Founded 1987.", "politics": POLITICS}
    ).created_id
    ingrid = ws.create(
        kind="contact",
        values={
            "name": "Ingrid Dahl",
            "personality": PERSONALITY,
            "difficult": True,
            "difficult_handling": HANDLING,
        },
    ).created_id
    ws.create(
        kind="position",
        values={
            "contact_id": ingrid,
            "client_id": client,
            "title": "CFO",
            "stance": "sceptic",
            "influence": 5,
        },
    )
    ws.create(kind="site", values={"client_id": client, "name": "Ågotnes base", "security_id": SECURITY})
    for privacy, marker in (("private", PRIVATE), ("team", TEAM), ("induction_safe", SAFE)):
        ws.create(kind="note", values={"client_id": client, "body": marker, "privacy": privacy})
    ws.create(kind="note", values={"contact_id": ingrid, "body": PRIVATE + "-person", "privacy": "private"})
    return client


@pytest.fixture
def client(workspace):
    return seed_pack_client(workspace)


def test_privacy_tiers(workspace, client):
    text = pack_markdown(build_pack(workspace, client_id=client))
    assert PRIVATE not in text
    assert TEAM in text and SAFE in text
    # Team notes belong to their team's pack only.
    other_team = pack_markdown(build_pack(workspace, client_id=client, team_id="another-team"))
    assert TEAM not in other_team and SAFE in other_team and PRIVATE not in other_team


def test_candid_assessments_only_when_the_author_chose_so(workspace, client):
    plain = pack_markdown(build_pack(workspace, client_id=client))
    for marker in (PERSONALITY, HANDLING, POLITICS, "Stance toward us"):
        assert marker not in plain
    assert "Ingrid Dahl**: ask the relationship owner" in plain
    workspace.update(kind="client", id=client, values={"pack_candid": True})
    candid = pack_markdown(build_pack(workspace, client_id=client))
    for marker in (PERSONALITY, HANDLING, POLITICS, "Stance toward us: sceptic"):
        assert marker in candid


def test_security_sits_under_a_confidential_banner(workspace, client):
    pack = build_pack(workspace, client_id=client)
    sites = pack.section("sites")
    assert sites.confidential and SECURITY in sites.markdown
    text = pack_markdown(pack)
    assert text.index("CONFIDENTIAL — Halvorsen Offshore") < text.index(SECURITY)
    assert [s.key for s in pack.sections if s.confidential] == ["sites"]


def test_versions_follow_content(workspace, client):
    ws = workspace
    first = induction.current(ws, client_id=client)
    assert first.version["number"] == 1 and first.version["material"] is True and first.changes
    same = induction.current(ws, client_id=client)
    assert same.version.id == first.version.id and not same.changes
    ws.update(kind="client", id=client, values={"history": "Founded 1987 by Arne."})
    second = induction.current(ws, client_id=client)
    assert (second.version["number"], second.version["material"]) == (2, False)
    ws.create(
        kind="guideline",
        values={"client_id": client, "polarity": "dont", "text": "Be late", "scope": "client"},
    )
    third = induction.current(ws, client_id=client)
    assert (third.version["number"], third.version["material"]) == (3, True)
    assert third.version["content_hash"] == third.pack.content_hash != second.version["content_hash"]
    # With candid assessments the pack is an edition of its own, numbered from 1.
    assert induction.current(ws, client_id=client, candid=True).version["number"] == 1


def test_what_changed_since_a_version(workspace, client):
    ws = workspace
    induction.current(ws, client_id=client)
    ws.update(kind="client", id=client, values={"history": "Founded 1987 by Arne.", "protocols": "Bow."})
    state = induction.current(ws, client_id=client)
    changes = {c.key: c for c in induction.changes_since(ws, state=state, number=1)}
    assert set(changes) == {"overview", "protocols"}
    assert changes["overview"].added == ("Founded 1987 by Arne.",)
    assert changes["overview"].removed == ("Founded 1987.",)
    assert changes["overview"].material is False and changes["protocols"].material is True
    assert induction.changes_since(ws, state=state, number=2) == []


def test_sign_off_and_the_re_read_rule(workspace, client):
    ws = workspace
    ana = ws.create(kind="colleague", values={"name": "Ana"}).created_id
    bo = ws.create(kind="colleague", values={"name": "Bo"}).created_id
    cy = ws.create(kind="colleague", values={"name": "Cy"}).created_id
    induction.sign_off(ws, client_id=client, colleague_id=ana)
    (signed,) = ws.list(kind="pack_signoff")
    assert (signed["colleague_id"], signed["version"]) == (ana, 1) and signed["signed_at"]

    def statuses():
        state = induction.current(ws, client_id=client)
        return {r.name: (r.status, r.read_version) for r in induction.clearance(ws, state=state)}

    assert statuses() == {"Ana": ("cleared", 1), "Bo": ("never", None), "Cy": ("never", None)}
    ws.update(kind="client", id=client, values={"history": "Founded in 1987."})  # not material
    assert statuses()["Ana"] == ("cleared", 1)
    ws.update(kind="client", id=client, values={"protocols": "Shoes off indoors."})  # material
    assert statuses()["Ana"] == ("reread", 1)
    induction.sign_off(ws, client_id=client, colleague_id=cy)
    assert statuses() == {"Ana": ("reread", 1), "Bo": ("never", None), "Cy": ("cleared", 3)}
    # Signing what one read while the pack changed underneath is refused.
    stale = induction.current(ws, client_id=client).pack.content_hash
    ws.update(kind="client", id=client, values={"protocols": "Shoes off."})
    with pytest.raises(ValidationError, match="changed while you were reading"):
        induction.sign_off(ws, client_id=client, colleague_id=bo, content_hash=stale)
    assert statuses()["Bo"] == ("never", None)


def test_a_sign_off_written_by_hand_must_name_a_recorded_version(workspace, client):
    """Issue 21: `companion add pack_signoff` with a made-up content hash showed the colleague as cleared."""
    ws = workspace
    ana = ws.create(kind="colleague", values={"name": "Ana"}).created_id
    induction.sign_off(ws, client_id=client, colleague_id=ana)
    (real,) = ws.list(kind="pack_signoff")
    bo = ws.create(kind="colleague", values={"name": "Bo"}).created_id
    forged = {**{k: real[k] for k in ("client_id", "version", "candid", "signed_at")}, "colleague_id": bo}
    with pytest.raises(
        ValidationError, match=r"Content hash \(content_hash\): version 1 .* was never recorded"
    ):
        ws.create(kind="pack_signoff", values={**forged, "content_hash": "0" * 64})
    with pytest.raises(ValidationError, match="was never recorded"):
        ws.update(kind="pack_signoff", id=real.id, values={"content_hash": "f" * 64})
    assert [s["colleague_id"] for s in ws.list(kind="pack_signoff")] == [ana]
    # The version Ana read, written again for Bo by hand, names a recorded version: it stands.
    ws.create(kind="pack_signoff", values={**forged, "content_hash": real["content_hash"]})
    state = induction.current(ws, client_id=client)
    assert {r.name: r.status for r in induction.clearance(ws, state=state)}["Bo"] == "cleared"
