"""Three-way merge of long text: two people's edits of one note, combined when they touch different lines.

A merge has a budget: texts whose lines differ too much to compare quickly (thousands of repeated lines,
say) are not merged but left to a person as a conflict, so a push never waits on a slow comparison.
"""

from __future__ import annotations

import time

# How long comparing one pair of texts may take before the merge gives up and a person decides.
MERGE_SECONDS = 0.2


class _OverBudget(Exception):
    pass


def _changes(base: list[int], other: list[int], deadline: float) -> list[tuple[int, int, list[int]]]:
    """(start, end, replacement) in base line numbers, for every place `other` differs from base.

    Lines are numbers (equal lines, equal numbers). The common head and tail are set aside, then
    Myers' shortest edit script is searched, one edit distance at a time, within the deadline.
    """
    head = 0
    while head < len(base) and head < len(other) and base[head] == other[head]:
        head += 1
    tail = 0
    while tail < len(base) - head and tail < len(other) - head and base[-1 - tail] == other[-1 - tail]:
        tail += 1
    a, b = base[head : len(base) - tail], other[head : len(other) - tail]
    if not a and not b:
        return []
    if not a or not b:
        return [(head, head + len(a), b)]
    return [(head + start, head + end, rows) for start, end, rows in _myers(a, b, deadline)]


def _myers(a: list[int], b: list[int], deadline: float) -> list[tuple[int, int, list[int]]]:
    n, m = len(a), len(b)
    offset = n + m
    frontier = [0] * (2 * offset + 2)
    trace: list[list[int]] = []
    for d in range(offset + 1):
        if time.monotonic() > deadline:
            raise _OverBudget
        # Only the diagonals round d can read (-d..d): a copy of the whole frontier each round would
        # take memory in proportion to the texts' length times the rounds.
        trace.append(frontier[offset - d : offset + d + 1])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and frontier[offset + k - 1] < frontier[offset + k + 1]):
                x = frontier[offset + k + 1]  # down: a line of b inserted
            else:
                x = frontier[offset + k - 1] + 1  # right: a line of a deleted
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x, y = x + 1, y + 1
            frontier[offset + k] = x
            if x >= n and y >= m:
                return _script(trace, a, b, d)
    raise AssertionError("unreachable: the edit distance is at most n + m")


def _script(trace: list[list[int]], a: list[int], b: list[int], d: int):
    """The changes, walking the searched frontiers back from the end."""
    x, y = len(a), len(b)
    matched: list[tuple[int, int]] = []  # (x, y) of each diagonal step, backwards
    for step in range(d, 0, -1):
        saved = trace[step]  # diagonals -step..step, as round `step` found them

        def at(k: int, saved=saved, step=step) -> int:
            return saved[k + step]

        k = x - y
        down = k == -step or (k != step and at(k - 1) < at(k + 1))  # came from the diagonal above
        previous_k = k + 1 if down else k - 1
        previous_x = at(previous_k)
        previous_y = previous_x - previous_k
        while x > previous_x and y > previous_y and x > 0 and y > 0 and a[x - 1] == b[y - 1]:
            x, y = x - 1, y - 1
            matched.append((x, y))
        x, y = previous_x, previous_y
    while x > 0 and y > 0:
        x, y = x - 1, y - 1
        matched.append((x, y))
    matched.reverse()
    changes, at_a, at_b = [], 0, 0
    for x, y in [*matched, (len(a), len(b))]:
        if x > at_a or y > at_b:
            changes.append((at_a, x, b[at_b:y]))
        at_a, at_b = x + 1, y + 1
    return changes


def _overlap(a: tuple[int, int, list], b: tuple[int, int, list]) -> bool:
    # Two inserts at one place, or ranges that share a line, cannot both be kept without a person.
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def merge3(
    base: str | None, mine: str | None, theirs: str | None, *, seconds: float = MERGE_SECONDS
) -> str | None:
    """The text with both sides' edits, or None when they touch the same lines or cannot be compared
    within `seconds` (a person decides)."""
    if mine == theirs:
        return mine
    if base is None or mine is None or theirs is None:
        return None
    if mine == base:
        return theirs
    if theirs == base:
        return mine
    numbers: dict[str, int] = {}  # each distinct line, numbered in order of appearance
    base_n, mine_n, theirs_n = (
        [numbers.setdefault(line, len(numbers)) for line in text.splitlines(keepends=True)]
        for text in (base, mine, theirs)
    )
    lines = list(numbers)
    deadline = time.monotonic() + seconds
    try:
        ours = _changes(base_n, mine_n, deadline)
        other = _changes(base_n, theirs_n, deadline)
    except _OverBudget:
        return None
    if any(_overlap(a, b) for a in ours for b in other):
        return None
    merged, position = [], 0
    for start, end, replacement in sorted(ours + other, key=lambda c: (c[0], c[1])):
        merged += base_n[position:start]
        merged += replacement
        position = end
    merged += base_n[position:]
    return "".join(lines[number] for number in merged)
