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
# Once the records a pull can reach through pass this many, it is noted as reaching every upcoming open
# meeting: a first pull reaches nearly all of them anyway, and the note stays small instead of being
# read, grown and written again, whole, with each of its pages (a tenth of a first pull's time).
REACH_ALL_FROM = 5_000
EVERY_MEETING = "all"

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
    the workspace's bookkeeping: which meetings to settle, and whose checklists the inputs reach (or
    EVERY_MEETING, once that is more than REACH_ALL_FROM records)."""
    from companion.core.reach import Reach

    owed = json.loads(due) if due else {"settle": [], "reach": {}}
    settle = set(owed["settle"])
    reach = None if owed["reach"] == EVERY_MEETING else Reach.from_dict(owed["reach"])
    inputs = checklist_inputs()
    for kind, record_id, values in written:
        if kind in inputs and reach is not None:
            reach.add(kind, record_id, values)
        if kind == "meeting":
            settle.add(record_id)
        elif kind == "meeting_checklist_item" and values.get("meeting_id"):
            settle.add(str(values["meeting_id"]))
    if reach is not None and reach.size() > REACH_ALL_FROM:
        reach = None
    if not settle and reach is not None and not reach:
        return due
    return json.dumps(
        {"settle": sorted(settle), "reach": EVERY_MEETING if reach is None else reach.as_dict()}
    )


def follow_pull(workspace: Workspace, *, due: str, today: dt.date | None = None) -> ChangeSet:
    """What a pull's reactions change (derived): the meetings it touched settled, and the upcoming
    checklists that what arrived can reach recomposed."""
    from companion.core import meetings
    from companion.core.reach import Reach, upcoming_open_meetings

    owed = json.loads(due)
    collected = list(workspace.settle_meetings(meeting_ids=owed["settle"]).changes)
    everything = owed["reach"] == EVERY_MEETING
    reach = None if everything else Reach.from_dict(owed["reach"])
    if everything or reach:
        upcoming = upcoming_open_meetings(workspace, today=today)
        reached = [m.id for m in upcoming] if reach is None else reach.meetings_in(workspace, upcoming)
        for meeting_id in reached:
            collected += meetings.recompose(workspace, meeting_id=meeting_id, today=today).changes
    return ChangeSet(tuple(collected), meetings.UPDATE_LABEL if collected else "", derived=True)
