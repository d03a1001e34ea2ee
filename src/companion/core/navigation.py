"""Where a record lives in the window: which client page, which section, which record to select."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# The client page section each kind is shown in.
SECTION_OF = {
    "client": "overview",
    "contact": "people",
    "position": "people",
    "relationship": "people",
    "sub_group": "culture",
    "guideline": "guidelines",
    "site": "sites",
    "interaction": "activity",
    "follow_up": "activity",
    "note": "notes",
    "meeting": "meetings",
    "meeting_checklist_item": "meetings",
}


@dataclass(frozen=True)
class Location:
    client_id: str | None
    section: str
    kind: str
    record_id: str
    contact_id: str | None = None  # the person to show on the People section
    meeting_id: str | None = None  # the meeting page that shows it


def locate(workspace: Workspace, *, kind: str, record_id: str) -> Location:
    """The client page (if any) that shows this record."""
    record = workspace.get(kind=kind, id=record_id)
    section = SECTION_OF.get(kind, "")
    contact_id = meeting_id = None
    client_id = record["client_id"] if "client_id" in record.values else None
    if kind == "client":
        client_id = record.id
    elif kind == "contact":
        contact_id = record.id
    elif kind == "position":
        contact_id = str(record["contact_id"])
    elif kind == "meeting":
        meeting_id = record.id
    elif kind == "relationship":
        contact_id = str(record["from_contact_id"])
    elif kind == "follow_up":
        client_id = workspace.get(kind="interaction", id=str(record["interaction_id"]), include_deleted=True)[
            "client_id"
        ]
    elif kind == "meeting_checklist_item":
        meeting_id = str(record["meeting_id"])
        client_id = workspace.get(kind="meeting", id=meeting_id, include_deleted=True)["client_id"]
    elif kind == "note" and client_id is None:
        if record["site_id"]:
            client_id = workspace.get(kind="site", id=str(record["site_id"]), include_deleted=True)[
                "client_id"
            ]
        else:
            contact_id = str(record["contact_id"])
    elif kind == "interaction" and client_id is None and record["contact_ids"]:
        contact_id = str(record["contact_ids"][0])
    if client_id is None and contact_id is not None:
        positions = workspace.list(kind="position", where={"contact_id": contact_id})
        positions.sort(key=lambda p: p["ended"] is not None)
        client_id = str(positions[0]["client_id"]) if positions else None
    return Location(str(client_id) if client_id else None, section, kind, record_id, contact_id, meeting_id)
