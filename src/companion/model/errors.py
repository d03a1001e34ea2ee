"""Errors whose message a person can act on; every layer above core shows them as they are."""

from __future__ import annotations


class CompanionError(Exception):
    """Base of every error Companion expects and explains to a person."""


class ValidationError(CompanionError):
    """A value a person gave does not fit the field it is meant for."""

    def __init__(self, message: str, *, kind: str | None = None, field: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.field = field


class UnknownKindError(ValidationError):
    """A record kind that does not exist was named."""


class UnknownFieldError(ValidationError):
    """A field that the kind does not have was named."""


class NotFoundError(CompanionError):
    """A record that was asked for does not exist (or has been deleted)."""


class DependentRecordsError(CompanionError):
    """A delete would orphan live records; deletes never cascade silently."""

    def __init__(self, message: str, *, dependents: dict[str, int]):
        super().__init__(message)
        self.dependents = dependents


class WorkspaceError(CompanionError):
    """A workspace file cannot be opened: foreign, newer, damaged or locked."""


class DamagedWorkspace(WorkspaceError):
    """A workspace file whose pages cannot all be read: never written to; `companion recover` saves
    what can be read into a new workspace."""


class WorkspaceUnavailable(WorkspaceError):
    """A workspace that cannot be written now: locked by another program, read-only, or on a full disk."""


class WriteFailed(CompanionError):
    """A file could not be written whole; the file that was there before is as it was."""


class Interrupted(CompanionError):
    """A person stopped a long operation; it was rolled back, nothing of it was written."""


class BundleError(CompanionError):
    """An import bundle is malformed or inconsistent; nothing of it was written."""
