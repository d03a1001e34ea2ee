"""A cohort's members: the clients its saved filter holds, with its manual additions and exclusions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.model.kinds import COHORT_FILTER_FIELDS, get_kind
from companion.model.text import fold

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.changes import ChangeSet
    from companion.core.service import Workspace


@dataclass(frozen=True)
class Member:
    client_id: str
    name: str
    industry: str | None
    status: str | None
    added: bool  # a manual addition rather than the filter


def plain(text: object) -> str | None:
    """A value as cohorts compare it: case, accents and spacing aside ("  North  Sea" → "north sea")."""
    if text is None:
        return None
    return " ".join(fold(str(text)).split())


def _listed(values: Mapping[str, object], name: str) -> list[str]:
    return [str(v) for v in values.get(name) or () if v is not None and str(v).strip()]


def _member_rows(workspace: Workspace, values: Mapping[str, object]) -> list[tuple]:
    field = values.get("field_name") or None
    value = plain(values.get("field_value"))
    if field is not None and field not in COHORT_FILTER_FIELDS:
        from companion.model.errors import ValidationError

        raise ValidationError(
            f"Cohort · Whose field (field_name): '{field}' is not one of {', '.join(COHORT_FILTER_FIELDS)}.",
            kind="cohort",
            field="field_name",
        )
    from companion.store import queries

    long_text = field is not None and get_kind("client").field(field).type == "longtext"
    with workspace.db.reading() as conn:
        return queries.cohort_clients(
            conn,
            tags=[plain(t) for t in _listed(values, "tags")],
            industries=[plain(i) for i in _listed(values, "industries")],
            statuses=_listed(values, "statuses"),
            owner_ids=_listed(values, "owner_ids"),
            field=field if value else None,
            field_value=value or None,
            field_is_long=long_text,
            added_ids=[i.lower() for i in _listed(values, "added_ids")],
            excluded_ids=[i.lower() for i in _listed(values, "excluded_ids")],
            plain=plain,
        )


def matching_clients(workspace: Workspace, values: Mapping[str, object]) -> list[str]:
    """The ids of the clients a cohort with these field values holds (an unsaved one, to preview it),
    ordered by client name.

    A client is held when it matches every filter given: tags (any of), industries (any of), statuses
    (any of), owners (any of), and the field's value (a one-line field holds it whole, a long text
    contains it); case, accents and spacing aside. The added clients are held too, the excluded ones
    never. A cohort without filters holds only its added clients."""
    return [row[0] for row in _member_rows(workspace, values)]


def cohort_members(workspace: Workspace, cohort_id: str) -> list[str]:
    """The ids of a saved cohort's clients, by name."""
    cohort = workspace.get(kind="cohort", id=cohort_id)
    return matching_clients(workspace, cohort.values)


def member_rows(workspace: Workspace, cohort_id: str) -> list[Member]:
    """A saved cohort's clients as the cohort view lists them, by name."""
    cohort = workspace.get(kind="cohort", id=cohort_id)
    return [
        Member(client_id=row[0], name=row[1], industry=row[2], status=row[3], added=bool(row[4]))
        for row in _member_rows(workspace, cohort.values)
    ]


def include_client(workspace: Workspace, cohort_id: str, client_id: str) -> ChangeSet:
    """Adds a client to a cohort by hand (and takes it off the cohort's left-out list): one undoable
    change."""
    cohort = workspace.get(kind="cohort", id=cohort_id)
    added = [c for c in cohort["added_ids"] or () if c != client_id] + [client_id]
    excluded = [c for c in cohort["excluded_ids"] or () if c != client_id]
    return workspace.update(
        kind="cohort", id=cohort_id, values={"added_ids": added, "excluded_ids": excluded or None}
    )


def leave_out_client(workspace: Workspace, cohort_id: str, client_id: str) -> ChangeSet:
    """Takes a client out of a cohort: off its added list, and onto its left-out list when the filter
    still holds it. One undoable change."""
    cohort = workspace.get(kind="cohort", id=cohort_id)
    added = [c for c in cohort["added_ids"] or () if c != client_id]
    values: dict[str, object] = {"added_ids": added or None}
    by_filter = {**cohort.values, "added_ids": None, "excluded_ids": None}
    if client_id in matching_clients(workspace, by_filter):
        values["excluded_ids"] = [c for c in cohort["excluded_ids"] or () if c != client_id] + [client_id]
    return workspace.update(kind="cohort", id=cohort_id, values=values)
