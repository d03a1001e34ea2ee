"""The checklist's Plan section: the account plan's ties, risks, contracts, objectives and actions that
bear on one meeting, kept in step through the write path like every other part of the list."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from companion.core import checklist, meetings, reach, reactions
from companion.model.errors import ValidationError

# Reactions to an edit look at meetings from the real today on: the meeting is a few weeks ahead of it.
TODAY = dt.date.today()
MEETING_DAY = TODAY + dt.timedelta(days=20)


def _day(offset: int) -> str:
    """A date this many days from the meeting."""
    return (MEETING_DAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def world(workspace):
    """A client with an active plan; Ingrid and Per of theirs and Mira of ours meet them, Ola and Tom do not."""
    ws = workspace
    ids: dict[str, str] = {}

    def make(key, kind, **values):
        ids[key] = ws.create(kind=kind, values=values).created_id
        return ids[key]

    client = make("client", "client", name="Halvorsen Offshore")
    make("other_client", "client", name="Borealis Foods")
    for key, name in (("ingrid", "Ingrid Dahl"), ("per", "Per Lunde"), ("ola", "Ola Berg")):
        make(key, "contact", name=name)
        ws.create(kind="position", values={"contact_id": ids[key], "client_id": client, "title": "Engineer"})
    make("mira", "colleague", name="Mira Tan")
    make("tom", "colleague", name="Tom Whitcombe")
    make("nordkyst", "competitor", name="Nordkyst Services", our_answer="Uptime we can prove.\nAnd more.")
    make("brightwater", "competitor", name="Brightwater")
    make(
        "plan",
        "account_plan",
        client_id=client,
        title="Plan 2027",
        status="active",
        type="expand",
        period_from="2027-01-01",
        period_to="2027-12-31",
        strategy="Become their renewables partner.\nWin the wind frame first.",
    )
    make("draft", "account_plan", client_id=client, title="Plan 2028", status="draft")
    return ids


def _meet(ws, ids, **extra) -> str:
    values = {
        "client_id": ids["client"],
        "title": "Quarterly review",
        "starts_at": f"{MEETING_DAY.isoformat()}T09:00:00+01:00",
        "contact_ids": [ids["ingrid"], ids["per"]],
        "colleague_ids": [ids["mira"]],
        **extra,
    }
    return meetings.plan_meeting(ws, values=values, today=TODAY).ids("meeting")[0]


def _plan_items(ws, meeting_id) -> dict[str, object]:
    """The meeting's Plan section by origin (removed ones too)."""
    return {
        str(i["origin"]): i
        for i in meetings.checklist_items(ws, meeting_id)
        if i["section"] == checklist.PLAN_SECTION
    }


def test_ties_of_attendees_are_musts_phrased_by_the_tie(workspace, world):
    ws = workspace
    worked = ws.create(
        kind="competitor_tie",
        values={
            "competitor_id": world["nordkyst"],
            "contact_id": world["ingrid"],
            "tie": "worked_there",
            "notes": "Six years in their Bergen office",
        },
    ).created_id
    relative = ws.create(
        kind="competitor_tie",
        values={"competitor_id": world["brightwater"], "contact_id": world["per"], "tie": "relative_there"},
    ).created_id
    champion = ws.create(
        kind="competitor_tie",
        values={"competitor_id": world["nordkyst"], "contact_id": world["per"], "tie": "champion"},
    ).created_id
    absent = ws.create(
        kind="competitor_tie",
        values={"competitor_id": world["nordkyst"], "contact_id": world["ola"], "tie": "worked_there"},
    ).created_id
    items = _plan_items(ws, _meet(ws, world))
    tie = items[f"tie:{worked}"]
    assert (tie["text"], tie["must"], tie["source"]) == (
        "Don't knock Nordkyst Services: Ingrid Dahl worked there",
        True,
        "plan",
    )
    assert tie["detail"] == "Six years in their Bergen office\nOur answer to them: Uptime we can prove."
    assert items[f"tie:{relative}"]["text"] == "Don't knock Brightwater: Per Lunde has a relative there"
    assert (
        items[f"tie:{champion}"]["text"] == "Don't knock Nordkyst Services: Per Lunde is a champion of theirs"
    )
    assert f"tie:{absent}" not in items  # Ola is not coming


