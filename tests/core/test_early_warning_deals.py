"""Early warnings from deals: each qualification gap of an open deal is a warning keyed by the situation;
accepting makes a risk of the deal in one undoable change; a dismissal is remembered; home lists them."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core import early_warning as ew
from companion.core.attention import attention
from companion.core.opportunities import CHAMPION_SILENT_DAYS
from companion.model.errors import NotFoundError

TODAY = dt.date(2026, 12, 2)


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


class World:
    """A colleague, her active client and its supportive CFO (so the client-wide rules stay quiet)."""

    def __init__(self, ws):
        self.ws = ws
        self.mira = self.make("colleague", name="Mira Tan")
        self.client = self.make("client", name="Halvorsen Offshore", status="active", owner_id=self.mira)
        self.ingrid = self.person(
            "Ingrid Dahl", title="CFO", buying_role="economic_buyer", stance="supporter"
        )
        self.talk(10, self.ingrid)

    def make(self, kind: str, **values) -> str:
        return self.ws.create(kind=kind, values=values).created_id

    def person(self, name: str, **position) -> str:
        contact = self.make("contact", name=name)
        self.make("position", contact_id=contact, client_id=self.client, **position)
        return contact

    def talk(self, days_ago: int, *people: str) -> str:
        return self.make("interaction", client_id=self.client, date=_ago(days_ago), channel="call",
                         contact_ids=list(people))  # fmt: skip

    def deal(self, **values) -> str:
        values = {"stage": "negotiating", "value": 1_250_000, "currency": "NOK",
                  "decision_process_status": "partial", **values}  # fmt: skip
        return self.make("opportunity", client_id=self.client, title="Subsea pilot", **values)

    def found(self, rule: str | None = None, **kwargs) -> list[ew.EarlyWarning]:
        return [w for w in ew.warnings(self.ws, today=TODAY, **kwargs) if rule is None or w.rule == rule]


@pytest.fixture
def world(workspace) -> World:
    return World(workspace)


def test_a_deal_without_an_economic_buyer_warns(world):
    deal = world.deal()
    (warning,) = world.found()
    assert warning.rule == "deal_no_economic_buyer" and warning.key == f"deal_no_economic_buyer:{deal}"
    assert warning.title == "No economic buyer for “Subsea pilot”"
    assert warning.why == (
        "No economic buyer is named for “Subsea pilot”: find out who signs off the budget. "
        "Negotiating, 1,250,000 NOK, at Halvorsen Offshore."
    )
    assert warning.subject == ("opportunity", deal) and warning.since == TODAY.isoformat()
    assert (warning.risk.category, warning.risk.opportunity_id) == ("commercial", deal)
    world.ws.update(kind="opportunity", id=deal, values={"economic_buyer_id": world.ingrid})
    assert world.found() == []


def test_an_economic_buyer_against_us_warns_per_buyer(world):
    per = world.person("Per Lunde", stance="opponent")
    world.talk(5, per)
    deal = world.deal(economic_buyer_id=per, expected_close="2027-01-15")
    (warning,) = world.found()
    assert warning.key == f"deal_economic_buyer_against:{deal}:{per}"
    assert warning.title == "Economic buyer Per Lunde is against “Subsea pilot”"
    assert warning.risk.contact_ids == (per,) and warning.risk.category == "relationship"
    assert warning.risk.trigger == "Per Lunde turns “Subsea pilot” down before Fri 15 Jan 2027"
    ew.dismiss(world.ws, warning.key, today=TODAY)
    assert world.found() == []
    # Another buyer against us is another situation.
    kari = world.person("Kari Moen", stance="sceptic")
    world.ws.update(kind="opportunity", id=deal, values={"economic_buyer_id": kari})
    assert [w.key for w in world.found()] == [f"deal_economic_buyer_against:{deal}:{kari}"]


def test_a_silent_champion_warns_once_per_lapse(world):
    ola = world.person("Ola Berg", stance="champion")
    deal = world.deal(economic_buyer_id=world.ingrid, champion_id=ola)
    (never,) = world.found()
    assert never.key == f"deal_champion_silent:{deal}:{ola}:never"
    assert never.title == "Champion Ola Berg of “Subsea pilot” has gone quiet"
    world.talk(CHAMPION_SILENT_DAYS + 5, ola)
    (lapse,) = world.found()
    began = (TODAY - dt.timedelta(days=5)).isoformat()
    assert lapse.key == f"deal_champion_silent:{deal}:{ola}:{began}" and lapse.since == began
    ew.dismiss(world.ws, lapse.key, today=TODAY)
    assert world.found() == []
    world.talk(CHAMPION_SILENT_DAYS - 1, ola)
    assert world.found() == []


def test_an_unknown_decision_process_with_a_buyer_never_met_warns(world):
    world.person("Ola Berg", title="COO", buying_role="decision_maker", stance="supporter")
    deal = world.deal(economic_buyer_id=world.ingrid, decision_process_status=None)
    (warning,) = world.found()
    assert warning.key == f"deal_process_unknown_unmet:{deal}"
    assert warning.title == "How Halvorsen Offshore decides on “Subsea pilot” is unknown"
    assert "Ola Berg (decision maker) has never been met" in warning.why


def test_closed_deals_and_former_clients_do_not_warn(world):
    world.deal(stage="lost", outcome_reason="Price.")
    assert world.found() == []
    deal = world.deal()
    assert [w.key for w in world.found()] == [f"deal_no_economic_buyer:{deal}"]
    world.ws.update(kind="client", id=world.client, values={"status": "former"})
    assert world.found() == []


def test_accepting_makes_a_risk_of_the_deal_in_one_undoable_change(world):
    per = world.person("Per Lunde", stance="sceptic")
    deal = world.deal(economic_buyer_id=per)
    key = f"deal_economic_buyer_against:{deal}:{per}"
    changes = ew.accept(world.ws, key, today=TODAY)
    assert [(c.op, c.kind) for c in changes.changes] == [("create", "risk"), ("create", "warning_decision")]
    (risk,) = world.ws.list(kind="risk")
    assert risk["opportunity_id"] == deal and risk["warning"] == key and risk["client_id"] == world.client
    assert (risk["category"], risk["likelihood"], risk["impact"]) == ("relationship", 4, 5)
    assert risk["contact_ids"] == [per] and risk["owner_id"] == world.mira and risk["status"] == "open"
    assert world.found() == []
    with pytest.raises(NotFoundError, match="accepted as a risk already"):
        ew.accept(world.ws, key, today=TODAY)
    world.ws.undo(changes=changes)
    assert world.ws.list(kind="risk") == [] and [w.key for w in world.found()] == [key]


def test_a_dismissal_is_remembered_and_undone(world):
    deal = world.deal()
    key = f"deal_no_economic_buyer:{deal}"
    changes = ew.dismiss(world.ws, key, today=TODAY)
    assert world.found() == [] and ew.warnings(world.ws, today=TODAY + dt.timedelta(days=100)) == []
    world.ws.undo(changes=changes)
    assert [w.key for w in world.found()] == [key]


def test_a_key_names_its_deal_and_a_deleted_deal_s_is_refused(world):
    deal = world.deal()
    key = f"deal_no_economic_buyer:{deal}"
    assert ew.parse_key(key) == ("deal_no_economic_buyer", deal, None)
    assert ew.find(world.ws, key, today=TODAY).client_id == world.client
    world.ws.delete(kind="opportunity", id=deal)
    with pytest.raises(NotFoundError, match="what it was about is gone"):
        ew.accept(world.ws, key, today=TODAY)


def test_home_lists_deal_warnings_for_the_client_and_opens_the_deal(world):
    deal = world.deal()
    found = attention(world.ws, today=TODAY)
    (item,) = found.group("early_warning").items
    assert item.record_id == f"deal_no_economic_buyer:{deal}" and item.target == ("opportunity", deal)
    assert item.headline == "No economic buyer for “Subsea pilot” — Halvorsen Offshore"
