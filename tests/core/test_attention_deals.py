"""Home's deal groups in core: deals' next steps due and campaign targets due (overdue, today, within the
horizon, not yet), closed deals and targets of campaigns not running left out, deal actions, the filters
(mine, a client), snoozes, and marking a step done through the services (one undoable change)."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core import attention as worklist
from companion.core.attention import FOLLOW_UP_HORIZON_DAYS, Filters, attention

TODAY = dt.date(2026, 12, 2)


def _in(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def world(workspace):
    """Mira owns Halvorsen, Jonas owns Aurora. Deals at both in every state of due-ness; a running campaign
    of Jonas's with targets at both clients, and a paused campaign whose target is overdue."""
    ws = workspace
    ids: dict[str, str] = {}
    make = lambda kind, **values: ws.create(kind=kind, values=values).created_id  # noqa: E731
    ids["mira"] = make("colleague", name="Mira Tan")
    ids["jonas"] = make("colleague", name="Jonas Aas")
    ids["halvorsen"] = make("client", name="Halvorsen Offshore", owner_id=ids["mira"])
    ids["aurora"] = make("client", name="Aurora Retail", owner_id=ids["jonas"])
    ids["ingrid"] = make("contact", name="Ingrid Dahl")
    make("position", contact_id=ids["ingrid"], client_id=ids["halvorsen"], title="CEO")
    ids["luiza"] = make("contact", name="Luiza Prado")
    make("position", contact_id=ids["luiza"], client_id=ids["aurora"], title="CFO")

    def deal(title, client, stage, due, step="Send the business case", **more):
        return make(
            "opportunity", client_id=ids[client], title=title, stage=stage, next_step=step,
            next_step_due=due, **more,
        )  # fmt: skip

    ids["overdue"] = deal("Fleet renewal", "halvorsen", "negotiating", _in(-3), "Call the CFO")
    ids["today"] = deal("Wind pilot", "halvorsen", "idea", _in(0), "Book the drivetrain demo")
    ids["soon"] = deal("Store rollout", "aurora", "proposing", _in(FOLLOW_UP_HORIZON_DAYS), step="")
    deal("Later", "aurora", "qualifying", _in(FOLLOW_UP_HORIZON_DAYS + 1))
    deal("Won already", "halvorsen", "won", _in(-1), outcome_reason="Best proof")
    deal("Lost already", "aurora", "lost", _in(-1), outcome_reason="Price")
    deal("Withdrawn", "aurora", "withdrawn", _in(-1))
    make("opportunity", client_id=ids["aurora"], title="No date", stage="qualifying", next_step="Ask")
    # Jonas owns this deal at Mira's client: "mine" follows the deal's own owner first.
    ids["jonas_deal"] = deal(
        "Base pilot", "halvorsen", "qualifying", _in(2), "Walk the base", owner_id=ids["jonas"]
    )
    # A deal's action, and one of a closed deal.
    make("action", opportunity_id=ids["overdue"], text="Draft the price table", due=_in(1))
    closed = ws.list(kind="opportunity", where={"title": "Won already"})[0].id
    make("action", opportunity_id=closed, text="Send the thank-you", due=_in(-1))

    proposition = make("proposition", title="Energy Watch", status="approved")
    cohort = make("cohort", name="Asset-heavy", tags=["energy"])
    running = make(
        "campaign", name="Energy autumn", proposition_id=proposition, cohort_id=cohort, status="running",
        owner_id=ids["jonas"], starts=_in(-20),
    )  # fmt: skip
    paused = make(
        "campaign", name="Paused push", proposition_id=proposition, cohort_id=cohort, status="paused"
    )

    def target(campaign, client, status, due, step="Follow up", contact=None, **more):
        values = {"campaign_id": campaign, "client_id": ids[client], "status": status, "next_step": step}
        if due is not None:
            values["next_step_due"] = due
        if contact:
            values["contact_id"] = ids[contact]
        return ws.create(kind="campaign_target", values={**values, **more}).created_id

    ids["t_overdue"] = target(running, "halvorsen", "approached", _in(-2), "Email the case", "ingrid")
    ids["t_soon"] = target(running, "aurora", "meeting_set", _in(5), "", "luiza")
    ids["t_client"] = target(running, "aurora", "interested", _in(1), "Send references")
    target(running, "aurora", "to_approach", _in(FOLLOW_UP_HORIZON_DAYS + 3))
    target(running, "halvorsen", "to_approach", None, "")
    target(running, "aurora", "declined", _in(-1), reason="No budget")
    target(running, "aurora", "not_relevant", _in(-1), reason="No cold rooms")
    target(running, "halvorsen", "opportunity", _in(-1))
    target(paused, "halvorsen", "approached", _in(-5), "Paused follow-up", "ingrid")
    return ids


def _group(found, reason):
    group = found.group(reason)
    return [] if group is None else list(group.items)


def test_next_steps_due_lists_open_deals_due_within_the_horizon(workspace, world):
    found = attention(workspace, today=TODAY)
    items = _group(found, "next_step_due")
    assert [i.record_id for i in items] == [
        world["overdue"],
        world["today"],
        world["jonas_deal"],
        world["soon"],
    ]
    first = items[0]
    assert first.kind == "opportunity" and first.client_name == "Halvorsen Offshore"
    assert first.sentence == (
        "Call the CFO — Halvorsen Offshore: overdue 3 days (due Sun 29 Nov) · deal “Fleet renewal” (negotiating)"
    )
    assert items[1].detail.startswith("due today · deal “Wind pilot” (idea)")
    # A deal with a date but no step asks for one.
    assert items[3].title == "Decide the next step" and items[3].detail.startswith("due Wed 09 Dec")
    assert found.group("next_step_due").total == 4
    assert first.can_be_done and first.target == ("opportunity", world["overdue"])