def test_high_risks_are_musts_and_lesser_ones_show_only_when_they_involve_attendees(workspace, world):
    ws = workspace

    def risk(title, likelihood, impact, status="open", **values):
        return ws.create(
            kind="risk",
            values={
                "client_id": world["client"],
                "title": title,
                "likelihood": likelihood,
                "impact": impact,
                "status": status,
                **values,
            },
        ).created_id

    high = risk(
        "Sponsor may retire", 4, 3, mitigation="Meet the successor\nSoon", competitor_id=world["nordkyst"]
    )
    watched = risk("Budget freeze", 5, 5, status="watching")
    closed = risk("Old dispute", 5, 5, status="closed")
    theirs = risk("Per may move to wind", 3, 3, contact_ids=[world["per"]])
    ours = risk("Mira overloaded", 2, 2, owner_id=world["mira"])
    nobody = risk("Tom's pricing slips", 2, 5, owner_id=world["tom"], contact_ids=[world["ola"]])
    other_client = ws.create(
        kind="risk",
        values={
            "client_id": world["other_client"],
            "title": "Elsewhere",
            "likelihood": 5,
            "impact": 5,
            "status": "open",
        },
    ).created_id
    items = _plan_items(ws, _meet(ws, world))
    assert items[f"risk:{high}"]["text"] == "High risk: Sponsor may retire (likelihood 4 × impact 3)"
    assert items[f"risk:{high}"]["must"] is True
    assert items[f"risk:{high}"]["detail"] == "Mitigation: Meet the successor\nCompetitor: Nordkyst Services"
    assert items[f"risk:{watched}"]["must"] is True
    assert items[f"risk:{theirs}"]["text"] == "Risk: Per may move to wind (likelihood 3 × impact 3)"
    assert (items[f"risk:{theirs}"]["must"], items[f"risk:{theirs}"]["detail"]) == (
        False,
        "Involves Per Lunde",
    )
    assert items[f"risk:{ours}"]["must"] is False
    for absent in (closed, nobody, other_client):
        assert f"risk:{absent}" not in items
    # Highest first: 5 × 5 before 4 × 3.
    order = sorted(items.values(), key=lambda i: i["position"])
    assert [i["origin"] for i in order if i["must"]] == [f"risk:{watched}", f"risk:{high}"]


def test_contracts_whose_notice_falls_within_ninety_days_of_the_meeting(workspace, world):
    ws = workspace

    def contract(title, notice_offset, **values):
        return ws.create(
            kind="contract",
            values={"client_id": world["client"], "title": title, "notice_by": _day(notice_offset), **values},
        ).created_id

    near = contract("Frame agreement", 30, ends=_day(120), renewal_status="to_review")
    edge = contract("Spares", 90)
    far = contract("Vessel charter", 91)
    past = contract("Old licence", -1)
    renewed = contract("Software", 10, renewal_status="renewed")
    items = _plan_items(ws, _meet(ws, world))
    assert items[f"contract:{near}"]["text"] == f"Contract notice due {_day(30)}: Frame agreement"
    assert items[f"contract:{near}"]["detail"] == f"Renewal: to review\nEnds {_day(120)}"
    assert items[f"contract:{near}"]["must"] is False
    assert f"contract:{edge}" in items
    for absent in (far, past, renewed):
        assert f"contract:{absent}" not in items


