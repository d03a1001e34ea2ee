"""Finding a record by what a person calls it: its id, its title or one of its aliases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.core.changes import Record
from companion.model.errors import NotFoundError, ValidationError
from companion.model.kinds import get_kind
from companion.model.text import fold

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace


def find_record(workspace: Workspace, kind_name: str, text: str) -> Record:
    """The record of a kind named by `text`: its id, its title or one of its aliases where the kind has
    them (case and accents aside; a part of a title when only one record has it). A ValidationError says
    why none or which ones."""
    kind = get_kind(kind_name)
    label, title = kind.label.lower(), kind.title_field
    aliased = kind.field("aliases") is not None
    article = "an" if label[:1] in "aeiou" else "a"
    wanted = text.strip()
    if not wanted:
        named = f"its {title}, an alias or its id" if aliased else f"its {title} or its id"
        raise ValidationError(f"Name {article} {label}: {named}.")
    try:
        return workspace.get(kind=kind.name, id=wanted)
    except NotFoundError:
        pass
    folded = fold(wanted)
    fields = ["id", title, *(["aliases"] if aliased else [])]
    rows = []  # (id, title, every name it goes by, folded)
    for record_id, name, *aliases in workspace.columns(kind=kind.name, fields=fields):
        names = [fold(str(name or "")), *(fold(str(a)) for a in (aliases[0] if aliases else None) or ())]
        rows.append((record_id, str(name or ""), names))
    exact = [row for row in rows if folded in row[2]]
    found = exact or [row for row in rows if any(folded in name for name in row[2])]
    if len(found) == 1:
        return workspace.get(kind=kind.name, id=found[0][0])
    if not found:
        by = f"{title}, alias or id" if aliased else f"{title} or id"
        raise ValidationError(f"There is no {label} '{wanted}' (by {by}).")
    listed = ", ".join(f"{name} ({record_id})" for record_id, name, _names in found[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    raise ValidationError(
        f"'{wanted}' names {len(found)} {kind.plural.lower()}: {listed}{more}. Give the id."
    )


def find_client(workspace: Workspace, text: str) -> Record:
    """The client named by `text`: its id, its name or one of its aliases (`find_record`)."""
    return find_record(workspace, "client", text)