def test_the_groups_sit_after_plan_actions_in_home_s_order(workspace, world):
    reasons = [g.reason for g in attention(workspace, today=TODAY).groups]
    assert reasons.index("action_due") < reasons.index("next_step_due") < reasons.index("target_due")


def test_campaign_targets_due_are_of_running_campaigns_and_still_worked(workspace, world):
    items = _group(attention(workspace, today=TODAY), "target_due")
    assert [i.record_id for i in items] == [world["t_overdue"], world["t_client"], world["t_soon"]]
    overdue, by_client, soon = items
    assert overdue.kind == "campaign_target"
    assert overdue.sentence == (
        "Email the case — Halvorsen Offshore: overdue 2 days (due Mon 30 Nov) · Ingrid Dahl (approached)"
        " · campaign “Energy autumn”"
    )
    # No person: the client is the target; no step written: the person's name says with whom.
    assert "· Aurora Retail (interested) ·" in by_client.detail
    assert soon.title == "Next step with Luiza Prado" and "(meeting set)" in soon.detail
    assert all("Paused" not in i.title for i in items)


def test_a_deal_s_action_is_due_with_its_deal_and_a_closed_deal_s_is_not(workspace, world):
    items = _group(attention(workspace, today=TODAY), "action_due")
    assert [i.title for i in items] == ["Draft the price table"]
    assert items[0].client_name == "Halvorsen Offshore"
    assert items[0].detail == "due tomorrow · in the deal “Fleet renewal”"


def test_mine_keeps_my_deals_and_the_targets_of_my_campaigns_or_clients(workspace, world):
    mira = attention(workspace, today=TODAY, filters=Filters(mine=world["mira"]))
    # Mira's client's deals, but not the one Jonas owns there.
    assert {i.record_id for i in _group(mira, "next_step_due")} == {world["overdue"], world["today"]}
    # Jonas runs the campaign; Mira owns Halvorsen: its target is hers too.
    assert [i.record_id for i in _group(mira, "target_due")] == [world["t_overdue"]]
    jonas = attention(workspace, today=TODAY, filters=Filters(mine=world["jonas"]))
    assert {i.record_id for i in _group(jonas, "next_step_due")} == {world["soon"], world["jonas_deal"]}
    assert len(_group(jonas, "target_due")) == 3


def test_the_client_filter_keeps_one_client_s_deals_and_targets(workspace, world):
    found = attention(workspace, today=TODAY, filters=Filters(client_id=world["aurora"]))
    assert [i.record_id for i in _group(found, "next_step_due")] == [world["soon"]]
    assert [i.record_id for i in _group(found, "target_due")] == [world["t_client"], world["t_soon"]]
    assert {i.client_name for i in found.items} == {"Aurora Retail"}


def test_a_snoozed_deal_leaves_the_group_until_its_day(workspace, world):
    worklist.snooze(
        workspace,
        kind="opportunity",
        record_id=world["overdue"],
        until=TODAY + dt.timedelta(days=2),
        today=TODAY,
    )
    worklist.snooze(
        workspace,
        kind="campaign_target",
        record_id=world["t_soon"],
        until=TODAY + dt.timedelta(days=2),
        today=TODAY,
    )
    found = attention(workspace, today=TODAY)
    assert world["overdue"] not in [i.record_id for i in _group(found, "next_step_due")]
    assert world["t_soon"] not in [i.record_id for i in _group(found, "target_due")]
    assert found.snoozed == 2
    later = attention(workspace, today=TODAY + dt.timedelta(days=2))
    assert world["overdue"] in [i.record_id for i in _group(later, "next_step_due")]


def test_marking_a_step_done_clears_it_in_one_undoable_change(workspace, world):
    ws = workspace
    changes = worklist.mark_done(ws, kind="opportunity", record_id=world["overdue"], today=TODAY)
    assert changes.label == "Mark the deal's next step done" and len(changes.changes) == 1
    deal = ws.get(kind="opportunity", id=world["overdue"])
    assert (deal["next_step"], deal["next_step_due"], deal["stage"]) == (None, None, "negotiating")
    assert world["overdue"] not in [i.record_id for i in _group(attention(ws, today=TODAY), "next_step_due")]
    ws.undo(changes=changes)
    deal = ws.get(kind="opportunity", id=world["overdue"])
    assert (deal["next_step"], deal["next_step_due"]) == ("Call the CFO", _in(-3))

    changes = worklist.mark_done(ws, kind="campaign_target", record_id=world["t_overdue"], today=TODAY)
    assert changes.label == "Mark the target's next step done"
    target = ws.get(kind="campaign_target", id=world["t_overdue"])
    assert (target["next_step"], target["next_step_due"], target["status"]) == (None, None, "approached")
    ws.undo(changes=changes)
    assert ws.get(kind="campaign_target", id=world["t_overdue"])["next_step_due"] == _in(-2)


def test_nothing_is_due_without_deals_or_running_campaigns(workspace):
    found = attention(workspace, today=TODAY)
    assert found.group("next_step_due") is None and found.group("target_due") is None


def test_targets_beyond_those_listed_are_counted(workspace, world):
    found = attention(workspace, today=TODAY, filters=Filters(limits={"target_due": 1}))
    group = found.group("target_due")
    assert (len(group.items), group.total, group.more) == (1, 3, 2)
    assert group.items[0].title == "Email the case" and "Ingrid Dahl" in group.items[0].detail
