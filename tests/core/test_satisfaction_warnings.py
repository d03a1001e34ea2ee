"""Low scores propose, never impose: a detractor or a falling trend proposes a risk and a follow-up, nothing
is written until a person accepts, accepting writes both in one undoable change, former clients are never
warned about, and the keys name only the situation."""

from __future__ import annotations

import pytest

from companion.core import early_warning as ew
from tests.core.satisfaction_records import TODAY, Satisfaction, ago


@pytest.fixture
def sat(workspace) -> Satisfaction:
    return Satisfaction(workspace)


def found(sat: Satisfaction, rule: str, **kwargs) -> list[ew.EarlyWarning]:
    return [w for w in ew.warnings(sat.ws, today=TODAY, **kwargs) if w.rule == rule]


def test_a_detractor_proposes_a_risk_naming_the_person_and_writes_nothing(sat):
    response = sat.respond(ago(30), nps=4, contact=sat.ingrid, comment="Invoices arrive late")
    sat.respond(ago(20), nps=9, contact=sat.person("Per Lunde"))  # a promoter: quiet
    risks_before = sat.ws.count(kind="risk")

    (warning,) = found(sat, "survey_detractor")

    assert warning.key == f"survey_detractor:{response}"
    assert warning.subject == ("survey_response", response)
    assert warning.title == "Ingrid Dahl scored 4 of 10"
    assert "“Invoices arrive late”" in warning.why and "Autumn pulse" in warning.why
    assert warning.risk.contact_ids == (sat.ingrid,)
    assert warning.risk.follow_up == f"Call Ingrid Dahl about their score of 4 (NPS, {ago(30)})"
    assert sat.ws.count(kind="risk") == risks_before  # only proposed
    assert [w.key for w in found(sat, "survey_detractor", client_id=sat.client)] == [warning.key]


def test_an_old_detractor_a_passive_and_a_csat_score_stay_quiet(sat):
    sat.respond(ago(181), nps=2, contact=sat.ingrid)
    sat.respond(ago(10), nps=7, csat=1, contact=sat.ingrid)
    assert found(sat, "survey_detractor") == []


def test_accepting_writes_the_risk_and_its_follow_up_in_one_change_and_undo_takes_both(sat):
    sat.respond(ago(30), nps=4, contact=sat.ingrid)
    (warning,) = found(sat, "survey_detractor")

    changes = ew.accept(sat.ws, warning.key, today=TODAY)

    assert sorted(c.kind for c in changes.changes) == ["action", "risk", "warning_decision"]
    risk = next(c for c in changes.changes if c.kind == "risk")
    (action,) = sat.ws.list(kind="action", where={"risk_id": risk.id})
    assert action["text"] == warning.risk.follow_up
    assert action["owner_id"] == sat.mira and action["contact_id"] == sat.ingrid
    assert str(action["due"]) == "2026-12-09"
    assert sat.ws.get(kind="risk", id=risk.id)["contact_ids"] == [sat.ingrid]
    assert found(sat, "survey_detractor") == []

    sat.ws.undo(changes=changes)

    assert sat.ws.list(kind="risk") == [] and sat.ws.list(kind="action") == []
    assert [w.key for w in found(sat, "survey_detractor")] == [warning.key]


def test_a_falling_nps_proposes_once_per_quarter_and_a_small_dip_does_not(sat):
    per = sat.person("Per Lunde")
    sat.respond("2026-08-10", nps=10, contact=sat.ingrid)
    sat.respond("2026-08-12", nps=9, contact=per)  # Q3: +100
    sat.respond("2026-10-05", nps=8, contact=sat.ingrid)
    sat.respond("2026-10-06", nps=9, contact=per)  # Q4: +50

    (warning,) = found(sat, "satisfaction_falling")

    assert warning.key == f"satisfaction_falling:{sat.client}:nps:2026-Q4"
    assert warning.title == "NPS at Halvorsen Offshore fell from +100 to +50"
    assert warning.subject == ("client", sat.client)
    assert "(2026-Q3 to 2026-Q4)" in (warning.risk.follow_up or "")
    assert [w.key for w in found(sat, "satisfaction_falling", client_id=sat.client)] == [warning.key]


def test_a_csat_fall_warns_exactly_when_the_scorecard_calls_it_falling(sat):
    from companion.core.scorecard import scorecard

    def csat_falling() -> bool:
        card = scorecard(sat.ws, client_id=sat.client, today=TODAY)
        return next(f for f in card.perspective("customer").figures if f.key == "csat").falling

    per = sat.person("Per Lunde")
    sat.respond("2026-08-10", csat=5, contact=sat.ingrid)
    sat.respond("2026-08-11", csat=4, contact=per)  # Q3: 4.5
    sat.respond("2026-10-05", csat=4, contact=sat.ingrid)
    sat.respond("2026-10-06", csat=4, contact=per)  # Q4: 4.0, half a point down: the step, not past it
    assert found(sat, "satisfaction_falling") == [] and not csat_falling()

    sat.respond("2026-10-07", csat=3, contact=sat.person("Kari Nygaard"))  # Q4: 3.67
    assert [w.key for w in found(sat, "satisfaction_falling")] == [
        f"satisfaction_falling:{sat.client}:csat:2026-Q4"
    ]
    assert csat_falling()


def test_a_lower_review_rating_proposes_and_accepting_adds_its_follow_up(sat):
    sat.review("2026-06-01", theirs=4)
    sat.review("2026-07-01")  # not rated: not compared
    latest = sat.review("2026-09-01", theirs=3)

    (warning,) = found(sat, "satisfaction_falling")
    assert warning.key == f"satisfaction_falling:{sat.client}:review:{latest}"
    changes = ew.accept(sat.ws, warning.key, today=TODAY)
    assert {c.kind for c in changes.changes} == {"risk", "action", "warning_decision"}


def test_a_former_client_is_never_warned_about(sat):
    sat.respond(ago(30), nps=1, contact=sat.ingrid)
    sat.review("2026-06-01", theirs=5)
    sat.review("2026-09-01", theirs=1)
    sat.ws.update(kind="client", id=sat.client, values={"status": "former"})
    assert [
        w for w in ew.warnings(sat.ws, today=TODAY) if w.rule in ("survey_detractor", "satisfaction_falling")
    ] == []
    assert ew.warnings(sat.ws, client_id=sat.client, today=TODAY) == []


def test_the_key_is_the_same_whenever_and_however_it_is_asked(sat):
    sat.respond(ago(30), nps=3, contact=sat.ingrid)
    first = {w.key for w in ew.warnings(sat.ws, today=TODAY)}
    later = {w.key for w in ew.warnings(sat.ws, today=TODAY.replace(day=20))}
    one = {w.key for w in ew.warnings(sat.ws, client_id=sat.client, today=TODAY)}
    assert first == later == one and first
    dismissed = next(iter(first))
    ew.dismiss(sat.ws, dismissed, today=TODAY)
    assert dismissed not in {w.key for w in ew.warnings(sat.ws, today=TODAY)}
