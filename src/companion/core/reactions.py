"""What the write path does right after a change, decided here for the window, the command line and sync
alike: the checklists of upcoming meetings follow the knowledge they are composed from, and meetings
whose checklist arrived from the team are settled."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from companion.core.changes import ChangeSet
from companion.model.kinds import checklist_inputs

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace


def follow(
    workspace: Workspace, changes: ChangeSet, *, pulled: bool = False, today: dt.date | None = None
) -> ChangeSet:
    """The changes that keep derived records in step after `changes` (marked derived; empty when none).

    Edits made here are settled inside their own transaction (`Workspace.apply`); records `pulled` from
    the team are settled now, so a must-item unticked on another laptop puts a meeting this laptop had
    marked ready back to planned, as an untick here would.
    """
    if changes.derived or not changes:
        return ChangeSet((), "", derived=True)
    from companion.core import meetings  # only once something changed: start-up never needs it

    collected = []
    if pulled:
        item_ids = [c.id for c in changes.changes if c.kind == "meeting_checklist_item"]
        touched = {c.id for c in changes.changes if c.kind == "meeting"}
        touched |= meetings.meetings_of_items(workspace, item_ids)
        collected += workspace.settle_meetings(meeting_ids=sorted(touched)).changes
    if {c.kind for c in changes.changes} & checklist_inputs():
        collected += meetings.recompose_affected(workspace, changes, today=today).changes
    return ChangeSet(tuple(collected), meetings.UPDATE_LABEL if collected else "", derived=True)
