"""A person as an address book or a CRM export describes them: what the vCard and CSV readers make and the export writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Where an email or phone of a card belongs: "work" ones are the position's (at the card's organisation),
# the others the person's own.
ITEM_TYPES = ("work", "home", "mobile", "other")


@dataclass(frozen=True)
class Card:
    """One contact read from a file. `record` names it in messages ("card 12", "line 40")."""

    record: str
    name: str  # formatted; made from the structured parts when the file has only those
    given_name: str | None = None
    family_name: str | None = None
    organisation: str | None = None
    title: str | None = None
    department: str | None = None
    emails: tuple[tuple[str, str], ...] = ()  # (type from ITEM_TYPES, address)
    phones: tuple[tuple[str, str], ...] = ()  # (type from ITEM_TYPES, number as written)
    address: str | None = None  # a home address, one line per part
    birthday: dt.date | None = None
    note: str | None = None
    uid: str | None = None
    has_photo: bool = False  # Companion keeps no photos: the preview says so


# Written out, not taken from the calendar module: its month names follow the locale the window sets.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip


def yearless_birthday(*, day: int, month: int) -> str:
    """A birthday a file gives without its year, in words for the person's note (Companion's birthday
    field is a whole date): "Birthday: 17 May"."""
    return f"Birthday: {day} {_MONTHS[month - 1]}"


@dataclass(frozen=True)
class CardProblem:
    """A record of a file that could not be read; the rest of the file still is."""

    record: str
    reason: str

    def __str__(self) -> str:
        """The record and the reason in one line; a reason may name its record already ("card 7 (Kari
        Nordmann): …")."""
        return self.reason if self.reason.startswith(self.record) else f"{self.record}: {self.reason}"
