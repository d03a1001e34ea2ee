"""Drawing a campaign's targets, working them through the work list, and the market's feedback."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core.campaigns import draw_targets as draw
from companion.core.campaigns import (
    feedback,
    log_approach,
    next_target,
    open_opportunity,
    progress,
    ranking_key,
    start_campaign,
    work_list,
)
from companion.model.errors import ValidationError
from companion.model.kinds import TARGET_STATUSES
from tests.core.campaign_records import build_sales

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def sales(workspace) -> dict[str, str]:
    return build_sales(workspace)


def drawn(workspace, sales) -> dict[str | None, object]:
    """The work list of the campaign drawn once, by the person's name (None: the client-level target)."""
    draw(workspace, sales["campaign"], today=TODAY)
    return {row.contact_name: row for row in work_list(workspace, sales["campaign"])}


def test_ranking_puts_influence_first_then_those_on_our_side():
    people = {
        "sceptic, 5": (5, "sceptic"),
        "champion, 5": (5, "champion"),
        "champion, 3": (3, "champion"),
        "opponent, 5": (5, "opponent"),
        "no stance, 5": (5, None),
        "neutral, 5": (5, "neutral"),
        "supporter, 5": (5, "supporter"),
        "unknown influence": (None, "champion"),
    }
    ordered = sorted(people, key=lambda name: ranking_key(*people[name]))
    assert ordered == [
        "champion, 5",
        "supporter, 5",
        "neutral, 5",
        "no stance, 5",
        "sceptic, 5",
        "opponent, 5",
        "champion, 3",
        "unknown influence",
    ]


def test_drawing_takes_the_default_buying_roles_of_current_positions_at_the_cohorts_clients(workspace, sales):
    rows = work_list(workspace, sales["campaign"])
    assert rows == []
    changes = draw(workspace, sales["campaign"], today=TODAY)
    assert changes.label == "Draw targets for Predictive maintenance, winter"
    rows = work_list(workspace, sales["campaign"])
    # Kari (technical buyer) is not drawn by default, Ola's position ended, Eva's client is not in the cohort.
    assert [(r.client_name, r.contact_name, r.rank) for r in rows] == [
        ("Halvorsen Offshore", "Per Lunde", 1),
        ("Halvorsen Offshore", "Ingrid Dahl", 2),
        ("Nordlys Subsea", "Lars Vik", 3),
        ("Fjord Drilling", None, 4),
    ]
    assert {r.status for r in rows} == {"to_approach"}
    ingrid = rows[1]
    assert (ingrid.title, ingrid.buying_role, ingrid.influence, ingrid.stance, ingrid.channel) == (
        "CFO",
        "economic_buyer",
        5,
        "sceptic",
        "email",
    )


def test_the_propositions_buying_roles_choose_who_is_drawn(workspace, sales):
    workspace.update(
        kind="proposition", id=sales["proposition"], values={"fit_roles": ["technical_buyer", "sponsor"]}
    )
    rows = drawn(workspace, sales)
    assert list(rows) == ["Kari Berg", "Lars Vik", None]
    assert rows[None].client_name == "Fjord Drilling"


def test_a_position_ending_after_today_is_current(workspace, sales):
    ola = workspace.list(kind="position", where={"contact_id": sales["ola"]})[0]
    workspace.update(kind="position", id=ola.id, values={"ended": "2027-03-31"})
    assert "Ola Nilsen" in drawn(workspace, sales)


def test_the_route_is_the_strongest_supporter_with_informal_influence(workspace, sales):
    rows = drawn(workspace, sales)
    ingrid = rows["Ingrid Dahl"]
    # Siri (supporter, strength 4) before Per (champion, strength 2); Kari influences Per but is neutral.
    assert (ingrid.route_via_id, ingrid.route_via_name) == (sales["siri"], "Siri Moe")
    assert rows["Per Lunde"].route_via_id is None
    assert "- Through Siri Moe, who has informal influence on them." in ingrid.approach