def test_objectives_and_actions_that_involve_the_attendees_on_either_side(workspace, world):
    ws = workspace

    def objective(title, plan="plan", **values):
        return ws.create(
            kind="objective", values={"plan_id": world[plan], "title": title, **values}
        ).created_id

    def action(text, **values):
        return ws.create(kind="action", values={"text": text, **values}).created_id

    with_ingrid = objective(
        "Win the wind frame", stakeholder_id=world["ingrid"], status="at_risk", due=_day(60)
    )
    miras = objective("Grow the fleet share", owner_id=world["mira"])
    toms = objective("Renew the spares deal", owner_id=world["tom"], stakeholder_id=world["ola"])
    achieved = objective("Pilot on one vessel", stakeholder_id=world["ingrid"], status="achieved")
    drafted = objective("Next year's idea", plan="draft", stakeholder_id=world["ingrid"])
    lesser = ws.create(
        kind="risk",
        values={
            "client_id": world["client"],
            "title": "Sponsor may retire",
            "likelihood": 1,
            "impact": 2,
            "status": "open",
        },
    ).created_id

    with_per = action(
        "Send Per the drivetrain study", objective_id=toms, contact_id=world["per"], due=_day(-30)
    )
    mira_owns = action("Book the site tour", objective_id=toms, owner_id=world["mira"], due=_day(5))
    tom_owns = action("Price the spares", objective_id=miras, owner_id=world["tom"], contact_id=world["ola"])
    done = action("Intro call", objective_id=with_ingrid, contact_id=world["per"], done=True)
    of_achieved = action("Write up the pilot", objective_id=achieved, contact_id=world["ingrid"])
    of_draft = action("Sketch 2028", objective_id=drafted, contact_id=world["ingrid"])
    against_risk = action("Meet the successor", risk_id=lesser, contact_id=world["ingrid"])

    items = _plan_items(ws, _meet(ws, world))
    assert (
        items[f"objective:{with_ingrid}"]["text"]
        == f"Objective: Win the wind frame (at risk, due {_day(60)})"
    )
    assert items[f"objective:{with_ingrid}"]["detail"] == "Involves Ingrid Dahl"
    assert items[f"objective:{miras}"]["text"] == "Objective: Grow the fleet share (not started)"
    assert items[f"objective:{miras}"]["detail"] == "Involves Mira Tan"
    overdue = items[f"action:{with_per}"]
    # The action's due date is before the real today here: overdue.
    assert overdue["text"] == f"Open action: Send Per the drivetrain study (overdue since {_day(-30)})"
    assert overdue["detail"] == "Toward: Renew the spares deal\nInvolves Per Lunde"
    assert items[f"action:{mira_owns}"]["text"] == f"Open action: Book the site tour (due {_day(5)})"
    assert (
        items[f"action:{against_risk}"]["detail"]
        == "Against the risk: Sponsor may retire\nInvolves Ingrid Dahl"
    )
    assert not any(i["must"] for i in items.values())
    for absent in (f"objective:{toms}", f"objective:{achieved}", f"objective:{drafted}", f"risk:{lesser}"):
        assert absent not in items
    for absent in (tom_owns, done, of_achieved, of_draft):
        assert f"action:{absent}" not in items


def test_no_plan_and_nothing_involving_the_attendees_gives_no_plan_section(workspace, world):
    ws = workspace
    ws.create(kind="objective", values={"plan_id": world["plan"], "title": "Tom's", "owner_id": world["tom"]})
    meeting_id = _meet(ws, world)
    assert _plan_items(ws, meeting_id) == {}
    assert meetings.checklist_items(ws, meeting_id)  # the rest of the checklist is there


def test_plan_items_come_after_the_rules_and_before_the_attendees(workspace, world):
    ws = workspace
    ws.create(
        kind="guideline",
        values={"client_id": world["client"], "polarity": "dont", "text": "Be late", "scope": "client"},
    )
    ws.create(
        kind="competitor_tie",
        values={"competitor_id": world["nordkyst"], "contact_id": world["ingrid"], "tie": "worked_there"},
    )
    items = checklist.shown(meetings.checklist_items(ws, _meet(ws, world)))
    sections = list(dict.fromkeys(checklist.section_of(i) for i in items))
    assert sections == [checklist.GUIDELINES_SECTION, checklist.PLAN_SECTION, "Ingrid Dahl", "Per Lunde"]


