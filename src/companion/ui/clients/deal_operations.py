"""The Deals section's read on the database thread: a client's pipeline, whitespace and each deal's details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the page is built before the services are loaded
    from companion.core.changes import Record
    from companion.core.opportunities import Pipeline, QualificationRow
    from companion.core.whitespace import Whitespace


@dataclass(frozen=True)
class DealDetail:
    """One deal as its panel shows it: the record, its MEDDPICC rows, the people, actions and risks."""

    opportunity: Record
    qualification: tuple[QualificationRow, ...]
    people: tuple[Record, ...]  # opportunity_contact
    actions: tuple[Record, ...]
    risks: tuple[Record, ...]


@dataclass(frozen=True)
class DealsSection:
    """A client's deals: the pipeline by stage, the whitespace grid, every deal's details, and the choices
    a deal's forms offer (propositions, campaigns, competitors, the client's people and sub-groups), read
    with them so they never wait for the rest of the page."""

    client_id: str
    pipeline: Pipeline
    whitespace: Whitespace
    deals: dict[str, DealDetail]
    propositions: tuple[tuple[str, str], ...]
    campaigns: tuple[tuple[str, str], ...]
    competitors: tuple[tuple[str, str], ...]
    people: tuple[tuple[str, str], ...] = ()  # who works at the client now: (contact id, name)
    sub_groups: tuple[tuple[str, str], ...] = ()
    names: dict[str, str] = field(default_factory=dict)  # people and colleagues named by the deals

    def name(self, record_id: object) -> str:
        return self.names.get(str(record_id or ""), "")


def deals_section(ws, *, client_id: str, today: dt.date | None = None) -> DealsSection:
    """Everything the Deals section shows of one client, in one read."""
    from companion.core.opportunities import names_of, pipeline, qualification_rows_of
    from companion.core.people import people_at
    from companion.core.whitespace import grid

    ws.get(kind="client", id=client_id)  # a client that is gone says so (NotFoundError)
    board = pipeline(ws, client_id=client_id, today=today)
    ids = [row.id for row in board.rows]
    by_deal: dict[str, dict[str, list]] = {
        i: {"opportunity_contact": [], "action": [], "risk": []} for i in ids
    }
    if ids:
        for kind in by_deal[ids[0]]:
            for record in ws.list(kind=kind, where={"opportunity_id": ids}):
                by_deal[str(record["opportunity_id"])][kind].append(record)
    deals = {
        record.id: DealDetail(
            opportunity=record,
            qualification=tuple(qualification_rows_of(record)),
            people=tuple(by_deal[record.id]["opportunity_contact"]),
            actions=tuple(sorted(by_deal[record.id]["action"], key=_action_order)),
            risks=tuple(by_deal[record.id]["risk"]),
        )
        for record in (ws.list(kind="opportunity", where={"id": ids}) if ids else [])
    }
    contact_ids = {str(p["contact_id"]) for d in deals.values() for p in d.people}
    contact_ids |= {str(a["contact_id"]) for d in deals.values() for a in d.actions if a["contact_id"]}
    contact_ids |= {str(row[4]) for d in deals.values() for row in d.qualification if row[4]}
    names = {
        **dict(ws.columns(kind="colleague", fields=("id", "name"), ordered=False)),
        **names_of(ws, sorted(contact_ids)),
    }
    propositions = tuple(
        (p_id, title if status == "approved" else f"{title} ({status})")
        for p_id, title, status in ws.columns(kind="proposition", fields=("id", "title", "status"))
    )
    return DealsSection(
        client_id=client_id,
        pipeline=board,
        whitespace=grid(ws, client_id),
        deals=deals,
        propositions=propositions,
        campaigns=tuple(tuple(r) for r in ws.columns(kind="campaign", fields=("id", "name"))),
        competitors=tuple(tuple(r) for r in ws.columns(kind="competitor", fields=("id", "name"))),
        people=tuple(
            dict.fromkeys(
                (p.contact.id, p.name) for p in people_at(ws, client_id=client_id, include_past=False)
            )
        ),
        sub_groups=tuple(
            (g.id, str(g["name"])) for g in ws.list(kind="sub_group", where={"client_id": client_id})
        ),
        names={str(k): str(v) for k, v in names.items()},
    )


def _action_order(action: Record) -> tuple:
    """Open ones first, by due date (none last)."""
    return (bool(action["done"]), action["due"] is None, str(action["due"] or ""), str(action["text"]))