def test_a_route_needs_a_current_supporters_position(workspace, sales):
    siri = workspace.list(kind="position", where={"contact_id": sales["siri"]})[0]
    workspace.update(kind="position", id=siri.id, values={"stance": "sceptic"})
    assert drawn(workspace, sales)["Ingrid Dahl"].route_via_name == "Per Lunde"


def test_the_approach_respects_channel_worst_times_and_the_clients_dos_and_donts(workspace, sales):
    ingrid = drawn(workspace, sales)["Ingrid Dahl"]
    assert ingrid.approach.splitlines() == [
        "- Through Siri Moe, who has informal influence on them.",
        "- Prefers: email.",
        "- Avoid: Monday mornings.",
        "- Best: Thursday afternoons.",
        "- Don't (must): Never call before 9.",
        "- Do: Bring the safety figures.",
        "- Do: Send her the numbers beforehand.",
    ]


def test_a_person_gets_only_their_own_dos_and_the_clients(workspace, sales):
    per = drawn(workspace, sales)["Per Lunde"]
    assert "Ask Per about sailing." in per.approach
    assert "numbers beforehand" not in per.approach
    assert "Avoid" not in per.approach


def test_a_client_without_such_a_person_gets_one_client_level_target(workspace, sales):
    fjord = drawn(workspace, sales)[None]
    assert (fjord.client_id, fjord.contact_id, fjord.route_via_id) == (sales["fjord"], None, None)
    assert fjord.approach == (
        "- Nobody here holds a buying role this proposition looks for: find the decision maker,"
        " economic buyer or sponsor."
    )


def test_drawing_again_adds_only_who_is_not_targeted_yet(workspace, sales):
    drawn(workspace, sales)
    ingrid = next(r for r in work_list(workspace, sales["campaign"]) if r.contact_name == "Ingrid Dahl")
    log_approach(workspace, ingrid.id, date="2026-12-01", channel="email", summary="Sent the case.")
    assert len(draw(workspace, sales["campaign"], today=TODAY)) == 0
    # Someone new at Fjord: they are added after the others, the client-level target stays as it is.
    bo = workspace.create(kind="contact", values={"name": "Bo Ek"}).created_id
    workspace.create(
        kind="position",
        values={"contact_id": bo, "client_id": sales["fjord"], "buying_role": "sponsor", "influence": 5},
    )
    again = draw(workspace, sales["campaign"], today=TODAY)
    assert [c.op for c in again.changes] == ["create"]
    rows = {r.contact_name: r for r in work_list(workspace, sales["campaign"])}
    assert rows["Bo Ek"].rank == 5
    assert rows["Ingrid Dahl"].status == "approached"
    assert None in rows


def test_drawing_is_one_undoable_change(workspace, sales):
    changes = draw(workspace, sales["campaign"], today=TODAY)
    assert len(changes) == 4
    workspace.undo(changes=changes)
    assert work_list(workspace, sales["campaign"]) == []
    assert len(draw(workspace, sales["campaign"], today=TODAY)) == 4


def test_starting_a_campaign_creates_it_and_draws_its_targets_as_one_change(workspace, sales):
    values = {"name": "Spring push", "proposition_id": sales["proposition"], "cohort_id": sales["cohort"],
              "status": "running"}  # fmt: skip
    changes = start_campaign(workspace, values, today=TODAY)
    assert changes.label == "Start the campaign Spring push"
    campaign = changes.created_id
    assert workspace.get(kind="campaign", id=campaign)["name"] == "Spring push"
    assert len(work_list(workspace, campaign)) == len(changes) - 1 == 4
    workspace.undo(changes=changes)
    assert workspace.list(kind="campaign", where={"name": "Spring push"}) == []
    assert workspace.list(kind="campaign_target", where={"campaign_id": campaign}) == []


