"""Everything the client page shows, gathered in one read: the client, its people, culture, sites, activity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.changes import Record
from companion.core.checklist import readiness
from companion.core.people import Person, people_at

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace


@dataclass(frozen=True)
class ClientPage:
    client: Record
    people: tuple[Person, ...]
    sub_groups: tuple[Record, ...]
    sites: tuple[Record, ...]
    guidelines: tuple[Record, ...]
    notes: tuple[Record, ...]
    interactions: tuple[Record, ...]  # newest first
    follow_ups: dict[str, tuple[Record, ...]]  # by interaction id
    names: dict[str, str]  # id → display name for contacts, colleagues, sites, sub-groups
    meetings: tuple[tuple[Record, int], ...] = ()  # (meeting, % of its checklist ticked), latest first

    def name(self, record_id: str | None) -> str:
        return self.names.get(record_id or "", "")


def load_client_page(workspace: Workspace, *, client_id: str) -> ClientPage:
    client = workspace.get(kind="client", id=client_id)
    people = people_at(workspace, client_id=client_id)
    sub_groups = workspace.list(kind="sub_group", where={"client_id": client_id})
    sites = workspace.list(kind="site", where={"client_id": client_id})
    guidelines = workspace.list(kind="guideline", where={"client_id": client_id})
    interactions = sorted(
        workspace.list(kind="interaction", where={"client_id": client_id}),
        key=lambda r: (str(r["date"]), r.created_at),
        reverse=True,
    )
    follow_ups: dict[str, list[Record]] = {}
    for interaction in interactions:
        items = workspace.list(kind="follow_up", where={"interaction_id": interaction.id})
        if items:
            follow_ups[interaction.id] = sorted(items, key=lambda r: str(r["due"] or "9999"))
    contact_ids = {str(p.contact.id) for p in people}
    notes = list(workspace.list(kind="note", where={"client_id": client_id}))
    for site in sites:
        notes += workspace.list(kind="note", where={"site_id": site.id})
    for contact_id in contact_ids:
        notes += workspace.list(kind="note", where={"contact_id": contact_id})
    notes.sort(key=lambda r: r.updated_at, reverse=True)

    names: dict[str, str] = {}
    for person in people:
        names[person.contact.id] = person.name
    for record in (*sub_groups, *sites):
        names[record.id] = str(record["name"])
    mentioned = {str(i) for r in interactions for i in (r["contact_ids"] or []) if i not in names}
    mentioned |= {
        str(g["contact_id"]) for g in guidelines if g["contact_id"] and g["contact_id"] not in names
    }
    for record_id, record in workspace.get_many(kind="contact", ids=sorted(mentioned)).items():
        names[record_id] = str(record["name"])
    owners = {str(client["owner_id"])} if client["owner_id"] else set()
    owners |= {str(p.contact["owner_id"]) for p in people if p.contact["owner_id"]}
    for record_id, record in workspace.get_many(kind="colleague", ids=sorted(owners)).items():
        names[record_id] = str(record["name"])
    meetings = sorted(
        workspace.list(kind="meeting", where={"client_id": client_id}),
        key=lambda m: str(m["starts_at"]),
        reverse=True,
    )
    items: dict[str, list[Record]] = {}
    for item in workspace.list(kind="meeting_checklist_item", where={"meeting_id": [m.id for m in meetings]}):
        items.setdefault(str(item["meeting_id"]), []).append(item)
    return ClientPage(
        meetings=tuple((m, readiness(items.get(m.id, ())).percent) for m in meetings),
        client=client,
        people=tuple(people),
        sub_groups=tuple(sub_groups),
        sites=tuple(sites),
        guidelines=tuple(guidelines),
        notes=tuple(notes),
        interactions=tuple(interactions),
        follow_ups={k: tuple(v) for k, v in follow_ups.items()},
        names=names,
    )
