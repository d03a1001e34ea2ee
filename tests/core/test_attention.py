"""Home's worklist in core: groups in their order with their counts, items naming their client and the
deed, the most urgent first, filters (mine, a client), snoozes, and settling an item through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core import attention as worklist
from companion.core.attention import Filters, attention
from companion.model.errors import ValidationError

TODAY = dt.date(2026, 12, 2)


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def _in(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def world(workspace):
    """Two colleagues and their clients; people overdue, follow-ups, sites, a role model, meetings."""
    ws = workspace
    ids: dict[str, str] = {}
    make = lambda kind, **values: ws.create(kind=kind, values=values).created_id  # noqa: E731
    ids["mira"] = make("colleague", name="Mira Tan")
    ids["jonas"] = make("colleague", name="Jonas Aas")
    ids["halvorsen"] = make("client", name="Halvorsen Offshore", owner_id=ids["mira"])
    ids["aurora"] = make("client", name="Aurora Retail", owner_id=ids["jonas"])
    # Ingrid: phone, every 60 days, last seen 94 days ago, at Mira's client.
    ids["ingrid"] = make("contact", name="Ingrid Dahl", visit_frequency_days=60, preferred_channel="phone")
    make("position", contact_id=ids["ingrid"], client_id=ids["halvorsen"], title="CFO")
    make(
        "interaction", client_id=ids["halvorsen"], date=_ago(94), channel="call", contact_ids=[ids["ingrid"]]
    )
    # Per: never contacted, every 30 days, at Mira's client but his own owner is Jonas.
    ids["per"] = make("contact", name="Per Lunde", visit_frequency_days=30, owner_id=ids["jonas"])
    make("position", contact_id=ids["per"], client_id=ids["halvorsen"], title="COO")
    # Luiza: email, at both clients (counted once), last seen 200 days ago.
    ids["luiza"] = make("contact", name="Luiza Prado", visit_frequency_days=90, preferred_channel="email")
    make("position", contact_id=ids["luiza"], client_id=ids["aurora"], title="CEO")
    make("position", contact_id=ids["luiza"], client_id=ids["halvorsen"], title="Board member")
    make("interaction", date=_ago(200), channel="meeting", contact_ids=[ids["luiza"]])
    # Not due: seen recently; no position left; no rhythm.
    ids["sven"] = make("contact", name="Sven Berg", visit_frequency_days=60)
    make("position", contact_id=ids["sven"], client_id=ids["aurora"], title="CTO")
    make("interaction", date=_ago(5), channel="call", contact_ids=[ids["sven"]])
    gone = make("contact", name="Old Friend", visit_frequency_days=30)
    make(
        "position", contact_id=gone, client_id=ids["aurora"], title="CFO", started=_ago(900), ended=_ago(400)
    )
    make("contact", name="No Rhythm")
    # Follow-ups: one overdue at Aurora, one due in three days at Halvorsen, one done, one far off.
    talk = make("interaction", client_id=ids["aurora"], date=_ago(20), channel="meeting")
    ids["quote"] = make("follow_up", interaction_id=talk, text="Send the quote", due=_ago(4))
    visit = make("interaction", client_id=ids["halvorsen"], date=_ago(3), channel="meeting")
    ids["deck"] = make(
        "follow_up", interaction_id=visit, text="Share the deck", due=_in(3), owner_id=ids["jonas"]
    )
    make("follow_up", interaction_id=visit, text="Done already", due=_ago(2), done=True)
    make("follow_up", interaction_id=visit, text="Far off", due=_in(30))
    # Sites: one never verified, one verified last month.
    ids["base"] = make("site", client_id=ids["halvorsen"], name="Ågotnes base")
    make("site", client_id=ids["halvorsen"], name="Head office", last_verified=_ago(30))
    # A culture role model due for reassessment at Aurora.
    ids["role"] = make(
        "position", contact_id=ids["sven"], client_id=ids["aurora"], title="Plant manager",
        role_model=True, role_model_reassess_by=_ago(10),
    )  # fmt: skip
    # Meetings: in two days with Jonas; cancelled; a month away.
    noon = lambda days: f"{_in(days)}T12:00:00+00:00"  # noqa: E731
    ids["review"] = make(
        "meeting", client_id=ids["halvorsen"], title="Quarterly review", starts_at=noon(2),
        colleague_ids=[ids["jonas"]],
    )  # fmt: skip
    make("meeting", client_id=ids["aurora"], title="Called off", starts_at=noon(3), status="cancelled")
    make("meeting", client_id=ids["aurora"], title="Next quarter", starts_at=noon(30))
    return ws, ids


def test_groups_come_in_order_meetings_first_with_their_counts(world):
    ws, _ids = world
    found = attention(ws, today=TODAY)
    assert [g.reason for g in found.groups] == [
        "upcoming_meeting",
        "follow_up_due",
        "overdue_contact",
        "role_model_due",
        "stale_site",
    ]
    assert found.totals == {
        "upcoming_meeting": 1,
        "follow_up_due": 2,
        "overdue_contact": 3,
        "role_model_due": 1,
        "stale_site": 1,
    }
    assert found.items[0].title == "Quarterly review"


def test_each_item_names_its_client_and_what_to_do(world):
    ws, _ids = world
    sentences = [item.sentence for item in attention(ws, today=TODAY)]
    assert (
        "Call Ingrid Dahl — Halvorsen Offshore: last contact 94 days ago, every 60 (34 days overdue)"
        in sentences
    )
    assert "Contact Per Lunde — Halvorsen Offshore: never contacted, every 30 days" in sentences
    assert "Send the quote — Aurora Retail: overdue 4 days (due Sat 28 Nov)" in sentences
    assert "Share the deck — Halvorsen Offshore: due Sat 05 Dec" in sentences
    assert "Verify Ågotnes base — Halvorsen Offshore: security notes never verified" in sentences
    assert any(s.startswith("Reassess Sven Berg — Aurora Retail: culture role model") for s in sentences)
    assert any(s.startswith("Prepare Quarterly review — Halvorsen Offshore: ") for s in sentences)


def test_the_most_overdue_come_first_and_a_person_at_two_clients_once(world):
    ws, ids = world
    people = attention(ws, today=TODAY).group("overdue_contact")
    # Due: Luiza 110 days ago, Ingrid 34 days ago, Per today (never contacted).
    assert [i.record_id for i in people.items] == [ids["luiza"], ids["ingrid"], ids["per"]]
    assert people.total == 3
    follow_ups = attention(ws, today=TODAY).group("follow_up_due")
    assert [i.title for i in follow_ups.items] == ["Send the quote", "Share the deck"]


def test_a_group_lists_its_first_and_counts_the_rest(world):
    ws, _ids = world
    found = attention(ws, today=TODAY, filters=Filters(limits={"overdue_contact": 2, "follow_up_due": 1}))
    people = found.group("overdue_contact")
    assert (len(people.items), people.total, people.more) == (2, 3, 1)
    follow_ups = found.group("follow_up_due")
    assert (len(follow_ups.items), follow_ups.total, follow_ups.more) == (1, 2, 1)


def test_mine_is_what_i_own_else_what_my_clients_hold(world):
    ws, ids = world
    mira = attention(ws, today=TODAY, filters=Filters(mine=ids["mira"]))
    jonas = attention(ws, today=TODAY, filters=Filters(mine=ids["jonas"]))
    mira_ids = {i.record_id for i in mira}
    jonas_ids = {i.record_id for i in jonas}
    # Ingrid has no owner of her own: Mira owns her client. Per is Jonas's though at Mira's client.
    assert {ids["ingrid"], ids["luiza"], ids["base"]} <= mira_ids
    assert ids["per"] not in mira_ids and ids["per"] in jonas_ids
    # The deck is Jonas's follow-up; the quote is at Jonas's client; the review has Jonas attending.
    assert {ids["deck"], ids["quote"], ids["review"], ids["role"], ids["luiza"]} <= jonas_ids
    assert not {ids["deck"], ids["quote"], ids["review"]} & mira_ids
    assert mira.group("overdue_contact").total == 2  # Luiza (at both clients) and Ingrid


def test_the_client_filter_keeps_one_clients_items(world):
    ws, ids = world
    found = attention(ws, today=TODAY, filters=Filters(client_id=ids["aurora"]))
    assert {i.client_id for i in found} == {ids["aurora"]}
    assert [i.title for i in found.group("overdue_contact").items] == ["Luiza Prado"]
    assert found.group("stale_site") is None and found.group("upcoming_meeting") is None


def test_snoozed_items_leave_the_list_and_its_counts_until_their_day(world):
    ws, ids = world
    queued = ws.outbox_count()
    worklist.snooze(ws, kind="contact", record_id=ids["ingrid"], until=_date(3), today=TODAY)
    worklist.snooze(ws, kind="follow_up", record_id=ids["quote"], until=_date(1), today=TODAY)
    found = attention(ws, today=TODAY)
    assert ids["ingrid"] not in {i.record_id for i in found}
    assert found.group("overdue_contact").total == 2
    assert found.group("follow_up_due").total == 1
    assert found.snoozed == 2
    shown = attention(ws, today=TODAY, filters=Filters(with_snoozed=True))
    ingrid = next(i for i in shown if i.record_id == ids["ingrid"])
    assert ingrid.snoozed_until == _in(3) and shown.group("overdue_contact").total == 3
    # The day after, the follow-up is back; three days on, Ingrid too.
    assert ids["quote"] in {i.record_id for i in attention(ws, today=_date(1))}
    assert ids["ingrid"] in {i.record_id for i in attention(ws, today=_date(3))}
    worklist.wake(ws, kind="contact", record_id=ids["ingrid"])
    assert ids["ingrid"] in {i.record_id for i in attention(ws, today=TODAY)}
    # Snoozing again clears the snoozes that ran out; none of it is a synced record.
    worklist.snooze(ws, kind="site", record_id=ids["base"], until=_date(9), today=_date(2))
    assert set(ws.meta_items(prefix=worklist.SNOOZE_PREFIX)) == {
        f"{worklist.SNOOZE_PREFIX}site:{ids['base']}"
    }
    assert ws.outbox_count() == queued


def _date(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


def test_settling_goes_through_the_services_and_undoes(world):
    ws, ids = world
    done = worklist.mark_done(ws, kind="follow_up", record_id=ids["quote"], today=TODAY)
    assert done.label == "Mark follow-up done" and ws.get(kind="follow_up", id=ids["quote"])["done"] is True
    assert ids["quote"] not in {i.record_id for i in attention(ws, today=TODAY)}
    ws.undo(changes=done)
    assert not ws.get(kind="follow_up", id=ids["quote"])["done"]
    worklist.mark_done(ws, kind="site", record_id=ids["base"], today=TODAY)
    assert ws.get(kind="site", id=ids["base"])["last_verified"] == TODAY.isoformat()
    worklist.mark_done(ws, kind="position", record_id=ids["role"], today=TODAY)
    assert ws.get(kind="position", id=ids["role"])["role_model_reassess_by"] == _in(365)
    found = attention(ws, today=TODAY)
    assert found.group("stale_site") is None and found.group("role_model_due") is None
    with pytest.raises(ValidationError):
        worklist.mark_done(ws, kind="meeting", record_id=ids["review"], today=TODAY)


def test_nothing_due_is_an_empty_worklist(workspace):
    found = attention(workspace, today=TODAY)
    assert not found and found.groups == () and found.items == () and found.snoozed == 0


# --- account plans on home: actions, early warnings, risk and plan reviews, contract notices ----------


@pytest.fixture
def planned(world):
    """Account plan records of both clients: some due, some near-misses."""
    ws, ids = world
    make = lambda kind, **values: ws.create(kind=kind, values=values).created_id  # noqa: E731
    ids["plan"] = make(
        "account_plan", client_id=ids["halvorsen"], title="Halvorsen 2027", status="active",
        next_review=_ago(3),
    )  # fmt: skip
    make("account_plan", client_id=ids["aurora"], title="Aurora draft", status="draft", next_review=_in(5))
    make("account_plan", client_id=ids["aurora"], title="Aurora 2025", status="closed", next_review=_ago(300))
    goal = make("objective", plan_id=ids["plan"], title="Win the subsea frame")
    ids["tour"] = make(
        "action", objective_id=goal, text="Book the site tour", due=_ago(2), owner_id=ids["jonas"]
    )
    make("action", objective_id=goal, text="Done already", due=_ago(5), done=True)
    make("action", objective_id=goal, text="Far off", due=_in(30))
    make("action", objective_id=goal, text="No date")
    ids["risk"] = make(
        "risk", client_id=ids["aurora"], title="Sponsor may retire", status="watching", likelihood=3,
        impact=5, next_review=_ago(1), owner_id=ids["mira"],
    )  # fmt: skip
    make("risk", client_id=ids["aurora"], title="Closed one", status="closed", next_review=_ago(9))
    make("risk", client_id=ids["aurora"], title="Later", status="open", next_review=_in(9))
    ids["succession"] = make("action", risk_id=ids["risk"], text="Meet the successor", due=_in(1))
    ids["frame"] = make(
        "contract", client_id=ids["halvorsen"], title="Frame agreement", notice_by=_in(30),
        renewal_status="negotiating",
    )  # fmt: skip  # under way: on the calendar, no early warning
    make("contract", client_id=ids["halvorsen"], title="Far notice", notice_by=_in(120))
    make("contract", client_id=ids["halvorsen"], title="Renewed", notice_by=_in(10), renewal_status="renewed")
    # A champion of Aurora left last month: an early warning.
    ana = make("contact", name="Ana Moe")
    ids["ana_role"] = make(
        "position", contact_id=ana, client_id=ids["aurora"], title="CIO", buying_role="champion",
        ended=_ago(20),
    )  # fmt: skip
    return ws, ids


def test_account_plan_groups_join_home_in_their_order(planned):
    ws, ids = planned
    found = attention(ws, today=TODAY)
    assert [g.reason for g in found.groups] == [
        "upcoming_meeting",
        "follow_up_due",
        "action_due",
        "overdue_contact",
        "early_warning",
        "risk_review_due",
        "contract_notice",
        "plan_review_due",
        "role_model_due",
        "stale_site",
    ]
    totals = found.totals
    assert (totals["action_due"], totals["risk_review_due"], totals["contract_notice"]) == (2, 1, 1)
    assert (totals["plan_review_due"], totals["early_warning"]) == (1, 1)
    sentences = [item.sentence for item in found]
    assert (
        "Book the site tour — Halvorsen Offshore: overdue 2 days (due Mon 30 Nov) · for “Win the subsea frame”"
        in sentences
    )
    assert (
        "Meet the successor — Aurora Retail: due tomorrow · against the risk “Sponsor may retire”"
        in sentences
    )
    assert (
        "Review Sponsor may retire — Aurora Retail: review due 1 day ago (Tue 01 Dec) · likelihood 3 × impact 5"
        in sentences
    )
    assert (
        "Frame agreement — Halvorsen Offshore: notice by Fri 01 Jan 2027 (in 30 days) · renewal negotiating"
        in sentences
    )
    assert (
        "Review Halvorsen 2027 — Halvorsen Offshore: active plan, review due 3 days ago (Sun 29 Nov)"
        in sentences
    )
    (warning,) = found.group("early_warning").items
    assert warning.headline == "Champion Ana Moe has left — Aurora Retail"
    assert warning.record_id == f"champion_left:{ids['ana_role']}" and warning.kind == "warning"
    # Opening a warning shows what it is about; other items open themselves.
    assert warning.target == ("position", ids["ana_role"]) and warning.is_warning and not warning.can_be_done
    tour = next(i for i in found if i.record_id == ids["tour"])
    assert tour.target == ("action", ids["tour"]) and tour.can_be_done


def test_plan_groups_follow_mine_and_the_client_filter(planned):
    ws, ids = planned
    jonas = {i.record_id for i in attention(ws, today=TODAY, filters=Filters(mine=ids["jonas"]))}
    mira = {i.record_id for i in attention(ws, today=TODAY, filters=Filters(mine=ids["mira"]))}
    warning = f"champion_left:{ids['ana_role']}"
    # The tour is Jonas's own action at Mira's client; the risk is Mira's own at Jonas's client; the
    # action against it, the warning and the contract have no owner of their own: their client's.
    assert {ids["tour"], ids["succession"], warning} <= jonas and not {ids["risk"], ids["frame"]} & jonas
    assert {ids["risk"], ids["frame"], ids["plan"]} <= mira and not {ids["tour"], warning} & mira
    aurora = attention(ws, today=TODAY, filters=Filters(client_id=ids["aurora"]))
    assert {i.client_id for i in aurora} == {ids["aurora"]}
    assert aurora.group("early_warning").total == 1 and aurora.group("contract_notice") is None


def test_an_early_warning_snoozes_by_its_key_and_leaves_when_decided(planned):
    from companion.core import early_warning

    ws, ids = planned
    key = f"champion_left:{ids['ana_role']}"
    worklist.snooze(ws, kind="warning", record_id=key, until=_date(2), today=TODAY)
    found = attention(ws, today=TODAY)
    assert found.group("early_warning") is None and found.snoozed == 1
    assert attention(ws, today=_date(2)).group("early_warning").total == 1
    worklist.wake(ws, kind="warning", record_id=key)
    accepted = early_warning.accept(ws, key, today=TODAY)
    found = attention(ws, today=TODAY)
    assert found.group("early_warning") is None
    # The risk it became is reviewed in two weeks: home lists it then, as a risk.
    later = attention(ws, today=_date(early_warning.REVIEW_AFTER_DAYS))
    assert "Losing our champion at Aurora Retail: Ana Moe left" in [
        i.title for i in later.group("risk_review_due").items
    ]
    ws.undo(changes=accepted)
    assert attention(ws, today=TODAY).group("early_warning").total == 1


def test_plan_items_are_settled_through_the_services(planned):
    ws, ids = planned
    done = worklist.mark_done(ws, kind="action", record_id=ids["tour"], today=TODAY)
    assert done.label == "Mark action done" and ws.get(kind="action", id=ids["tour"])["done"] is True
    reviewed = worklist.mark_done(ws, kind="risk", record_id=ids["risk"], today=TODAY)
    assert reviewed.label == "Mark risk reviewed"
    assert ws.get(kind="risk", id=ids["risk"])["next_review"] == _in(worklist.RISK_REVIEW_EVERY_DAYS)
    worklist.mark_done(ws, kind="account_plan", record_id=ids["plan"], today=TODAY)
    assert ws.get(kind="account_plan", id=ids["plan"])["next_review"] == _in(worklist.PLAN_REVIEW_EVERY_DAYS)
    found = attention(ws, today=TODAY)
    assert found.group("risk_review_due") is None and found.group("plan_review_due") is None
    assert [i.record_id for i in found.group("action_due").items] == [ids["succession"]]
    ws.undo(changes=done)
    assert ids["tour"] in {i.record_id for i in attention(ws, today=TODAY).group("action_due").items}
    with pytest.raises(ValidationError):
        worklist.mark_done(ws, kind="contract", record_id=ids["frame"], today=TODAY)


def test_the_plan_groups_list_their_first_and_count_the_rest(planned):
    ws, _ids = planned
    found = attention(ws, today=TODAY, filters=Filters(limits={"action_due": 1}))
    actions = found.group("action_due")
    assert (len(actions.items), actions.total, actions.more) == (1, 2, 1)


def test_home_and_the_early_warnings_say_a_person_s_rhythm_alike(world):
    from companion.core import early_warning

    ws, ids = world
    ws.create(
        kind="position",
        values={"contact_id": ids["ingrid"], "client_id": ids["aurora"], "buying_role": "decision_maker"},
    )
    home = next(i for i in attention(ws, today=TODAY) if i.record_id == ids["ingrid"])
    (warning,) = [w for w in early_warning.warnings(ws, today=TODAY) if w.rule == "dm_overdue"]
    assert home.detail == "last contact 94 days ago, every 60 (34 days overdue)"
    assert warning.why.endswith(f": {home.detail}.")


def test_actions_the_plan_no_longer_wants_stay_off_home(planned):
    ws, ids = planned
    old_plan = ws.list(kind="account_plan", where={"title": "Aurora 2025"})[0].id
    dropped = ws.create(
        kind="objective", values={"plan_id": ids["plan"], "title": "Dropped", "status": "dropped"}
    )
    closed_goal = ws.create(kind="objective", values={"plan_id": old_plan, "title": "Old goal"}).created_id
    closed_risk = ws.list(kind="risk", where={"title": "Closed one"})[0].id
    for owner in (
        {"objective_id": dropped.created_id},
        {"objective_id": closed_goal},
        {"risk_id": closed_risk},
    ):
        ws.create(kind="action", values={**owner, "text": "Not wanted any more", "due": _ago(40)})
    titles = [i.title for i in attention(ws, today=TODAY).group("action_due").items]
    assert "Not wanted any more" not in titles and "Book the site tour" in titles
