"""Validation of whole records: field values, rules between fields, and references to other records."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from companion.model.errors import UnknownFieldError, ValidationError
from companion.model.kinds import Kind, get_kind
from companion.model.values import normalise

# Finds a live record by kind and id (in the workspace, or in the batch being written).
Lookup = Callable[[str, str], Mapping[str, object] | None]


def normalise_fields(kind: Kind, values: Mapping[str, object]) -> dict[str, object]:
    """Canonical values for the given fields; names the first unknown field or bad value."""
    result: dict[str, object] = {}
    for name, value in values.items():
        f = kind.field(name)
        if f is None:
            known = ", ".join(kind.field_names)
            raise UnknownFieldError(
                f"{kind.label} has no field '{name}'. Fields: {known}.", kind=kind.name, field=name
            )
        result[name] = normalise(kind, f, value)
    return result


def _error(kind: Kind, field: str, problem: str) -> ValidationError:
    f = kind.field(field)
    label = f.label if f else field
    return ValidationError(f"{kind.label} · {label} ({field}): {problem}", kind=kind.name, field=field)


def check_record(kind: Kind, record: Mapping[str, object], *, record_id: str | None = None) -> None:
    """Rules over the whole record: required fields, order of dates, scopes, exclusive references."""
    for f in kind.required_fields:
        if record.get(f.name) is None:
            raise _error(kind, f.name, "is required")
    check_dates_in_order(kind, record)
    for field_name, values, needed in kind.required_when:
        value = record.get(field_name)
        if value is not None and (not values or value in values) and record.get(needed) is None:
            shown = str(value).replace("_", " ")
            raise _error(kind, needed, f"is required when {kind.field(field_name).label.lower()} is {shown}")
    for group in kind.exactly_one_of:
        present = [name for name in group if record.get(name) is not None]
        if len(present) != 1:
            names = ", ".join(kind.field(n).label.lower() for n in group)
            raise _error(kind, group[0], f"attach it to exactly one of: {names}")
    if kind.scoped_by is not None:
        scope_field, needs = kind.scoped_by
        scope = record.get(scope_field)
        wanted = needs.get(scope) if scope is not None else None
        for target in {t for t in needs.values() if t}:
            if target == wanted and record.get(target) is None:
                raise _error(kind, target, f"is required when it applies to a {str(scope).replace('_', '-')}")
            if target != wanted and record.get(target) is not None:
                raise _error(
                    kind, target, f"must be empty when it applies to the {str(scope).replace('_', ' ')}"
                )
    for name in kind.not_self:
        if record_id is not None and record.get(name) == record_id:
            raise _error(kind, name, "cannot point at the record itself")
    for a, b in kind.distinct:
        if record.get(a) is not None and record.get(a) == record.get(b):
            raise _error(kind, b, f"must differ from {kind.field(a).label.lower()}")


def check_dates_in_order(kind: Kind, record: Mapping[str, object]) -> None:
    """Of each pair of dates that must come in order (start, end), the later is not before the earlier,
    where the record holds both."""
    for earlier, later in kind.ordered:
        a, b = record.get(earlier), record.get(later)
        if a is not None and b is not None and str(b) < str(a):
            label = kind.field(earlier).label.lower()
            raise _error(kind, later, f"{b} is before the {label} {a}")


def check_references(kind: Kind, record: Mapping[str, object], lookup: Lookup, *, fields=None) -> None:
    """Every reference points at a live record of the right kind, of the same client where it must."""
    client_id = record.get("client_id")
    for f in kind.fields:
        if not f.is_reference or (fields is not None and f.name not in fields):
            continue
        value = record.get(f.name)
        if value is None:
            continue
        target_kind = get_kind(f.ref_kind)
        for target_id in value if f.is_list else [value]:
            target = lookup(target_kind.name, target_id)
            if target is None:
                raise _error(kind, f.name, f"no {target_kind.label.lower()} has the id {target_id}")
            if f.same_client and client_id is not None and target.get("client_id") != client_id:
                raise _error(kind, f.name, f"that {target_kind.label.lower()} belongs to another client")


def anchors(kind: Kind, field_name: str) -> bool:
    """Whether the record cannot stand without this reference: it is what a note is about, or what a
    scoped rule applies to. Such records go with what they point at; others just lose the link."""
    if any(field_name in group for group in kind.exactly_one_of):
        return True
    return kind.scoped_by is not None and field_name in kind.scoped_by[1].values()


def check_no_loops(kind: Kind, record: Mapping[str, object], record_id: str, lookup: Lookup) -> None:
    """A chain through a kind's own references (part of, reports to) must end, not come back round."""
    for f in kind.fields:
        if f.type != "ref" or f.ref_kind != kind.name or record.get(f.name) is None:
            continue
        seen: set[object] = set()
        current = record.get(f.name)
        while current is not None and current not in seen:  # a loop elsewhere is not this edit's doing
            if current == record_id:
                raise _error(kind, f.name, "would make a loop (it leads back to this record)")
            seen.add(current)
            parent = lookup(kind.name, str(current))
            current = parent.get(f.name) if parent else None
