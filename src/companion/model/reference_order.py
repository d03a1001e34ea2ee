"""Records in an order where what a record points at comes before it: how they go to the sync server."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from companion.model.kinds import KINDS, Field, Kind

Item = TypeVar("Item")


def references_of(fields: Iterable[Field], values: Mapping[str, object]) -> list[str]:
    """The ids the values of these fields point at (single references and list members), in field order."""
    found: list[str] = []
    for f in fields:
        value = values.get(f.name)
        if value is None or not f.is_reference:
            continue
        if f.is_list:
            if isinstance(value, list):
                found.extend(v for v in value if isinstance(v, str))
        elif isinstance(value, str):
            found.append(value)
    return found


def targets_first(
    items: Sequence[Item], key: Callable[[Item], Hashable], targets: Callable[[Item], Iterable[Hashable]]
) -> list[Item]:
    """`items` reordered so each comes after the items it points at (`targets` gives their keys), and
    otherwise in the order given. Targets outside `items` are ignored; a loop keeps its given order."""
    by_key = {key(item): item for item in items}
    placed: set[Hashable] = set()
    visiting: set[Hashable] = set()
    ordered: list[Item] = []

    def place(item: Item) -> None:
        # Iterative depth-first walk: a chain of 10,000 people reporting to each other has no depth limit.
        stack = [(item, iter(targets(item)))]
        visiting.add(key(item))
        while stack:
            current, pending = stack[-1]
            for target in pending:
                if target in by_key and target not in placed and target not in visiting:
                    visiting.add(target)
                    stack.append((by_key[target], iter(targets(by_key[target]))))
                    break
            else:
                stack.pop()
                visiting.discard(key(current))
                placed.add(key(current))
                ordered.append(current)

    for item in items:
        if key(item) not in placed:
            place(item)
    return ordered


def rows_targets_first(kind: Kind, rows: Iterable[Mapping[str, object]]) -> list[Mapping[str, object]]:
    """Records of one kind (mappings with their "id"), each after the records of its own kind it points
    at: a sub-group after its parent, a person after the one they report to."""
    own = [f for f in kind.reference_fields if f.ref_kind == kind.name]
    rows = list(rows)
    if not own:
        return rows
    return targets_first(rows, lambda row: row["id"], lambda row: references_of(own, row))


def kinds_targets_first() -> list[Kind]:
    """Every kind, each after the kinds its fields point at (an interaction after meetings); a kind
    pointing at its own kind (sub-groups, positions) orders its own records with `targets_first`."""
    return targets_first(
        list(KINDS),
        lambda kind: kind.name,
        lambda kind: [f.ref_kind for f in kind.reference_fields if f.ref_kind != kind.name],
    )
