"""Finding a record by what a person calls it: a client by its id, its name or one of its aliases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.core.changes import Record
from companion.model.errors import NotFoundError, ValidationError
from companion.model.text import fold

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace


def find_client(workspace: Workspace, text: str) -> Record:
    """The client named by `text`: its id, its name or one of its aliases (case and accents aside; a
    part of a name when only one client has it). A ValidationError says why none or which ones."""
    wanted = text.strip()
    if not wanted:
        raise ValidationError("Name a client: its name, an alias or its id.")
    try:
        return workspace.get(kind="client", id=wanted)
    except NotFoundError:
        pass
    folded = fold(wanted)
    clients = workspace.list(kind="client")

    def names(client: Record) -> list[str]:
        return [fold(str(client["name"] or "")), *(fold(str(a)) for a in client["aliases"] or ())]

    exact = [c for c in clients if folded in names(c)]
    found = exact or [c for c in clients if any(folded in n for n in names(c))]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(f"There is no client '{wanted}' (by name, alias or id).")
    listed = ", ".join(f"{c['name']} ({c.id})" for c in sorted(found, key=lambda c: str(c["name"]))[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    raise ValidationError(f"'{wanted}' names {len(found)} clients: {listed}{more}. Give the id.")
