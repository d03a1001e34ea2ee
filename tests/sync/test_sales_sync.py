"""The sales records go to the team whole: a proposition, its cohort and campaign, the campaign's targets
and the deal one became, with its people and actions, read the same on another laptop, and a deal's
move to lost with its reason comes back."""

from __future__ import annotations

SALES_KINDS = ("proposition", "cohort", "campaign", "opportunity", "opportunity_contact", "campaign_target")


def _write_sales(ws) -> dict[str, str]:
    client = ws.create(kind="client", values={"name": "Halvorsen Offshore", "tags": ["offshore"]}).created_id
    person = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    ws.create(kind="position", values={"contact_id": person, "client_id": client, "buying_role": "sponsor"})
    unit = ws.create(
        kind="sub_group", values={"client_id": client, "name": "Subsea", "function": "production"}
    ).created_id
    proposition = ws.create(
        kind="proposition",
        values={"title": "Predictive maintenance", "status": "approved", "fit_roles": ["sponsor"],
                "fit_functions": ["production"], "ready_it": "blocked", "ready_it_note": "Needs SSO"},
    ).created_id  # fmt: skip
    cohort = ws.create(kind="cohort", values={"name": "Offshore", "tags": ["offshore"]}).created_id
    campaign = ws.create(
        kind="campaign",
        values={
            "name": "Winter push",
            "proposition_id": proposition,
            "cohort_id": cohort,
            "status": "running",
        },
    ).created_id
    deal = ws.create(
        kind="opportunity",
        values={"client_id": client, "title": "Subsea pilot", "stage": "negotiating", "value": 1_250_000,
                "currency": "nok", "sub_group_id": unit, "proposition_id": proposition, "campaign_id": campaign,
                "economic_buyer_id": person, "economic_buyer_status": "confirmed", "pain_note": "Downtime"},
    ).created_id  # fmt: skip
    ws.create(
        kind="opportunity_contact", values={"opportunity_id": deal, "contact_id": person, "role": "sponsor"}
    )
    ws.create(kind="action", values={"opportunity_id": deal, "text": "Send the pilot plan"})
    ws.create(
        kind="campaign_target",
        values={"campaign_id": campaign, "client_id": client, "contact_id": person, "status": "opportunity",
                "opportunity_id": deal, "rank": 1, "approach": "By phone; not on Mondays"},
    )  # fmt: skip
    return {"client": client, "deal": deal}


def _shape(ws) -> dict[str, list]:
    return {
        kind: sorted((r.id, sorted(r.values.items(), key=lambda kv: kv[0])) for r in ws.list(kind=kind))
        for kind in (*SALES_KINDS, "action", "sub_group")
    }


def test_sales_records_written_on_one_laptop_read_the_same_on_another(laptops):
    mira, jonas = laptops("mira"), laptops("jonas")
    ids = _write_sales(mira.ws)
    mira.sync()
    jonas.sync()
    assert _shape(jonas.ws) == _shape(mira.ws)
    deal = jonas.ws.get(kind="opportunity", id=ids["deal"])
    assert (deal["value"], deal["currency"]) == (1_250_000.0, "NOK")

    # The other laptop closes the deal as lost, with its reason; it comes back whole.
    jonas.ws.update(kind="opportunity", id=ids["deal"], values={"stage": "lost", "outcome_reason": "Price"})
    jonas.sync()
    mira.sync()
    back = mira.ws.get(kind="opportunity", id=ids["deal"])
    assert (back["stage"], back["outcome_reason"]) == ("lost", "Price")
