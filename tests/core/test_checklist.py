"""The composed checklist: one test per source of items, recomposition, readiness and the ready rule."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core import checklist, meetings, reach
from companion.core.templates import ensure_built_in_templates
from companion.model.errors import ValidationError

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def world(workspace):
    """A client with a site, a sub-group, two people with roles, and a template of two items."""
    ws = workspace
    ids = {}
    ids["client"] = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    ids["site"] = ws.create(
        kind="site",
        values={
            "client_id": ids["client"],
            "name": "Ågotnes base",
            "dress_code": "Work clothes; no ties on the quay",
            "security_ppe": "S3 boots, helmet and vest",
            "security_id": "Passport at the gate",
            "last_verified": "2026-10-01",
        },
    ).created_id
    ids["group"] = ws.create(
        kind="sub_group", values={"client_id": ids["client"], "name": "Subsea"}
    ).created_id
    ids["team"] = ws.create(
        kind="sub_group", values={"client_id": ids["client"], "name": "ROV team", "parent_id": ids["group"]}
    ).created_id
    ids["ingrid"] = ws.create(
        kind="contact",
        values={
            "name": "Ingrid Dahl",
            "sensitivities": "The failed 2024 pilot",
            "personality": "Direct",
            "difficult": True,
            "difficult_handling": "Bring numbers, not adjectives",
        },
    ).created_id
    ids["per"] = ws.create(
        kind="contact", values={"name": "Per Lunde", "preferred_channel": "phone"}
    ).created_id
    ids["ingrid_pos"] = ws.create(
        kind="position",
        values={
            "contact_id": ids["ingrid"],
            "client_id": ids["client"],
            "title": "CFO",
            "buying_role": "economic_buyer",
            "stance": "sceptic",
            "influence": 5,
            "sub_group_id": ids["team"],
        },
    ).created_id
    ids["per_pos"] = ws.create(
        kind="position", values={"contact_id": ids["per"], "client_id": ids["client"], "title": "Engineer"}
    ).created_id
    ids["template"] = ws.create(kind="checklist_template", values={"name": "Site visit"}).created_id
    ids["t1"] = ws.create(
        kind="checklist_template_item",
        values={"template_id": ids["template"], "text": "Register visitors", "must": True, "position": 0},
    ).created_id
    ids["t2"] = ws.create(
        kind="checklist_template_item",
        values={"template_id": ids["template"], "text": "Confirm the escort", "position": 1},
    ).created_id
    return ids


def _plan(ws, ids, **extra):
    values = {
        "client_id": ids["client"],
        "site_id": ids["site"],
        "title": "Quay walk",
        "starts_at": "2026-12-10T09:00:00+01:00",
        "contact_ids": [ids["ingrid"], ids["per"]],
        "template_ids": [ids["template"]],
        **extra,
    }
    changes = meetings.plan_meeting(ws, values=values, today=TODAY)
    return changes.ids("meeting")[0]


def _items(ws, meeting_id):
    return {str(i["origin"] or i["text"]): i for i in meetings.checklist_items(ws, meeting_id)}


def _rule(ws, ids, text, scope="client", polarity="dont", severity=None, react=True, **refs):
    values = {"client_id": ids["client"], "text": text, "scope": scope, "polarity": polarity, **refs}
    if severity:
        values["severity"] = severity
    return ws.create(kind="guideline", values=values, react=react).created_id


def test_template_items_come_in_order_with_their_musts(workspace, world):
    items = _items(workspace, _plan(workspace, world))
    first, second = items[f"template:{world['t1']}"], items[f"template:{world['t2']}"]
    assert (first["text"], first["must"], first["source"], first["section"]) == (
        "Register visitors",
        True,
        "template",
        "Site visit",
    )
    assert second["must"] is False and second["position"] > first["position"]


def test_site_gives_dress_code_and_security_rules(workspace, world):
    items = _items(workspace, _plan(workspace, world))
    dress = items[f"site:{world['site']}:dress_code"]
    assert (dress["text"], dress["detail"], dress["must"]) == (
        "Dress code",
        "Work clothes; no ties on the quay",
        False,
    )
    assert items[f"site:{world['site']}:security_ppe"]["must"] is True
    assert items[f"site:{world['site']}:security_id"]["detail"] == "Passport at the gate"
    # Nothing is made from what the site does not say.
    assert f"site:{world['site']}:security_photography" not in items


def test_rules_apply_by_scope(workspace, world):
    ws = workspace
    other_site = ws.create(
        kind="site", values={"client_id": world["client"], "name": "Head office"}
    ).created_id
    stranger = ws.create(kind="contact", values={"name": "Kari"}).created_id
    applies = {
        "client": _rule(ws, world, "Never be late", severity="must"),
        "parent group": _rule(ws, world, "Speak English", "sub_group", "do", sub_group_id=world["group"]),
        "site": _rule(ws, world, "No photos on the quay", "site", site_id=world["site"]),
        "attendee": _rule(ws, world, "Mention the 2024 pilot", "contact", contact_id=world["ingrid"]),
    }
    skipped = {
        "other site": _rule(ws, world, "Wear a tie", "site", "do", site_id=other_site),
        "other person": _rule(ws, world, "Talk football", "contact", "do", contact_id=stranger),
    }
    items = _items(ws, _plan(ws, world))
    for rule_id in applies.values():
        assert f"guideline:{rule_id}" in items
    for rule_id in skipped.values():
        assert f"guideline:{rule_id}" not in items
    assert items[f"guideline:{applies['client']}"]["must"] is True
    assert items[f"guideline:{applies['client']}"]["text"] == "Never be late"  # already says don't
    assert items[f"guideline:{applies['parent group']}"]["text"] == "Do: Speak English"
    assert items[f"guideline:{applies['attendee']}"]["text"] == "Don't: Mention the 2024 pilot"
    assert items[f"guideline:{applies['attendee']}"]["section"] == "Ingrid Dahl"
    assert items[f"guideline:{applies['attendee']}"]["source"] == "attendee"
    assert items[f"guideline:{applies['site']}"]["source"] == "site"


def test_attendees_role_personality_sensitivities_and_handling(workspace, world):
    items = _items(workspace, _plan(workspace, world))
    key = f"attendee:{world['ingrid']}"
    assert (
        items[f"{key}:role"]["text"] == "Who they are: CFO · economic buyer · stance: sceptic · influence 5/5"
    )
    assert items[f"{key}:personality"]["detail"] == "Direct"
    assert items[f"{key}:sensitivities"]["detail"] == "The failed 2024 pilot"
    assert items[f"{key}:difficult"]["detail"] == "Bring numbers, not adjectives"
    assert items[f"{key}:difficult"]["must"] is True
    assert items[f"attendee:{world['per']}:preferences"]["detail"] == "Prefers phone"
    assert items[f"{key}:recent"]["text"] == "No contact recorded yet: this is a first impression"


def test_last_interactions_and_open_follow_ups(workspace, world):
    ws = workspace
    for day, summary in (
        ("2026-09-01", "Intro call"),
        ("2026-10-01", "Budget talk"),
        ("2026-11-01", "Pricing"),
    ):
        interaction = ws.create(
            kind="interaction",
            values={
                "client_id": world["client"],
                "date": day,
                "channel": "call",
                "contact_ids": [world["ingrid"]],
                "summary": summary,
            },
        ).created_id
    open_one = ws.create(
        kind="follow_up", values={"interaction_id": interaction, "text": "Send pricing", "due": "2026-11-20"}
    ).created_id
    ws.create(kind="follow_up", values={"interaction_id": interaction, "text": "Old promise", "done": True})
    items = _items(ws, _plan(ws, world))
    recent = items[f"attendee:{world['ingrid']}:recent"]
    assert recent["text"] == "Last contact 2026-11-01: re-read what was said"
    assert recent["detail"].splitlines()[0] == "2026-11-01 (call): Pricing"
    assert items[f"follow_up:{open_one}"]["text"] == "Open follow-up: Send pricing (overdue since 2026-11-20)"
    assert not any("Old promise" in str(i["text"]) for i in items.values())


def test_role_models_present(workspace, world):
    workspace.update(
        kind="position",
        id=world["per_pos"],
        values={"role_model": True, "role_model_reassess_by": "2026-11-01"},
    )
    items = _items(workspace, _plan(workspace, world))
    assert items[f"attendee:{world['per']}:role_model"]["detail"] == "Reassess by 2026-11-01"
    assert f"warning:role_model_due:{world['per_pos']}" in items


def test_warnings_about_stale_knowledge(workspace, world):
    ws = workspace
    ws.update(kind="site", id=world["site"], values={"last_verified": "2025-01-10"})
    ws.update(kind="position", id=world["per_pos"], values={"ended": "2026-11-15"})
    meeting_id = _plan(ws, world)
    items = _items(ws, meeting_id)
    stale = items[f"warning:site_stale:{world['site']}"]
    assert stale["must"] is True and "last verified 2025-01-10" in stale["text"]
    assert (
        "Per Lunde left Halvorsen Offshore as Engineer on 2026-11-15"
        in items[f"warning:left:{world['per']}"]["text"]
    )
    # A person's details untouched for over a year.
    a_year_on = TODAY + dt.timedelta(days=400)
    inputs = meetings.gather(ws, ws.get(kind="meeting", id=meeting_id), today=a_year_on)
    origins = {p.origin for p in checklist.compose(inputs)}
    assert f"warning:contact_stale:{world['ingrid']}" in origins


def test_recomposing_keeps_ticks_removals_and_added_items(workspace, world):
    ws = workspace
    meeting_id = _plan(ws, world)
    items = _items(ws, meeting_id)
    dress = items[f"site:{world['site']}:dress_code"]
    escort = items[f"template:{world['t2']}"]
    meetings.set_done(ws, item_id=dress.id, done=True)
    meetings.remove_item(ws, item_id=escort.id)
    added = meetings.add_item(ws, meeting_id=meeting_id, text="Print the pilot outline").created_id

    # Inputs change: the dress code is rewritten, a new rule appears, Per no longer comes.
    ws.update(kind="site", id=world["site"], values={"dress_code": "Suit in the office"})
    rule = _rule(ws, world, "Never discuss the merger", severity="must")
    ws.update(kind="meeting", id=meeting_id, values={"contact_ids": [world["ingrid"]]})
    meetings.recompose(ws, meeting_id=meeting_id, today=TODAY)

    after = _items(ws, meeting_id)
    assert after[f"site:{world['site']}:dress_code"]["done"] is True
    assert after[f"site:{world['site']}:dress_code"]["detail"] == "Suit in the office"
    assert after[f"template:{world['t2']}"]["removed"] is True  # still off the list
    assert after["Print the pilot outline"].id == added
    assert f"guideline:{rule}" in after
    assert not any(key.startswith(f"attendee:{world['per']}") for key in after)
    # Nothing left to do: recomposing again changes nothing.
    assert not meetings.recompose(ws, meeting_id=meeting_id, today=TODAY)


def test_recompose_affected_follows_changes_to_inputs(workspace, world):
    ws = workspace
    meeting_id = _plan(ws, world)
    # Written without the write path's own reactions, so recompose_affected is seen doing the work.
    changed = ws.update(kind="contact", id=world["per"], values={"motivators": "Uptime"}, react=False)
    result = meetings.recompose_affected(ws, changed, today=TODAY)
    assert result.label == "Update checklist"
    assert _items(ws, meeting_id)[f"attendee:{world['per']}:motivators"]["detail"] == "Uptime"
    # Its own result is not an input: no loop.
    assert not meetings.recompose_affected(ws, result, today=TODAY)


def test_held_meetings_are_history(workspace, world):
    ws = workspace
    meeting_id = _plan(ws, world)
    ws.update(kind="meeting", id=meeting_id, values={"status": "cancelled"})
    ws.update(kind="site", id=world["site"], values={"dress_code": "Anything"})
    assert not meetings.recompose(ws, meeting_id=meeting_id, today=TODAY)


def test_readiness_and_the_ready_rule(workspace, world):
    ws = workspace
    meeting_id = _plan(ws, world)
    state = checklist.readiness(meetings.checklist_items(ws, meeting_id))
    assert state.percent == 0 and state.open_musts
    with pytest.raises(ValidationError, match=r"cannot be ready while \d+ must-items are not ticked"):
        ws.update(kind="meeting", id=meeting_id, values={"status": "ready"})
    for item in state.open_musts:
        meetings.set_done(ws, item_id=item.id, done=True)
    ws.update(kind="meeting", id=meeting_id, values={"status": "ready"})
    state = checklist.readiness(meetings.checklist_items(ws, meeting_id))
    assert state.can_be_ready and 0 < state.percent < 100
    # A new must-rule appears: the meeting goes back to planned, in the same change.
    _rule(ws, world, "Never mention Brightwater", severity="must", react=False)  # recomposed below
    changes = meetings.recompose(ws, meeting_id=meeting_id, today=TODAY)
    assert ws.get(kind="meeting", id=meeting_id)["status"] == "planned"
    assert any(c.kind == "meeting" and c.after == {"status": "planned"} for c in changes.changes)


def test_planning_is_undone_as_one(workspace, world):
    ws = workspace
    values = {"client_id": world["client"], "title": "Review", "starts_at": "2026-12-10T09:00:00+01:00"}
    values["template_ids"] = [world["template"]]
    changes = meetings.plan_meeting(ws, values=values, today=TODAY)
    assert len(meetings.checklist_items(ws, changes.ids("meeting")[0])) == 2
    ws.undo(changes=changes)
    assert ws.list(kind="meeting") == [] and ws.list(kind="meeting_checklist_item") == []


def test_logging_the_meeting_moves_last_contact_and_marks_it_held(workspace, world):
    ws = workspace
    meeting_id = _plan(ws, world)
    follow_ups = meetings.parse_follow_ups("Send the pilot outline @ 2026-12-20\n\nCall Per")
    meetings.log_meeting(
        ws, meeting_id=meeting_id, summary="Good walk", sentiment="positive", follow_ups=follow_ups
    )
    assert ws.get(kind="meeting", id=meeting_id)["status"] == "held"
    assert ws.last_contact_dates(contact_ids=[world["ingrid"], world["per"]]) == {
        world["ingrid"]: "2026-12-10",
        world["per"]: "2026-12-10",
    }
    (interaction,) = ws.list(kind="interaction", where={"meeting_id": meeting_id})
    assert sorted((f["text"], f["due"]) for f in ws.list(kind="follow_up")) == [
        ("Call Per", None),
        ("Send the pilot outline", "2026-12-20"),
    ]
    assert interaction["channel"] == "meeting"
    with pytest.raises(ValidationError, match="logged already"):
        meetings.log_meeting(ws, meeting_id=meeting_id, summary="Again")


def test_built_in_templates_are_added_once_and_deletions_respected(workspace):
    ws = workspace
    first = ensure_built_in_templates(ws)
    names = sorted(t["name"] for t in ws.list(kind="checklist_template"))
    assert names == ["Executive meeting", "First visit", "Regular review", "Site visit"]
    assert len(ws.list(kind="checklist_template_item")) > 20
    assert not ensure_built_in_templates(ws)
    site_visit = next(t for t in ws.list(kind="checklist_template") if t["name"] == "Site visit")
    ws.delete(kind="checklist_template", id=site_visit.id, cascade=True)
    assert not ensure_built_in_templates(ws)
    assert len(ws.list(kind="checklist_template")) == 3
    assert first.label == "Add the built-in checklist templates"


def test_two_items_made_from_one_source_become_one_keeping_the_tick(workspace, world):
    ws = workspace
    meeting_id = _plan(ws, world)
    dress = _items(ws, meeting_id)[f"site:{world['site']}:dress_code"]
    # A twin, as two laptops made them before composed items shared their ids; the person ticked it.
    twin = {k: dress[k] for k in ("meeting_id", "text", "source", "must", "position", "section", "detail")}
    ws.create(
        kind="meeting_checklist_item", values={**twin, "origin": dress["origin"], "done": True}, react=False
    )
    meetings.recompose(ws, meeting_id=meeting_id, today=TODAY)
    items = ws.list(kind="meeting_checklist_item", where={"meeting_id": meeting_id})
    same = [i for i in items if i["origin"] == dress["origin"]]
    assert [i.id for i in same] == [dress.id]
    assert same[0]["done"] is True
    assert not meetings.recompose(ws, meeting_id=meeting_id, today=TODAY)


def test_a_source_that_comes_back_brings_its_item_back(workspace, world):
    ws = workspace
    meeting_id = _plan(ws, world)
    rule = _rule(ws, world, "Never mention Brightwater", react=False)
    meetings.recompose(ws, meeting_id=meeting_id, today=TODAY)
    item = _items(ws, meeting_id)[f"guideline:{rule}"]
    ws.delete(kind="guideline", id=rule, react=False)
    meetings.recompose(ws, meeting_id=meeting_id, today=TODAY)
    assert f"guideline:{rule}" not in _items(ws, meeting_id)
    ws.restore(kind="guideline", id=rule)
    meetings.recompose(ws, meeting_id=meeting_id, today=TODAY)
    assert _items(ws, meeting_id)[f"guideline:{rule}"].id == item.id


def test_a_failing_reaction_never_fails_the_edit_it_follows(workspace, world, monkeypatch, caplog):
    from companion.core import reactions

    def broken(*_args, **_kwargs):
        raise RuntimeError("the file is busy")

    monkeypatch.setattr(reactions, "follow", broken)
    changes = workspace.update(kind="site", id=world["site"], values={"dress_code": "Suit"})
    assert [c.after for c in changes.changes] == [{"dress_code": "Suit"}] and changes.reactions is None
    assert workspace.get(kind="site", id=world["site"])["dress_code"] == "Suit"
    assert "Reactions to 'Edit site' failed" in caplog.text


def test_only_the_meetings_a_change_can_reach_are_recomposed(workspace, world):
    ws = workspace
    here = _plan(ws, world)
    other_client = ws.create(kind="client", values={"name": "Borealis Foods"}).created_id
    elsewhere = _plan(
        ws, world, client_id=other_client, site_id=None, contact_ids=[world["per"]], template_ids=[]
    )
    alone = _plan(ws, world, client_id=other_client, site_id=None, contact_ids=[], template_ids=[])

    def reached(changes):
        return set(reach.affected_meetings(ws, changes, today=TODAY))

    site = ws.update(kind="site", id=world["site"], values={"dress_code": "Suit"}, react=False)
    assert reached(site) == {here}
    person = ws.update(kind="contact", id=world["per"], values={"motivators": "Uptime"}, react=False)
    assert reached(person) == {here, elsewhere}
    template = ws.update(kind="checklist_template_item", id=world["t1"], values={"must": False}, react=False)
    assert reached(template) == {here}
    rule = ws.create(
        kind="guideline",
        values={"client_id": other_client, "polarity": "do", "text": "Bring samples", "scope": "client"},
        react=False,
    )
    assert reached(rule) == {elsewhere, alone}
    moved = ws.update(kind="position", id=world["per_pos"], values={"title": "Lead"}, react=False)
    assert reached(moved) == {here, elsewhere}
    assert reached(ws.update(kind="meeting", id=alone, values={"agenda": "Tasting"}, react=False)) == {alone}
