"""Three-way merge of long text: two people's edits of one note, combined when they touch different lines."""

from __future__ import annotations

import difflib


def _changes(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    """(start, end, replacement) in base line numbers, for every place `other` differs from base."""
    matcher = difflib.SequenceMatcher(a=base, b=other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _overlap(a: tuple[int, int, list[str]], b: tuple[int, int, list[str]]) -> bool:
    # Two inserts at one place, or ranges that share a line, cannot both be kept without a person.
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def merge3(base: str | None, mine: str | None, theirs: str | None) -> str | None:
    """The text with both sides' edits, or None when they touch the same lines (a person decides)."""
    if mine == theirs:
        return mine
    if base is None or mine is None or theirs is None:
        return None
    if mine == base:
        return theirs
    if theirs == base:
        return mine
    lines = base.splitlines(keepends=True)
    ours = _changes(lines, mine.splitlines(keepends=True))
    other = _changes(lines, theirs.splitlines(keepends=True))
    if any(_overlap(a, b) for a in ours for b in other):
        return None
    merged, position = [], 0
    for start, end, replacement in sorted(ours + other, key=lambda c: (c[0], c[1])):
        merged += lines[position:start]
        merged += replacement
        position = end
    merged += lines[position:]
    return "".join(merged)
