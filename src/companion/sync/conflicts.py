"""Open conflicts as a person reads them (names, labels, both values) and the value a person takes."""

from __future__ import annotations

from companion.core.service import Workspace
from companion.model.errors import CompanionError, NotFoundError, ValidationError
from companion.model.kinds import KINDS_BY_NAME, get_kind
from companion.model.values import parse_text, stored_form
from companion.sync.client import open_conflicts


def _title_of(ws: Workspace, kind: str, record_id: str) -> str:
    try:
        record = ws.get(kind=kind, id=record_id, include_deleted=True)
    except CompanionError:
        return ""
    return str(record.values.get(get_kind(kind).title_field) or "")


def _kind_labels(kind: str) -> dict[str, str]:
    found = KINDS_BY_NAME.get(kind)
    if found is None:  # a kind of a newer version, waiting for an upgrade
        return {"kind_label": kind, "kind_plural": kind}
    return {"kind_label": found.label, "kind_plural": found.plural}


def described_conflicts(ws: Workspace) -> list[dict]:
    """The conflicts nobody resolved yet, oldest first, each with its record's name (`title`), its kind's
    label (`kind_label`, `kind_plural`) and, for a possible duplicate, the other record's name (`twin`)."""
    found = []
    for c in open_conflicts(ws):
        twin = _title_of(ws, c["kind"], str(c["other"])) if c["reason"] == "possible_duplicate" else ""
        title = _title_of(ws, c["kind"], c["record_id"])
        found.append({**c, "title": title, "twin": twin, **_kind_labels(c["kind"])})
    return found


def find_conflict(ws: Workspace, conflict_id: str) -> dict:
    """The open conflict with this id, or the only one whose id starts with it."""
    matches = [c for c in open_conflicts(ws) if c["id"].startswith(conflict_id.strip())]
    exact = [c for c in matches if c["id"] == conflict_id.strip()]
    if exact or len(matches) == 1:
        return (exact or matches)[0]
    if not matches:
        raise NotFoundError(
            f"No open conflict has the id {conflict_id}: `companion sync conflicts` lists them."
        )
    raise NotFoundError(f"{len(matches)} open conflicts start with {conflict_id}: give more of the id.")


def chosen_value(ws: Workspace, conflict: dict, take: str) -> object:
    """The value a person takes: "mine" (what this laptop wrote), "theirs" (the other laptop's), "kept"
    (what everyone holds now), "other" (the one set aside), or a value typed for the field."""
    if conflict["reason"] != "concurrent_edit":
        if take in ("kept", "mine"):
            return None  # nothing to choose: the flag closes, the records stay as they are
        raise ValidationError(
            f"This conflict ({conflict['reason'].replace('_', ' ')}) has no value to choose: "
            "--take kept closes it as it is."
        )
    # `other_device` wrote the value set aside: when that is this laptop, its own value is `other`.
    mine_is_other = conflict.get("other_device") == ws.meta(key="device_id")
    named = {
        "kept": conflict["kept"],
        "other": conflict["other"],
        "mine": conflict["other"] if mine_is_other else conflict["kept"],
        "theirs": conflict["kept"] if mine_is_other else conflict["other"],
    }
    if take in named:
        return named[take]
    kind = get_kind(conflict["kind"])
    field = kind.field(conflict["field"])
    if field is None:
        raise ValidationError(f"{kind.label} has no field {conflict['field']} in this version.")
    return stored_form(kind, field, parse_text(kind, field, take))
