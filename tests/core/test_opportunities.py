"""Deals: each qualification gap appears on its situation from the people data and not on the near-miss;
the pipeline lists every stage with its value by currency; the MEDDPICC rows come in order."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.core import opportunities as opp
from companion.model.kinds import MEDDPICC, OPPORTUNITY_STAGES
from tests.core.deal_records import write_deals

TODAY = dt.date(2026, 12, 2)


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


class Deals:
    """A client, its people and deals; helpers to read the gaps."""

    def __init__(self, ws):
        self.ws = ws
        self.client = self.make("client", name="Halvorsen Offshore", status="active")

    def make(self, kind: str, **values) -> str:
        return self.ws.create(kind=kind, values=values).created_id

    def person(self, name: str, *, client: str | None = None, **position) -> str:
        contact = self.make("contact", name=name)
        self.make("position", contact_id=contact, client_id=client or self.client, **position)
        return contact

    def deal(self, title: str = "Subsea pilot", *, client: str | None = None, **values) -> str:
        values = {"stage": "negotiating", **values}
        return self.make("opportunity", client_id=client or self.client, title=title, **values)

    def talk(self, days_ago: int, *people: str) -> str:
        return self.make("interaction", client_id=self.client, date=_ago(days_ago), channel="call",
                         contact_ids=list(people))  # fmt: skip

    def gaps(self, deal: str, **kwargs) -> dict[str, opp.Gap]:
        found = opp.qualification_gaps(self.ws, today=TODAY, **kwargs).get(deal, [])
        return {g.key: g for g in found}


@pytest.fixture
def deals(workspace) -> Deals:
    return Deals(workspace)


def test_no_economic_buyer_named(deals):
    deal = deals.deal(decision_process_status="confirmed")
    gap = deals.gaps(deal)["no_economic_buyer"]
    assert gap.text == "No economic buyer is named for “Subsea pilot”: find out who signs off the budget."
    assert gap.contact_id is None and gap.opportunity_id == deal
    ingrid = deals.person("Ingrid Dahl", stance="supporter")
    deals.ws.update(kind="opportunity", id=deal, values={"economic_buyer_id": ingrid})
    assert deals.gaps(deal) == {}


def test_economic_buyer_who_is_a_sceptic_at_the_client(deals):
    ingrid = deals.person("Ingrid Dahl", title="CFO", stance="sceptic")
    deal = deals.deal(economic_buyer_id=ingrid, decision_process_status="partial")
    gap = deals.gaps(deal)["economic_buyer_against"]
    assert gap.contact_id == ingrid
    assert gap.text.startswith("Ingrid Dahl, the economic buyer of “Subsea pilot”, is a sceptic:")
    # Her stance at another client does not count: only her position at the deal's client.
    other = deals.make("client", name="Nordlys Shipping")
    far = deals.deal("Far deal", client=other, economic_buyer_id=ingrid, decision_process_status="partial")
    assert "economic_buyer_against" not in deals.gaps(far)


def test_economic_buyer_against_by_the_deals_own_support(deals):
    ingrid = deals.person("Ingrid Dahl", stance="supporter")
    deal = deals.deal(economic_buyer_id=ingrid, decision_process_status="partial")
    assert deals.gaps(deal) == {}
    link = deals.make("opportunity_contact", opportunity_id=deal, contact_id=ingrid, support="opponent")
    assert "is an opponent" in deals.gaps(deal)["economic_buyer_against"].text
    # The deal's own word wins over her stance at the client, both ways.
    deals.ws.update(kind="opportunity_contact", id=link, values={"support": "neutral"})
    deals.ws.update(kind="position", id=deals.ws.list(kind="position")[0].id, values={"stance": "opponent"})
    assert deals.gaps(deal) == {}


def test_champion_not_contacted_lately(deals):
    ingrid = deals.person("Ingrid Dahl", stance="supporter")
    per = deals.person("Per Lunde", stance="champion")
    deal = deals.deal(economic_buyer_id=ingrid, champion_id=per, decision_process_status="partial")
    gap = deals.gaps(deal)["champion_silent"]
    assert gap.contact_id == per
    assert gap.text.startswith("Per Lunde, the champion of “Subsea pilot”, has never been contacted:")
    deals.talk(opp.CHAMPION_SILENT_DAYS + 1, per)
    assert (
        f"was last contacted {opp.CHAMPION_SILENT_DAYS + 1} days ago"
        in deals.gaps(deal)["champion_silent"].text
    )
    deals.talk(opp.CHAMPION_SILENT_DAYS, per, ingrid)
    assert deals.gaps(deal) == {}


def test_decision_process_unknown_and_a_buyer_never_met(deals):
    ingrid = deals.person("Ingrid Dahl", stance="supporter")
    ola = deals.person("Ola Berg", buying_role="decision_maker", influence=5)
    kari = deals.person("Kari Moen", buying_role="user", influence=2)
    deals.person("Left Long Ago", buying_role="decision_maker", ended="2020-01-01", started="2019-01-01")
    deals.person("No Role")
    deal = deals.deal(economic_buyer_id=ingrid)
    gap = deals.gaps(deal)["process_unknown_unmet"]
    assert gap.contact_id == ola
    assert gap.text == (
        "The decision process of “Subsea pilot” is unknown and Ola Berg (decision maker) (and 1 more with "
        "a buying role) has never been met: meet them to learn how the decision is taken."
    )
    deals.talk(400, ola)  # met once, long ago, is met
    gap = deals.gaps(deal)["process_unknown_unmet"]
    assert gap.contact_id == kari and "(and" not in gap.text
    deals.ws.update(kind="opportunity", id=deal, values={"decision_process_status": "unknown"})
    assert "process_unknown_unmet" in deals.gaps(deal)
    deals.ws.update(kind="opportunity", id=deal, values={"decision_process_status": "partial"})
    assert deals.gaps(deal) == {}


def test_closed_deals_have_no_gaps_and_filters_narrow(deals):
    open_deal = deals.deal()
    won = deals.deal("Won it", stage="won", outcome_reason="Best references.")
    other = deals.make("client", name="Nordlys Shipping")
    elsewhere = deals.deal("Elsewhere", client=other)
    everything = opp.qualification_gaps(deals.ws, today=TODAY)
    assert set(everything) == {open_deal, elsewhere} and won not in everything
    assert set(opp.qualification_gaps(deals.ws, client_id=other, today=TODAY)) == {elsewhere}
    assert set(opp.qualification_gaps(deals.ws, opportunity_ids=[open_deal, won], today=TODAY)) == {open_deal}
    assert opp.qualification_gaps(deals.ws, opportunity_ids=[], today=TODAY) == {}


def test_pipeline_has_every_stage_with_totals_by_currency(deals, workspace):
    ids = write_deals(workspace, client_id=deals.client, deals=9, today=TODAY)
    pipeline = opp.pipeline(workspace, client_id=deals.client, today=TODAY)
    assert [s.name for s in pipeline.stages] == list(OPPORTUNITY_STAGES)
    assert sorted(r.id for r in pipeline.rows) == sorted(ids)
    idea = pipeline.stage("idea")
    # Deals 1 and 8 are ideas: 50,000 NOK and 400,000 EUR.
    assert idea.totals == {"NOK": 50_000.0, "EUR": 400_000.0}
    assert opp.totals_words(idea.totals) == "400,000 EUR + 50,000 NOK"
    assert [r.client_name for r in idea.rows] == ["Halvorsen Offshore"] * 2
    assert all(not r.gaps for r in pipeline.stage("won").rows)
    assert all(r.gaps for s in pipeline.stages if s.name in ("idea", "qualifying") for r in s.rows)
    first = next(r for r in pipeline.rows if r.id == ids[0])
    assert first.confirmed == 2  # statuses cycle unknown, partial, confirmed: the 3rd and 6th criteria
    assert opp.pipeline(workspace, today=TODAY).rows == pipeline.rows  # workspace-wide holds the same here


def test_pipeline_of_a_client_without_deals_lists_empty_stages(deals):
    pipeline = opp.pipeline(deals.ws, client_id=deals.client, today=TODAY)
    assert len(pipeline.stages) == len(OPPORTUNITY_STAGES)
    assert all(not s.rows and s.totals == {} for s in pipeline.stages)


def test_qualification_rows_in_meddpicc_order(deals):
    ingrid = deals.person("Ingrid Dahl")
    deal = deals.deal(economic_buyer_id=ingrid, economic_buyer_status="confirmed", metrics_note="Uptime +4%")
    rows = opp.qualification_rows(deals.ws, deal)
    assert [r[0] for r in rows] == [key for key, _label in MEDDPICC]
    assert rows[0] == ("metrics", "Metrics", None, "Uptime +4%", None)
    assert rows[1] == ("economic_buyer", "Economic buyer", "confirmed", None, ingrid)


def test_the_unmet_person_named_is_the_same_on_every_laptop(deals):
    deals.person("Ola Berg", buying_role="user", influence=3)
    deals.person("Anne Aas", buying_role="user", influence=3)
    deal = deals.deal()
    gap = deals.gaps(deal)["process_unknown_unmet"]
    assert "Anne Aas (user) (and 1 more with a buying role)" in gap.text
