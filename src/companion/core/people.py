"""The people at a client: each person with their role there, their other roles, and their last contact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.changes import Edit, Record

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace


@dataclass(frozen=True)
class Person:
    """One position at a client together with the person holding it: a box on the org chart."""

    position: Record
    contact: Record
    last_contact: str | None

    @property
    def name(self) -> str:
        return str(self.contact["name"])

    @property
    def current(self) -> bool:
        return self.position["ended"] is None


def people_at(workspace: Workspace, *, client_id: str, include_past: bool = True) -> list[Person]:
    """Everyone who holds (or held) a position at the client, current ones first, by name."""
    positions = workspace.list(kind="position", where={"client_id": client_id})
    if not include_past:
        positions = [p for p in positions if p["ended"] is None]
    contacts = workspace.get_many(kind="contact", ids=list({str(p["contact_id"]) for p in positions}))
    last = workspace.last_contact_dates(contact_ids=list(contacts))
    people = [
        Person(p, contacts[str(p["contact_id"])], last.get(str(p["contact_id"])))
        for p in positions
        if str(p["contact_id"]) in contacts and contacts[str(p["contact_id"])].deleted_at is None
    ]
    people.sort(key=lambda person: (not person.current, person.name.casefold()))
    return people


@dataclass(frozen=True)
class Tie:
    """A relationship of a person's with someone else, seen from that person."""

    relationship: Record
    other_id: str
    other_name: str
    outgoing: bool  # the person is its `from` side ("mentor to …"), else its `to` side ("mentored by …")


@dataclass(frozen=True)
class Career:
    """A person's positions everywhere, each with its client's name, current ones first, and their
    relationships with other people, by the other's name."""

    contact: Record
    positions: tuple[tuple[Record, str], ...]
    last_contact: str | None
    ties: tuple[Tie, ...] = ()


def career_of(workspace: Workspace, *, contact_id: str) -> Career:
    contact = workspace.get(kind="contact", id=contact_id)
    positions = workspace.list(kind="position", where={"contact_id": contact_id})
    clients = workspace.get_many(kind="client", ids=list({str(p["client_id"]) for p in positions}))
    last = workspace.last_contact_dates(contact_ids=[contact_id]).get(contact_id)
    ordered = sorted(
        positions, key=lambda p: (p["ended"] is not None, str(p["started"] or "")), reverse=False
    )
    named = tuple(
        (p, str(clients[str(p["client_id"])]["name"])) for p in ordered if str(p["client_id"]) in clients
    )
    return Career(contact, named, last, ties_of(workspace, contact_id=contact_id))


# How a relationship reads from each side: (the person is its `from` side, its `to` side).
_TIE_WORDS = {
    "informal_influence": ("Informally influences {0}", "Informally influenced by {0}"),
    "ally": ("Ally of {0}", "Ally of {0}"),
    "rival": ("Rival of {0}", "Rival of {0}"),
    "mentor": ("Mentor to {0}", "Mentored by {0}"),
    "former_colleague": ("Former colleague of {0}", "Former colleague of {0}"),
    "friend": ("Friend of {0}", "Friend of {0}"),
    "family": ("Family of {0}", "Family of {0}"),
}


def describe_tie(tie: Tie) -> str:
    """ "Mentored by Ana Andersen (strength 4/5): met at NTNU", from the person's side."""
    words = _TIE_WORDS.get(str(tie.relationship["type"]), ("{0}", "{0}"))[0 if tie.outgoing else 1]
    text = words.format(tie.other_name)
    if tie.relationship["strength"]:
        text += f" (strength {tie.relationship['strength']}/5)"
    if tie.relationship["notes"]:
        text += f": {str(tie.relationship['notes']).strip()}"
    return text


def ties_of(workspace: Workspace, *, contact_id: str) -> tuple[Tie, ...]:
    """The person's relationships either way, by the other person's name (a deleted person's left out)."""
    outgoing = workspace.list(kind="relationship", where={"from_contact_id": contact_id})
    incoming = workspace.list(kind="relationship", where={"to_contact_id": contact_id})
    sides = [(r, str(r["to_contact_id"]), True) for r in outgoing]
    sides += [(r, str(r["from_contact_id"]), False) for r in incoming]
    others = workspace.get_many(kind="contact", ids=list({other for _r, other, _out in sides}))
    ties = [
        Tie(r, other, str(others[other]["name"]), out)
        for r, other, out in sides
        if other in others and others[other].deleted_at is None
    ]
    ties.sort(key=lambda t: (t.other_name.casefold(), str(t.relationship["type"])))
    return tuple(ties)


def move_person(
    workspace: Workspace,
    *,
    contact_id: str,
    from_position_id: str,
    to_client_id: str,
    title: str | None,
    on_date: str,
):
    """Ends the person's role at one client and starts one at another, in one undoable change.

    The person record, their notes, interactions and past roles stay as they are.
    """
    values = {"contact_id": contact_id, "client_id": to_client_id, "started": on_date}
    if title:
        values["title"] = title
    return workspace.apply(
        edits=[
            Edit("update", "position", from_position_id, {"ended": on_date}),
            Edit("create", "position", values=values),
        ],
        label="Move person to another client",
    )
