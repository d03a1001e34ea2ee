"""Early warnings: each rule fires on its situation and stays quiet on the near-misses; a key is the same
on every laptop; accepting makes a risk and its decision in one undoable change; a dismissal is
remembered; undoing either brings the proposal back."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core import early_warning as ew
from companion.model.errors import NotFoundError, ValidationError

TODAY = dt.date(2026, 12, 2)


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def _in(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


class World:
    """A colleague and her active client; helpers to add people in roles and read the warnings."""

    def __init__(self, ws):
        self.ws = ws
        self.mira = self.make("colleague", name="Mira Tan")
        self.client = self.make("client", name="Halvorsen Offshore", status="active", owner_id=self.mira)

    def make(self, kind: str, **values) -> str:
        return self.ws.create(kind=kind, values=values).created_id

    def person(self, name: str, *, client: str | None = None, every: int | None = None, **position) -> tuple:
        """A person and their position at the client: (contact id, position id)."""
        contact = self.make("contact", name=name, visit_frequency_days=every)
        held = self.make("position", contact_id=contact, client_id=client or self.client, **position)
        return contact, held

    def talk(self, days_ago: int, sentiment: str | None, *people: str, client: str | None = None) -> str:
        return self.make(
            "interaction",
            client_id=client or self.client,
            date=_ago(days_ago),
            channel="call",
            sentiment=sentiment,
            contact_ids=list(people) or None,
        )

    def found(self, rule: str | None = None, **kwargs) -> list[ew.EarlyWarning]:
        return [w for w in ew.warnings(self.ws, today=TODAY, **kwargs) if rule is None or w.rule == rule]

    def pending(self, rule: str | None = None) -> set[str]:
        return {w.key for w in self.found(rule)}


@pytest.fixture
def world(workspace) -> World:
    return World(workspace)


# --- champion_left ----------------------------------------------------------------------------------


def test_a_champion_who_left_recently_warns(world):
    ingrid, held = world.person(
        "Ingrid Dahl", title="CFO", buying_role="champion", started=_ago(900), ended=_ago(30)
    )
    (warning,) = world.found("champion_left")
    assert warning.key == f"champion_left:{held}"
    assert (warning.client_id, warning.client_name) == (world.client, "Halvorsen Offshore")
    assert warning.title == "Champion Ingrid Dahl has left"
    assert "Ingrid Dahl (CFO, champion) was our champion at Halvorsen Offshore" in warning.why
    assert "30 days ago" in warning.why
    assert warning.subject == ("position", held) and warning.since == _ago(30)
    risk = warning.risk
    assert (risk.category, risk.likelihood, risk.impact) == ("relationship", 4, 4)
    assert risk.contact_ids == (ingrid,) and "Ingrid Dahl" in risk.title and risk.trigger


def test_a_sponsor_or_a_champion_by_stance_warns_and_an_announced_departure_too(world):
    world.person("Per Lunde", buying_role="sponsor", ended=_ago(180))  # the last day that matters
    world.person("Sven Berg", stance="champion", ended=_ago(5))
    world.person("Ola Nord", stance="champion", ended=_in(20))
    titles = sorted(w.title for w in world.found("champion_left"))
    assert titles == [
        "Champion Ola Nord leaves on Tue 22 Dec 2026",
        "Champion Sven Berg has left",
        "Sponsor Per Lunde has left",
    ]


def test_a_champion_long_gone_still_in_place_or_moved_within_does_not_warn(world):
    world.person("Long Gone", buying_role="champion", ended=_ago(181))
    world.person("Still Here", buying_role="champion")
    world.person("Just A User", buying_role="user", stance="supporter", ended=_ago(10))
    moved, _ = world.person("Moved Within", buying_role="champion", ended=_ago(10))
    world.make("position", contact_id=moved, client_id=world.client, title="COO")
    former = world.make("client", name="Gone Client", status="former")
    world.person("At A Former Client", client=former, buying_role="champion", ended=_ago(10))
    assert world.found("champion_left") == []


# --- no_supporter / no_decision_maker ------------------------------------------------------------------


def test_decision_makers_none_of_whom_supports_us_warn(world):
    ingrid, _ = world.person("Ingrid Dahl", title="CFO", buying_role="decision_maker", stance="neutral")
    per, _ = world.person("Per Lunde", buying_role="economic_buyer", stance="sceptic")
    world.person("Sven Berg", buying_role="user", stance="champion")  # a fan, but he does not decide
    world.person("Gone Fan", buying_role="decision_maker", stance="champion", ended=_ago(3))
    (warning,) = world.found("no_supporter")
    assert warning.key == f"no_supporter:{world.client}" and warning.subject == ("client", world.client)
    assert warning.title == "No decision maker supports us"
    assert "Ingrid Dahl (CFO, decision maker, neutral)" in warning.why
    assert "Per Lunde (economic buyer, sceptic)" in warning.why
    assert set(warning.risk.contact_ids) == {ingrid, per} and warning.risk.impact == 5
    # One supporter among those who decide is enough.
    world.person("Ana Moe", buying_role="economic_buyer", stance="supporter")
    assert world.found("no_supporter") == []


def test_support_is_asked_of_active_prospect_and_unlabelled_clients_only(world):
    for status in ("prospect", None, "dormant", "former"):
        client = world.make("client", name=f"Client {status}", status=status)
        world.person(f"Boss {status}", client=client, buying_role="decision_maker", stance="opponent")
    warned = {w.client_name for w in world.found("no_supporter")}
    assert warned == {"Client prospect", "Client None"}


def test_a_mapped_buying_centre_without_a_decider_warns_and_an_unmapped_one_does_not(world):
    world.person("Sven Berg", buying_role="user")
    world.person("Ana Moe", buying_role="influencer")
    unmapped = world.make("client", name="Aurora Retail", status="active")
    world.person("Luiza Prado", client=unmapped, title="CEO")
    (warning,) = world.found("no_decision_maker")
    assert warning.key == f"no_decision_maker:{world.client}"
    assert "The buying roles of 2 people at Halvorsen Offshore are known" in warning.why
    assert warning.risk.category == "commercial"
    assert world.found("no_supporter") == []


# --- dm_overdue --------------------------------------------------------------------------------------


def test_a_decision_maker_past_their_visit_rhythm_warns_with_home_s_words(world):
    ingrid, held = world.person("Ingrid Dahl", every=30, title="CFO", buying_role="decision_maker")
    world.talk(40, "neutral", ingrid)
    (warning,) = world.found("dm_overdue")
    assert warning.key == f"dm_overdue:{held}:{_ago(10)}"  # the day she fell due
    assert warning.title == "Decision maker Ingrid Dahl is overdue for contact"
    assert warning.why == (
        "Ingrid Dahl (CFO, decision maker) is seen every 30 days: "
        "last contact 40 days ago, every 30 (10 days overdue)."
    )
    assert warning.risk.contact_ids == (ingrid,)
    # Contacted: the warning goes. Overdue again later: a new lapse, a new key.
    world.talk(1, "positive", ingrid)
    assert world.found("dm_overdue") == []
    later = ew.warnings(world.ws, today=TODAY + dt.timedelta(days=45))
    assert [w.key for w in later if w.rule == "dm_overdue"] == [f"dm_overdue:{held}:{_in(29)}"]


def test_a_decision_maker_never_contacted_warns_once_under_a_stable_key(world):
    _ingrid, held = world.person("Ingrid Dahl", every=60, buying_role="economic_buyer")
    assert world.pending("dm_overdue") == {f"dm_overdue:{held}:never"}
    tomorrow = ew.warnings(world.ws, today=TODAY + dt.timedelta(days=1))
    assert {w.key for w in tomorrow if w.rule == "dm_overdue"} == {f"dm_overdue:{held}:never"}


def test_people_within_their_rhythm_without_one_or_not_deciding_do_not_warn(world):
    due_today, _ = world.person("Due Today", every=30, buying_role="decision_maker")
    world.talk(30, None, due_today)  # due today: on home's list, not yet a warning
    recent, _ = world.person("Seen Recently", every=30, buying_role="decision_maker")
    world.talk(10, None, recent)
    world.person("No Rhythm", buying_role="decision_maker")
    influencer, _ = world.person("Influencer", every=30, buying_role="influencer")
    world.talk(100, None, influencer)
    gone, _ = world.person("Left Already", every=30, buying_role="decision_maker", ended=_ago(2))
    world.talk(100, None, gone)
    assert world.found("dm_overdue") == []


# --- negative_streak -----------------------------------------------------------------------------------


def test_two_negative_interactions_in_a_row_warn(world):
    ingrid, _ = world.person("Ingrid Dahl")
    per, _ = world.person("Per Lunde")
    world.talk(30, "positive")
    world.talk(12, "negative", ingrid)
    latest = world.talk(3, "negative", per, ingrid)
    (warning,) = world.found("negative_streak")
    assert warning.key == f"negative_streak:{world.client}:{latest}"
    assert warning.title == "Two negative interactions in a row"
    assert "Fri 20 Nov 2026 (call) and Sun 29 Nov 2026 (call)" in warning.why
    assert set(warning.risk.contact_ids) == {ingrid, per} and warning.since == _ago(3)


@pytest.mark.parametrize(
    ("older", "newer"),
    [("negative", "mixed"), ("mixed", "negative"), ("negative", None), ("positive", "negative")],
)
def test_a_streak_needs_both_latest_negative(world, older, newer):
    world.talk(40, "negative")
    world.talk(20, older)
    world.talk(5, newer)
    assert world.found("negative_streak") == []


def test_the_latest_two_are_read_by_date_not_by_when_they_were_typed(world):
    world.talk(2, "positive")  # the latest, typed first
    world.talk(10, "negative")
    world.talk(20, "negative")
    assert world.found("negative_streak") == []
    world.talk(1, "negative")
    world.talk(1, "negative")  # the same day: the one typed later is the latest
    assert len(world.found("negative_streak")) == 1


# --- contract_notice -----------------------------------------------------------------------------------


def _contract(world, title: str, notice: str, *, ends: str | None = None, renewal: str | None = None) -> str:
    return world.make(
        "contract", client_id=world.client, title=title, notice_by=notice, ends=ends, renewal_status=renewal
    )


def test_a_notice_date_near_without_renewal_work_warns(world):
    soon = _contract(world, "Frame agreement", _in(30), ends=_in(120), renewal="to_review")
    edge = _contract(world, "Edge", _in(90))
    (first, second) = sorted(world.found("contract_notice"), key=lambda w: w.since)
    assert first.key == f"contract_notice:{soon}:{_in(30)}"
    assert first.title == "Notice for “Frame agreement” due in 30 days"
    assert "renewal is to review" in first.why and first.risk.category == "contractual"
    assert first.subject == ("contract", soon) and first.risk.impact == 5
    assert second.key == f"contract_notice:{edge}:{_in(90)}" and "renewal is not set" in second.why


def test_a_notice_date_passed_warns_while_the_contract_runs(world):
    running = _contract(world, "Running", _ago(10), ends=_in(60), renewal="not_due")
    no_end = _contract(world, "No end date", _ago(30))
    _contract(world, "Ended", _ago(100), ends=_ago(1))
    _contract(world, "Long past, no end date", _ago(91))
    found = {w.subject[1]: w for w in world.found("contract_notice")}
    assert set(found) == {running, no_end}
    assert found[running].title == "Notice date for “Running” passed"
    assert found[running].risk.likelihood == 4


def test_contracts_far_off_or_being_renewed_do_not_warn(world):
    _contract(world, "Far off", _in(91))
    world.make("contract", client_id=world.client, title="Undated")
    for renewal in ("negotiating", "renewed", "ending"):
        _contract(world, renewal, _in(10), renewal=renewal)
    assert world.found("contract_notice") == []


# --- competitor_tie ------------------------------------------------------------------------------------


def test_a_decision_maker_tied_to_a_competitor_warns(world):
    ingrid, _ = world.person("Ingrid Dahl", title="CFO", buying_role="decision_maker", stance="supporter")
    rival = world.make("competitor", name="Nordkyst Services")
    tie = world.make("competitor_tie", competitor_id=rival, contact_id=ingrid, tie="worked_there")
    (warning,) = world.found("competitor_tie")
    assert warning.key == f"competitor_tie:{tie}:{world.client}"
    assert warning.title == "Decision maker Ingrid Dahl worked at Nordkyst Services"
    assert warning.risk.competitor_id == rival and warning.risk.contact_ids == (ingrid,)
    assert (warning.risk.category, warning.risk.likelihood) == ("competitive", 3)
    assert warning.subject == ("competitor_tie", tie)


def test_a_tie_of_someone_who_does_not_decide_or_no_longer_does_is_quiet(world):
    rival = world.make("competitor", name="Nordkyst Services")
    user, _ = world.person("Sven Berg", buying_role="user")
    gone, _ = world.person("Old Boss", buying_role="decision_maker", ended=_ago(40))
    world.person("New Boss", buying_role="decision_maker")  # decides, but has no tie
    for person in (user, gone):
        world.make("competitor_tie", competitor_id=rival, contact_id=person, tie="champion")
    assert world.found("competitor_tie") == []


# --- keys, filters, order ------------------------------------------------------------------------------


def _busy(world) -> None:
    """One situation for every rule at the client."""
    ingrid, _ = world.person("Ingrid Dahl", every=30, buying_role="decision_maker", stance="neutral")
    world.person("Per Lunde", buying_role="champion", ended=_ago(20))
    world.talk(50, "negative", ingrid)
    world.talk(45, "negative", ingrid)
    _contract(world, "Frame agreement", _in(30))
    rival = world.make("competitor", name="Nordkyst Services")
    world.make("competitor_tie", competitor_id=rival, contact_id=ingrid, tie="relative_there")


def test_keys_are_the_same_on_another_laptop(world, tmp_path, empty_workspace_file):
    import shutil

    from companion.core.service import Workspace

    _busy(world)
    here = world.pending()
    assert {k.split(":")[0] for k in here} == {
        "champion_left", "no_supporter", "dm_overdue", "negative_streak", "contract_notice", "competitor_tie",
    }  # fmt: skip
    path = tmp_path / "other.sqlite"
    shutil.copyfile(empty_workspace_file, path)
    other = Workspace.open(path)
    try:
        other.import_records(records=world.ws.export_records())
        assert {w.key for w in ew.warnings(other, today=TODAY)} == here
    finally:
        other.close()


def test_one_client_s_warnings_and_the_weightiest_first(world):
    _busy(world)
    aurora = world.make("client", name="Aurora Retail")
    world.person("Luiza Prado", client=aurora, buying_role="decision_maker", stance="opponent")
    everyone = world.found()
    scores = [w.risk.score for w in everyone]
    assert scores == sorted(scores, reverse=True)
    assert {w.client_name for w in everyone} == {"Halvorsen Offshore", "Aurora Retail"}
    mine = world.found(client_id=world.client)
    assert {w.key for w in mine} == {w.key for w in everyone if w.client_id == world.client}
    assert [w.key for w in world.found(client_id=aurora)] == [f"no_supporter:{aurora}"]


def test_keys_are_read_back_and_refused_when_malformed():
    assert ew.parse_key("dm_overdue:ABC:never") == ("dm_overdue", "abc", "never")
    assert ew.parse_key("no_supporter:abc") == ("no_supporter", "abc", None)
    for bad in ("", "weather:abc", "no_supporter:", "nonsense"):
        with pytest.raises(ValidationError):
            ew.parse_key(bad)


# --- accepting and dismissing ---------------------------------------------------------------------------


def test_accepting_makes_a_risk_and_its_decision_in_one_undoable_change(world):
    ingrid, held = world.person("Ingrid Dahl", buying_role="champion", ended=_ago(30))
    key = f"champion_left:{held}"
    changes = ew.accept(world.ws, key, today=TODAY)
    assert changes.label == "Accept early warning"
    assert [(c.op, c.kind) for c in changes.changes] == [("create", "risk"), ("create", "warning_decision")]
    (risk,) = world.ws.list(kind="risk")
    assert risk["warning"] == key and risk["status"] == "open" and risk["client_id"] == world.client
    assert (risk["category"], risk["likelihood"], risk["impact"]) == ("relationship", 4, 4)
    assert risk["contact_ids"] == [ingrid] and risk["owner_id"] == world.mira
    assert risk["next_review"] == _in(ew.REVIEW_AFTER_DAYS) and "Ingrid Dahl" in risk["title"]
    (decision,) = world.ws.list(kind="warning_decision")
    assert (decision["warning"], decision["decision"], decision["risk_id"]) == (key, "accepted", risk.id)
    assert key not in world.pending()
    with pytest.raises(NotFoundError, match="accepted as a risk already"):
        ew.accept(world.ws, key, today=TODAY)
    # Undo takes both away in one step, and the proposal is back.
    world.ws.undo(changes=changes)
    assert world.ws.list(kind="risk") == [] and world.ws.list(kind="warning_decision") == []
    assert key in world.pending()


def test_a_dismissal_is_remembered_and_undone(world):
    world.person("Ingrid Dahl", buying_role="decision_maker", stance="sceptic")
    key = f"no_supporter:{world.client}"
    changes = ew.dismiss(world.ws, key, today=TODAY)
    assert changes.label == "Dismiss early warning" and len(changes.changes) == 1
    (decision,) = world.ws.list(kind="warning_decision")
    assert (decision["warning"], decision["decision"], decision["risk_id"]) == (key, "dismissed", None)
    assert world.found() == []
    # Still dismissed later, and on a busier day: never proposed again.
    world.person("Per Lunde", buying_role="economic_buyer", stance="opponent")
    assert key not in {w.key for w in ew.warnings(world.ws, today=TODAY + dt.timedelta(days=200))}
    with pytest.raises(NotFoundError, match="dismissed already"):
        ew.dismiss(world.ws, key, today=TODAY)
    world.ws.undo(changes=changes)
    assert key in world.pending()


def test_a_risk_raised_by_a_warning_on_another_laptop_settles_it_here(world):
    world.person("Ingrid Dahl", buying_role="decision_maker", stance="sceptic")
    key = f"no_supporter:{world.client}"
    world.make("risk", client_id=world.client, title="Nobody backs us", status="watching", warning=key)
    assert key not in world.pending()


def test_accepting_what_is_not_proposed_is_refused(world):
    world.person("Happy Boss", buying_role="decision_maker", stance="champion")
    with pytest.raises(NotFoundError, match="what raised it has changed"):
        ew.accept(world.ws, f"no_supporter:{world.client}", today=TODAY)
    with pytest.raises(NotFoundError, match="what it was about is gone"):
        ew.dismiss(world.ws, "champion_left:0190c7e5-0000-7000-8000-000000000000", today=TODAY)
    with pytest.raises(ValidationError):
        ew.accept(world.ws, "weather:today", today=TODAY)
    assert world.ws.list(kind="risk") == [] and world.ws.list(kind="warning_decision") == []


def test_a_risk_names_only_people_who_still_exist(world):
    ingrid, _ = world.person("Ingrid Dahl")
    gone = world.make("contact", name="Gone Person")
    world.talk(9, "negative", ingrid, gone)
    world.talk(4, "negative", gone)
    world.ws.delete(kind="contact", id=gone)
    (warning,) = world.found("negative_streak")
    assert warning.risk.contact_ids == (ingrid,)
    ew.accept(world.ws, warning.key, today=TODAY)
    assert world.ws.list(kind="risk")[0]["contact_ids"] == [ingrid]


def test_the_visit_rhythm_is_due_every_days_after_the_last_contact():
    assert ew.visit_due(30, None, TODAY) == TODAY
    assert ew.visit_due(30, "2026-11-01", TODAY) == dt.date(2026, 12, 1)
    assert ew.rhythm_phrase(30, None, TODAY) == "never contacted, every 30 days"
    assert ew.rhythm_phrase(30, "2026-11-01", TODAY) == "last contact 31 days ago, every 30 (1 day overdue)"
