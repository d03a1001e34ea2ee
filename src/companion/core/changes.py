"""What a service call changed, in a form the GUI can refresh from and undo."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Op = Literal["create", "update", "delete", "restore"]


@dataclass(frozen=True)
class Record:
    """A plain copy of one record: safe to hand to any thread or layer."""

    kind: str
    id: str
    values: dict
    created_at: str
    updated_at: str
    deleted_at: str | None = None
    row_seq: int = 0
    team_id: str | None = None  # the team it belongs to, once shared through a sync server

    def __getitem__(self, name: str) -> object:
        return self.values.get(name)


@dataclass(frozen=True)
class Edit:
    """One requested change: create, update, delete or restore a record."""

    op: Op
    kind: str
    id: str | None = None
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """One change made: the fields that changed, with their values before and after."""

    op: Op
    kind: str
    id: str
    before: dict
    after: dict

    def inverse(self) -> Edit:
        if self.op == "create":
            return Edit("delete", self.kind, self.id)
        if self.op == "delete":
            return Edit("restore", self.kind, self.id)
        if self.op == "restore":
            return Edit("delete", self.kind, self.id)
        return Edit("update", self.kind, self.id, dict(self.before))


@dataclass(frozen=True)
class ChangeSet:
    """Everything one service call changed, in the order it changed it."""

    changes: tuple[Change, ...] = ()
    label: str = ""
    # Kept in step by the services themselves (a checklist recomposed, a pack version recorded),
    # not asked for by a person: no undo step of its own, nothing to announce.
    derived: bool = False
    # What the write path changed in step right after this (core/reactions.py: upcoming checklists
    # recomposed, meeting status settled). Views refresh from it; it is never undone with this change
    # set: undoing this recomposes again.
    reactions: ChangeSet | None = None

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def undo_edits(self) -> list[Edit]:
        """The edits that put everything back, newest change first."""
        return [change.inverse() for change in reversed(self.changes)]

    def ids(self, kind: str | None = None) -> list[str]:
        return [c.id for c in self.changes if kind is None or c.kind == kind]

    @property
    def created_id(self) -> str | None:
        """The id of the first record created, the usual answer to "what did I just add"."""
        return next((c.id for c in self.changes if c.op == "create"), None)