def test_ticks_survive_when_the_plan_is_edited(workspace, world):
    ws = workspace
    risk = ws.create(
        kind="risk",
        values={
            "client_id": world["client"],
            "title": "Sponsor may retire",
            "likelihood": 4,
            "impact": 4,
            "status": "open",
        },
    ).created_id
    tie = ws.create(
        kind="competitor_tie",
        values={"competitor_id": world["nordkyst"], "contact_id": world["ingrid"], "tie": "worked_there"},
    ).created_id
    meeting_id = _meet(ws, world)
    items = _plan_items(ws, meeting_id)
    meetings.set_done(ws, item_id=items[f"risk:{risk}"].id, done=True)
    meetings.remove_item(ws, item_id=items[f"tie:{tie}"].id)

    # The edits go through the write path: its reaction recomposes the meeting.
    ws.update(
        kind="risk", id=risk, values={"title": "Sponsor retires in March", "contact_ids": [world["per"]]}
    )
    ws.update(kind="competitor", id=world["nordkyst"], values={"name": "Nordkyst Group"})
    after = _plan_items(ws, meeting_id)
    assert after[f"risk:{risk}"]["text"] == "High risk: Sponsor retires in March (likelihood 4 × impact 4)"
    assert after[f"risk:{risk}"]["done"] is True
    assert after[f"tie:{tie}"]["removed"] is True
    assert after[f"tie:{tie}"]["text"] == "Don't knock Nordkyst Group: Ingrid Dahl worked there"

    # No longer high, still involving Per: a should-item, with its tick.
    ws.update(kind="risk", id=risk, values={"likelihood": 2})
    lowered = _plan_items(ws, meeting_id)[f"risk:{risk}"]
    assert (lowered["must"], lowered["done"], lowered.id) == (False, True, after[f"risk:{risk}"].id)

    # Closed, it leaves the list.
    ws.update(kind="risk", id=risk, values={"status": "closed"})
    assert f"risk:{risk}" not in _plan_items(ws, meeting_id)
    assert not meetings.recompose(ws, meeting_id=meeting_id, today=TODAY)


def test_a_new_tie_puts_a_ready_meeting_back_to_planned(workspace, world):
    ws = workspace
    meeting_id = _meet(ws, world)
    for item in checklist.readiness(meetings.checklist_items(ws, meeting_id)).open_musts:
        meetings.set_done(ws, item_id=item.id, done=True)
    ws.update(kind="meeting", id=meeting_id, values={"status": "ready"})
    ws.create(
        kind="competitor_tie",
        values={"competitor_id": world["brightwater"], "contact_id": world["per"], "tie": "champion"},
    )
    assert ws.get(kind="meeting", id=meeting_id)["status"] == "planned"
    with pytest.raises(ValidationError, match=r"must-item is not ticked: Don.t knock Brightwater"):
        ws.update(kind="meeting", id=meeting_id, values={"status": "ready"})


def test_edits_to_the_plan_reach_the_meetings_they_bear_on(workspace, world):
    ws = workspace
    here = _meet(ws, world)
    # Per also meets another client; nobody of this client meets the third.
    elsewhere = _meet(
        ws, world, client_id=world["other_client"], contact_ids=[world["per"]], colleague_ids=[]
    )
    alone = _meet(ws, world, client_id=world["other_client"], contact_ids=[world["ola"]], colleague_ids=[])

    def reached(changes):
        return set(reach.affected_meetings(ws, changes, today=TODAY))

    def create(kind, **values):
        return ws.create(kind=kind, values=values, react=False)

    objective = create("objective", plan_id=world["plan"], title="Win the frame")
    assert reached(objective) == {here}
    objective_id = objective.created_id
    risk = create("risk", client_id=world["client"], title="Budget freeze", status="open")
    assert reached(risk) == {here}
    risk_id = risk.created_id
    assert reached(create("action", objective_id=objective_id, text="Book the tour")) == {here}
    assert reached(create("action", risk_id=risk_id, text="Meet finance")) == {here}
    assert reached(create("contract", client_id=world["client"], title="Frame", notice_by=_day(30))) == {here}
    plan_edit = ws.update(kind="account_plan", id=world["plan"], values={"strategy": "Grow"}, react=False)
    assert reached(plan_edit) == {here}
    # A tie reaches the meetings its person attends, at any client.
    tie = create(
        "competitor_tie", competitor_id=world["brightwater"], contact_id=world["per"], tie="champion"
    )
    assert reached(tie) == {here, elsewhere}
    # A competitor reaches the meetings of its people and of the clients it is present at.
    assert reached(
        ws.update(kind="competitor", id=world["brightwater"], values={"name": "B"}, react=False)
    ) == {
        here,
        elsewhere,
    }
    create("competitor_presence", competitor_id=world["nordkyst"], client_id=world["other_client"])
    nordkyst = ws.update(kind="competitor", id=world["nordkyst"], values={"name": "N"}, react=False)
    assert reached(nordkyst) == {elsewhere, alone}
    # An objective moved to another client's plan touches both.
    theirs = create("account_plan", client_id=world["other_client"], title="Borealis plan", status="active")
    moved = ws.update(kind="objective", id=objective_id, values={"plan_id": theirs.created_id}, react=False)
    assert reached(moved) == {here, elsewhere, alone}


