"""The contacts interchange's jobs on the database thread: a file read and previewed, imported, exported; duplicates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: start-up needs none of it
    from companion.core.changes import ChangeSet
    from companion.core.contact_import import Choice, ContactImport, ImportPreview
    from companion.core.contact_merge import DuplicatePair
    from companion.interchange.contacts_file import ContactsFile


@dataclass(frozen=True)
class ContactsPreview:
    """A contacts file as read (its format; a CSV's columns and their mapping) and what importing it would do,
    with the options it was read with."""

    path: Path
    file: ContactsFile
    preview: ImportPreview
    client_id: str | None  # the client every card goes to, when one was chosen
    client_name: str | None
    create_clients: bool
    cards_with_photos: int


def preview_contacts(
    ws,
    *,
    path: Path,
    mapping: Mapping[str, str] | None = None,
    client_id: str | None = None,
    create_clients: bool = False,
) -> ContactsPreview:
    """Reads a vCard or CSV file (a CSV by `mapping`, else the one guessed from its header) and matches every
    card against the workspace; writes nothing."""
    from companion.core.contact_import import preview_import
    from companion.interchange.contacts_file import read_contacts

    read = read_contacts(path, mapping=mapping)
    preview = preview_import(
        ws,
        cards=read.cards,
        problems=read.problems,
        source=path.name,  # what the undo step and the notes it writes are named after
        client_id=client_id,
        create_clients=create_clients,
    )
    client_name = str(ws.get(kind="client", id=client_id)["name"]) if client_id else None
    return ContactsPreview(
        path=path,
        file=read,
        preview=preview,
        client_id=client_id,
        client_name=client_name,
        create_clients=create_clients,
        cards_with_photos=sum(1 for card in read.cards if card.has_photo),
    )


def import_contacts(ws, *, preview: ImportPreview, choices: Mapping[int, Choice]) -> ContactImport:
    """Writes the previewed cards as the person chose for each (create, merge into someone, skip): one
    undoable step."""
    from companion.core.contact_import import apply_import

    return apply_import(ws, preview=preview, choices=dict(choices))


@dataclass(frozen=True)
class ContactsExport:
    """A vCard file written: where, and how many people are in it."""

    path: Path
    count: int


def export_contacts(ws, *, path: Path, client_id: str | None, version: str) -> ContactsExport:
    """Writes everyone (or the people of one client) to a vCard file of that version, whole or not at all."""
    from companion.core.contact_import import cards_for_export
    from companion.interchange.contacts_file import write_vcf

    cards = cards_for_export(ws, client_id=client_id)
    return ContactsExport(write_vcf(path, cards, version=version), len(cards))


def client_name(ws, *, client_id: str) -> str:
    """The name of a client (what an export of its people is called)."""
    return str(ws.get(kind="client", id=client_id)["name"])


# --- possible duplicates ---------------------------------------------------------------------------------


def possible_duplicates(ws) -> list[DuplicatePair]:
    """Pairs of people in the workspace who may be one person, most likely first (minus those a person said
    are not)."""
    from companion.core.contact_merge import possible_duplicates as find

    return find(ws)


@dataclass(frozen=True)
class PersonDetails:
    """What tells two people apart, side by side: their roles, emails and phones, and a few facts."""

    contact_id: str
    name: str
    roles: tuple[tuple[str, str, str | None], ...]  # (title, client, ended) everywhere, current ones first
    emails: tuple[str, ...]  # their own, then their roles' work emails
    phones: tuple[str, ...]
    birthday: str | None
    last_contact: str | None
    relationships: int


def person_details(ws, *, contact_id: str) -> PersonDetails:
    """One person's roles everywhere with their work emails and phones, their own emails and phones."""
    from companion.core.people import career_of

    career = career_of(ws, contact_id=contact_id)
    contact = career.contact
    emails = [str(e) for e in contact["emails"] or ()]
    phones = [str(p) for p in contact["phones"] or ()]
    roles = []
    for position, client in career.positions:
        ended = str(position["ended"]) if position["ended"] else None
        roles.append((str(position["title"] or ""), client, ended))
        if position["work_email"] and str(position["work_email"]) not in emails:
            emails.append(str(position["work_email"]))
        if position["work_phone"] and str(position["work_phone"]) not in phones:
            phones.append(str(position["work_phone"]))
    return PersonDetails(
        contact_id=contact.id,
        name=str(contact["name"]),
        roles=tuple(roles),
        emails=tuple(emails),
        phones=tuple(phones),
        birthday=str(contact["birthday"]) if contact["birthday"] else None,
        last_contact=career.last_contact,
        relationships=len(career.ties),
    )


def pair_details(ws, *, first_id: str, second_id: str) -> tuple[PersonDetails, PersonDetails]:
    """The two people of a possible duplicate, to compare."""
    return person_details(ws, contact_id=first_id), person_details(ws, contact_id=second_id)


def merge_people(ws, *, keep_id: str, other_id: str) -> ChangeSet:
    """Makes two people one: everything of `other_id` moves to `keep_id`, which fills its gaps; one undo step."""
    from companion.core.contact_merge import merge_contacts

    return merge_contacts(ws, keep_id=keep_id, other_id=other_id)


def dismiss_pair(ws, *, first_id: str, second_id: str) -> None:
    """Remembers that two people are not the same person: the pair is not offered again."""
    from companion.core.contact_merge import dismiss_pair as dismiss

    dismiss(ws, a=first_id, b=second_id)