def test_a_campaign_that_cannot_be_drawn_is_not_left_behind(workspace, sales, monkeypatch):
    from companion.core import campaigns

    def broken(*_args, **_kwargs):
        raise ValidationError("The cohort cannot be read.")

    monkeypatch.setattr(campaigns, "draw_targets", broken)
    values = {"name": "Spring push", "proposition_id": sales["proposition"], "cohort_id": sales["cohort"],
              "status": "running"}  # fmt: skip
    with pytest.raises(ValidationError):
        start_campaign(workspace, values, today=TODAY)
    assert workspace.list(kind="campaign", where={"name": "Spring push"}) == []
    with pytest.raises(ValidationError) as refused:  # a bad value is named and nothing is written
        start_campaign(workspace, {**values, "status": None})
    assert refused.value.field == "status"


def test_the_work_list_puts_open_targets_first_and_the_next_is_the_first_to_approach(workspace, sales):
    rows = drawn(workspace, sales)
    per, ingrid = rows["Per Lunde"], rows["Ingrid Dahl"]
    log_approach(
        workspace, per.id, date="2026-12-02", channel="meeting", summary="Not now.", status="declined",
        reason="No budget",
    )  # fmt: skip
    ordered = work_list(workspace, sales["campaign"])
    assert [r.contact_name for r in ordered] == ["Ingrid Dahl", "Lars Vik", None, "Per Lunde"]
    assert next_target(ordered).id == ingrid.id
    log_approach(workspace, ingrid.id, date="2026-12-02", channel="email", summary="Sent it.")
    assert next_target(work_list(workspace, sales["campaign"])).contact_name == "Lars Vik"
    assert next_target([]) is None


def test_logging_an_approach_writes_the_interaction_and_moves_the_target_in_one_undoable_change(
    workspace, sales
):
    ingrid = drawn(workspace, sales)["Ingrid Dahl"]
    changes = log_approach(
        workspace, ingrid.id, date="2026-12-03", channel="email", summary="Sent the Equinor case.",
        sentiment="positive", status="meeting_set", next_step="Meet in Stavanger", next_step_due="2027-01-10",
    )  # fmt: skip
    assert [(c.op, c.kind) for c in changes.changes] == [
        ("create", "interaction"),
        ("update", "campaign_target"),
    ]
    interaction = workspace.get(kind="interaction", id=changes.created_id)
    assert interaction["client_id"] == sales["halvorsen"]
    assert interaction["contact_ids"] == [sales["ingrid"]]
    assert (interaction["channel"], interaction["sentiment"]) == ("email", "positive")
    target = workspace.get(kind="campaign_target", id=ingrid.id)
    assert (target["status"], target["next_step"], target["next_step_due"]) == (
        "meeting_set",
        "Meet in Stavanger",
        "2027-01-10",
    )
    workspace.undo(changes=changes)
    assert workspace.get(kind="interaction", id=changes.created_id, include_deleted=True).deleted_at
    target = workspace.get(kind="campaign_target", id=ingrid.id)
    assert (target["status"], target["next_step"]) == ("to_approach", None)


def test_a_decline_needs_its_reason_and_nothing_is_written_without_it(workspace, sales):
    ingrid = drawn(workspace, sales)["Ingrid Dahl"]
    with pytest.raises(ValidationError, match="reason"):
        log_approach(
            workspace, ingrid.id, date="2026-12-03", channel="call", summary="No.", status="declined"
        )
    assert workspace.list(kind="interaction") == []
    assert workspace.get(kind="campaign_target", id=ingrid.id)["status"] == "to_approach"


def test_opening_an_opportunity_from_a_target(workspace, sales):
    ingrid = drawn(workspace, sales)["Ingrid Dahl"]
    changes = open_opportunity(workspace, ingrid.id)
    deal = workspace.get(kind="opportunity", id=changes.created_id)
    assert deal["title"] == "Predictive subsea maintenance for Halvorsen Offshore"
    assert (deal["client_id"], deal["sub_group_id"], deal["stage"]) == (
        sales["halvorsen"],
        sales["finance"],
        "qualifying",
    )
    assert (deal["proposition_id"], deal["campaign_id"], deal["owner_id"]) == (
        sales["proposition"],
        sales["campaign"],
        sales["colleague"],
    )
    assert deal["economic_buyer_id"] == sales["ingrid"]
    involved = workspace.list(kind="opportunity_contact", where={"opportunity_id": deal.id})
    assert [(p["contact_id"], p["role"], p["support"]) for p in involved] == [
        (sales["ingrid"], "economic_buyer", "sceptic")
    ]
    target = workspace.get(kind="campaign_target", id=ingrid.id)
    assert (target["status"], target["opportunity_id"]) == ("opportunity", deal.id)
    with pytest.raises(ValidationError, match="opportunity_id"):
        open_opportunity(workspace, ingrid.id)
    workspace.undo(changes=changes)
    assert workspace.list(kind="opportunity") == []
    target = workspace.get(kind="campaign_target", id=ingrid.id)
    assert (target["status"], target["opportunity_id"]) == ("to_approach", None)


