"""An account plan goes to the team whole: plans, their parts, risks, contracts and competitors reach
another laptop, the server checks their numbers and codes, and an early-warning decision travels too."""

from __future__ import annotations

from companion.core.account_plan import load_plan_section
from tests.core.plan_records import write_plan


def _client(ws) -> str:
    client = ws.create(kind="client", values={"name": "Halvorsen Offshore"}).created_id
    person = ws.create(kind="contact", values={"name": "Ingrid Dahl"}).created_id
    ws.create(kind="position", values={"contact_id": person, "client_id": client, "title": "CFO"})
    return client


def _shape(section):
    return (
        section.plan["title"],
        {q: sorted(str(i["text"]) for i in items) for q, items in section.swot.items()},
        [(o.objective["title"], [(m.measure["name"], [r["value"] for r in m.readings]) for m in o.measures])
         for o in section.objectives],
        sorted(str(a["text"]) for a in section.actions),
        [(r["title"], r["likelihood"], r["impact"]) for r in section.risks],
        [(c["title"], c["value"], c["currency"]) for c in section.contracts],
        [(c["name"], p["footprint"]) for p, c in section.presences],
        [(t["tie"], c["name"]) for t, c in section.ties],
    )  # fmt: skip


def test_a_plan_written_on_one_laptop_reads_the_same_on_another(laptops):
    mira, jonas = laptops("mira"), laptops("jonas")
    client = _client(mira.ws)
    write_plan(mira.ws, client_id=client, objectives=3, readings=9, actions=6, risks=5)
    mira.sync()
    jonas.sync()
    here = load_plan_section(mira.ws, client_id=client)
    there = load_plan_section(jonas.ws, client_id=client)
    assert _shape(there) == _shape(here)
    assert there.risks and there.contracts[0]["value"] == 1_250_000.0

    # An edit on the other laptop comes back: a reading's value, a contract's currency.
    reading = there.objectives[0].measures[0].readings[0]
    jonas.ws.update(kind="measure_reading", id=reading.id, values={"value": 13.25})
    jonas.ws.update(kind="contract", id=there.contracts[0].id, values={"currency": "nok"})
    jonas.sync()
    mira.sync()
    assert mira.ws.get(kind="measure_reading", id=reading.id)["value"] == 13.25
    assert mira.ws.get(kind="contract", id=there.contracts[0].id)["currency"] == "NOK"
