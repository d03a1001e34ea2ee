"""What the write path does right after a change, decided here for the window, the command line and sync."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from companion.core.changes import ChangeSet
from companion.model.kinds import checklist_inputs

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# The workspace's note of what a pull still owes its reactions, written with each page it applies: a
# pull stopped half-way (a dropped connection) leaves it for the next one.
DUE_AFTER_PULL = "reactions_due_after_pull"

# After an edit here: the checklists of upcoming open meetings follow the knowledge they are composed
# from (a meeting marked ready with a must-item open is settled by the edit's own batch).
# After a pull: the same, and the meetings whose items or status arrived are settled, so a must-item
# unticked on another laptop puts a meeting this laptop had marked ready back to planned.


def follow(workspace: Workspace, changes: ChangeSet, *, today: dt.date | None = None) -> ChangeSet:
    """The changes that keep derived records in step after an edit here (derived; empty when none)."""
    if changes.derived or not {c.kind for c in changes.changes} & checklist_inputs():
        return ChangeSet((), "", derived=True)
    from companion.core import meetings  # only once an input changed: start-up never needs it

    followed = meetings.recompose_affected(workspace, changes, today=today)
    return ChangeSet(followed.changes, followed.label, derived=True)


def note_pulled(due: str | None, written: Iterable[tuple[str, str, Mapping[str, object]]]) -> str | None:
    """What the reactions owe after this page as well as what earlier pages left (`due`), as kept in
    the workspace's bookkeeping: whether checklist inputs arrived, and which meetings to settle."""
    owed = json.loads(due) if due else {"inputs": False, "meetings": []}
    inputs = checklist_inputs()
    meetings = set(owed["meetings"])
    for kind, record_id, values in written:
        owed["inputs"] = owed["inputs"] or kind in inputs
        if kind == "meeting":
            meetings.add(record_id)
        elif kind == "meeting_checklist_item" and values.get("meeting_id"):
            meetings.add(str(values["meeting_id"]))
    if not owed["inputs"] and not meetings:
        return due
    return json.dumps({"inputs": owed["inputs"], "meetings": sorted(meetings)})


def follow_pull(workspace: Workspace, *, due: str, today: dt.date | None = None) -> ChangeSet:
    """What a pull's reactions change (derived): the meetings it touched settled, and upcoming
    checklists recomposed when what they are made of arrived."""
    from companion.core import meetings

    owed = json.loads(due)
    collected = list(workspace.settle_meetings(meeting_ids=owed["meetings"]).changes)
    if owed["inputs"]:
        for meeting in meetings.upcoming_open_meetings(workspace, today=today):
            collected += meetings.recompose(workspace, meeting_id=meeting.id, today=today).changes
    return ChangeSet(tuple(collected), meetings.UPDATE_LABEL if collected else "", derived=True)