def test_an_opportunity_named_by_the_person_and_not_the_economic_buyer(workspace, sales):
    rows = drawn(workspace, sales)
    deal_id = open_opportunity(workspace, rows["Per Lunde"].id, title="  Operations pilot ").created_id
    deal = workspace.get(kind="opportunity", id=deal_id)
    assert (deal["title"], deal["economic_buyer_id"], deal["sub_group_id"]) == (
        "Operations pilot",
        None,
        sales["operations"],
    )
    # A client-level target: a deal at the client as a whole, nobody in it yet.
    deal_id = open_opportunity(workspace, rows[None].id).created_id
    assert workspace.get(kind="opportunity", id=deal_id)["sub_group_id"] is None
    assert workspace.list(kind="opportunity_contact", where={"opportunity_id": deal_id}) == []


def test_progress_counts_every_status(workspace, sales):
    assert progress(workspace, sales["campaign"]) == dict.fromkeys(TARGET_STATUSES, 0)
    rows = drawn(workspace, sales)
    log_approach(workspace, rows["Lars Vik"].id, date="2026-12-01", channel="call", summary="Rang.")
    counts = progress(workspace, sales["campaign"])
    assert list(counts) == list(TARGET_STATUSES)
    assert (counts["to_approach"], counts["approached"], counts["declined"]) == (3, 1, 0)


def test_feedback_rolls_declines_up_by_reason_cohort_and_month(workspace, sales):
    rows = drawn(workspace, sales)
    second = workspace.create(
        kind="cohort", values={"name": "Subsea specialists", "tags": ["subsea", "retail"]}
    ).created_id
    other = workspace.create(
        kind="campaign",
        values={
            "name": "Spring push", "proposition_id": sales["proposition"], "cohort_id": second,
            "status": "running",
        },
    ).created_id  # fmt: skip
    draw(workspace, other, today=TODAY)
    spring = {r.contact_name: r for r in work_list(workspace, other)}
    answers = (
        (rows["Per Lunde"], "declined", "No budget this year"),
        (rows["Ingrid Dahl"], "declined", "  no budget   THIS year"),
        (rows[None], "not_relevant", "They do not run subsea assets"),
        (spring["Lars Vik"], "declined", "No budget this year"),
        (spring["Eva Holm"], "interested", None),
    )
    for target, status, reason in answers:
        log_approach(
            workspace, target.id, date="2026-12-04", channel="call", summary="Asked.", status=status,
            reason=reason,
        )  # fmt: skip
    month = workspace.get(kind="campaign_target", id=rows["Per Lunde"].id).updated_at[:7]
    result = feedback(workspace, sales["proposition"])
    assert (result.declined, result.not_relevant, result.targets) == (3, 1, 6)
    assert result.by_reason == [("No budget this year", 3), ("They do not run subsea assets", 1)]
    assert result.by_cohort == [("North Sea operators", 3, 4), ("Subsea specialists", 1, 2)]
    assert result.by_month == [(month, 4)]


def test_feedback_of_a_proposition_without_campaigns(workspace, sales):
    other = workspace.create(
        kind="proposition", values={"title": "Spare parts", "status": "draft"}
    ).created_id
    result = feedback(workspace, other)
    assert (result.declined, result.not_relevant, result.targets) == (0, 0, 0)
    assert result.by_reason == result.by_cohort == result.by_month == []