def test_an_action_edited_through_the_write_path_recomposes_the_meeting(workspace, world):
    ws = workspace
    objective = ws.create(
        kind="objective", values={"plan_id": world["plan"], "title": "Win the frame"}
    ).created_id
    meeting_id = _meet(ws, world)
    action = ws.create(
        kind="action", values={"objective_id": objective, "text": "Book the tour", "contact_id": world["per"]}
    ).created_id
    assert _plan_items(ws, meeting_id)[f"action:{action}"]["text"] == "Open action: Book the tour"
    changes = ws.update(kind="action", id=action, values={"done": True})
    assert f"action:{action}" not in _plan_items(ws, meeting_id)
    assert changes.reactions is not None and changes.reactions.label == meetings.UPDATE_LABEL
    ws.undo(changes=changes)  # undone: recomposed again, the item is back
    assert f"action:{action}" in _plan_items(ws, meeting_id)


def _action_not_yet_on_the_checklist(ws, world) -> tuple[str, str, str]:
    """(objective, meeting, action): an action written without its reactions, as a pulled page leaves it."""
    objective = ws.create(
        kind="objective", values={"plan_id": world["plan"], "title": "Win the frame"}
    ).created_id
    meeting_id = _meet(ws, world)
    action = ws.create(
        kind="action",
        values={"objective_id": objective, "text": "Book the tour", "contact_id": world["per"]},
        react=False,
    ).created_id
    assert f"action:{action}" not in _plan_items(ws, meeting_id)
    return objective, meeting_id, action


def test_a_pulled_action_reaches_the_meeting_through_its_objective(workspace, world):
    """A pull notes what its records hang from and resolves it once the pull is done."""
    ws = workspace
    objective, meeting_id, action = _action_not_yet_on_the_checklist(ws, world)
    due = reactions.note_pulled(
        None, [("action", action, {"objective_id": objective, "text": "Book the tour"})]
    )
    assert reach.Reach.from_dict(json.loads(due)["reach"]).objectives == {objective}
    reactions.follow_pull(ws, due=due, today=TODAY)
    assert f"action:{action}" in _plan_items(ws, meeting_id)


def test_a_pull_reaching_many_records_is_noted_as_reaching_every_upcoming_meeting(
    workspace, world, monkeypatch
):
    """A first pull reaches nearly everything: its note stays small, and every upcoming checklist follows."""
    monkeypatch.setattr(reactions, "REACH_ALL_FROM", 2)
    ws = workspace
    _objective, meeting_id, action = _action_not_yet_on_the_checklist(ws, world)
    others = [
        ("client", "c1", {}),
        ("contact", "p1", {}),
        ("contact", "p2", {}),
    ]  # none of them this meeting's
    due = reactions.note_pulled(None, others)
    assert json.loads(due)["reach"] == reactions.EVERY_MEETING
    due = reactions.note_pulled(due, [("meeting", meeting_id, {}), ("contact", "p3", {})])  # a later page
    assert json.loads(due) == {"settle": [meeting_id], "reach": reactions.EVERY_MEETING}
    reactions.follow_pull(ws, due=due, today=TODAY)
    assert f"action:{action}" in _plan_items(ws, meeting_id)


def test_a_pull_reaching_few_records_names_them(world):
    due = reactions.note_pulled(None, [("contact", "p1", {}), ("client", "c1", {})])
    noted = reach.Reach.from_dict(json.loads(due)["reach"])
    assert (noted.contacts, noted.clients, noted.size()) == ({"p1"}, {"c1"}, 2)
    assert reactions.note_pulled(due, [("colleague", "x", {})]) == due  # nothing new: the note as it was
