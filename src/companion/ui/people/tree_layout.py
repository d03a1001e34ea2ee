"""Where each box of the org chart goes: the top-down tree laid out in plain Python, without Qt."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# The layout works in the chart's scene units, with y growing downwards as on screen.
Point = tuple[float, float]
# The left and right edge of a subtree on each level (row) below its root.
Contour = dict[int, tuple[float, float]]

# Room between the heading over the people with no reporting line and their first row.
HEADING_GAP = 12.0


@dataclass(frozen=True)
class Spacing:
    """The size of a box and the gaps between boxes; the box size comes from the fonts the chart paints with."""

    box_w: float
    box_h: float
    h_gap: float = 24.0
    v_gap: float = 40.0
    root_gap: float = 56.0
    rail_gap: float = 36.0

    @property
    def pitch(self) -> float:
        """From the top of one level to the top of the next."""
        return self.box_h + self.v_gap


@dataclass(frozen=True)
class Placed:
    """Where one box goes."""

    x: float  # centre
    y: float  # top
    stacked: bool  # hangs off its boss's rail rather than sitting on the level below


@dataclass(frozen=True)
class Rect:
    """A rectangle by its top-left corner and size."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Forest:
    """Who reports to whom once loops are broken: every position is in exactly one tree."""

    roots: list[str]  # positions without a boss, in the order given
    children: dict[str, list[str]]  # reports per boss, in the order given
    cut: set[str]  # positions whose reporting line was dropped to break a loop

    def boss_of(self) -> dict[str, str]:
        return {kid: boss for boss, kids in self.children.items() for kid in kids}


@dataclass(frozen=True)
class TreeLayout:
    """Where every box and line of the chart goes."""

    forest: Forest
    trees: list[str]  # roots with reports, laid out side by side from the left
    loners: list[str]  # roots without reports, set in a grid below the trees
    placed: dict[str, Placed]  # every position: trees first, then loners
    lines: list[list[Point]]  # boss to report, each an orthogonal polyline from the boss down
    heading: Rect | None  # the heading over the loners, when there are any
    focus: Point  # the top middle of what a chart too big to fit opens on


def forest(links: Sequence[tuple[str, str | None]]) -> Forest:
    """The reporting lines as trees, from (position, the position it reports to) pairs.

    A boss outside the given positions counts as none. Two laptops editing offline can merge into a
    loop, which is broken at its first position in the given order so the chart still draws.
    """
    order = [pid for pid, _target in links]
    rank = {pid: i for i, pid in enumerate(order)}
    boss: dict[str, str] = {}
    for pid, target in links:
        if target and target in rank and target != pid:
            boss[pid] = target
    cut: set[str] = set()
    done: set[str] = set()
    for start in order:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in done:
            if node in on_path:
                loop = path[path.index(node) :]
                root = min(loop, key=rank.__getitem__)
                del boss[root]
                cut.add(root)
                break
            path.append(node)
            on_path.add(node)
            node = boss.get(node)
        done.update(path)
    children: dict[str, list[str]] = {}
    for pid in order:
        if pid in boss:
            children.setdefault(boss[pid], []).append(pid)
    roots = [pid for pid in order if pid not in boss]
    return Forest(roots, children, cut)


def merge(
    subtrees: list[tuple[dict[str, Placed], Contour]], gap: float
) -> tuple[dict[str, Placed], Contour, list[float]]:
    """Sets subtrees side by side, each as far left as its contours allow; returns their offsets."""
    nodes: dict[str, Placed] = {}
    contour: Contour = {}
    offsets: list[float] = []
    for sub_nodes, sub_contour in subtrees:
        offset = 0.0
        if contour:
            offset = max(
                contour[level][1] - left + gap
                for level, (left, _right) in sub_contour.items()
                if level in contour
            )
        offsets.append(offset)
        for pid, placed in sub_nodes.items():
            nodes[pid] = Placed(placed.x + offset, placed.y, placed.stacked)
        for level, (left, right) in sub_contour.items():
            if level in contour:
                contour[level] = (
                    min(contour[level][0], left + offset),
                    max(contour[level][1], right + offset),
                )
            else:
                contour[level] = (left + offset, right + offset)
    return nodes, contour, offsets


def layout_subtree(pid: str, children: dict[str, list[str]], s: Spacing) -> tuple[dict[str, Placed], Contour]:
    """Positions relative to the subtree's root (centre x = 0, top y = 0) and its outline per level.

    Every box sits on a level (a row of the chart), so cousins line up across the whole chart.
    """
    half = s.box_w / 2
    kids = children.get(pid, [])
    nodes = {pid: Placed(0.0, 0.0, False)}
    contour: Contour = {0: (-half, half)}
    if not kids:
        return nodes, contour
    leaves = [kid for kid in kids if not children.get(kid)]
    teams = [kid for kid in kids if children.get(kid)]
    # Reports with no reports of their own hang in two columns off a rail below their boss, and
    # any reports with teams go below them: wide teams would otherwise stretch the chart across
    # several screens.
    stacked = leaves if len(leaves) >= (2 if teams else 3) else []
    offset_x = s.rail_gap / 2 + half
    extent = s.rail_gap / 2 + s.box_w
    for i, kid in enumerate(stacked):
        row, side = divmod(i, 2)
        level = row + 1
        nodes[kid] = Placed(-offset_x if side == 0 else offset_x, level * s.pitch, True)
        left, right = contour.get(level, (0.0, 0.0))
        contour[level] = (-extent, right) if side == 0 else (left, extent)
    rest = teams if stacked else kids
    if not rest:
        return nodes, contour
    below = math.ceil(len(stacked) / 2) + 1
    subtrees = []
    for kid in rest:
        sub_nodes, sub_contour = layout_subtree(kid, children, s)
        shifted = {k: Placed(v.x, v.y + below * s.pitch, v.stacked) for k, v in sub_nodes.items()}
        subtrees.append((shifted, {level + below: span for level, span in sub_contour.items()}))
    team_nodes, team_contour, offsets = merge(subtrees, s.h_gap)
    centre = (offsets[0] + offsets[-1]) / 2
    nodes.update({k: Placed(v.x - centre, v.y, v.stacked) for k, v in team_nodes.items()})
    contour.update({level: (left - centre, right - centre) for level, (left, right) in team_contour.items()})
    return nodes, contour


def connector(boss: Placed, report: Placed, s: Spacing) -> list[Point]:
    """The line from the bottom of a boss's box to one report: down a rail, or down to a bus and across."""
    start = (boss.x, boss.y + s.box_h)
    if report.stacked:
        middle = report.y + s.box_h / 2
        side = report.x - s.box_w / 2 if report.x > boss.x else report.x + s.box_w / 2
        return [start, (boss.x, middle), (side, middle)]
    bus = report.y - s.v_gap / 2
    return [start, (boss.x, bus), (report.x, bus), (report.x, report.y)]


def lay_out(links: Sequence[tuple[str, str | None]], s: Spacing, heading_h: float) -> TreeLayout:
    """The whole chart: the trees side by side, then the people linked to nobody in a grid below them.

    `links` are (position, the position it reports to) pairs in the order boxes should come;
    `heading_h` is the height of the line of text over the people linked to nobody.
    """
    tree = forest(links)
    children = tree.children
    trees = [root for root in tree.roots if children.get(root)]
    loners = [root for root in tree.roots if not children.get(root)]

    placed: dict[str, Placed] = {}
    focus: Point = (0.0, 0.0)
    bottom = 0.0
    if trees:
        subtrees = [layout_subtree(root, children, s) for root in trees]
        placed, _contour, offsets = merge(subtrees, s.root_gap)
        # A chart too wide to fit opens on the top of its first tree, where the most senior people are.
        focus = (offsets[0], 0.0)
        bottom = max(p.y for p in placed.values()) + s.box_h
    left = min((p.x for p in placed.values()), default=0.0) - s.box_w / 2
    right = max((p.x for p in placed.values()), default=0.0) + s.box_w / 2

    heading = None
    if loners:
        top = bottom + (s.v_gap * 1.5 if trees else 0.0)
        pitch_x = s.box_w + s.h_gap
        if trees:
            columns = max(3, int((right - left + s.h_gap) // pitch_x))
        else:
            # Roughly the proportions of a laptop screen.
            columns = max(1, round(math.sqrt(len(loners) * 1.7 * s.pitch / pitch_x)))
        columns = min(columns, len(loners))
        row_h = heading_h + HEADING_GAP
        heading_w = max(right - left, columns * pitch_x - s.h_gap)
        heading = Rect(left, top, heading_w, row_h - HEADING_GAP)
        top += row_h
        for i, pid in enumerate(loners):
            row, column = divmod(i, columns)
            x = left + column * pitch_x + s.box_w / 2
            placed[pid] = Placed(x, top + row * (s.box_h + s.h_gap), False)
        if not trees:
            focus = (left + (columns * pitch_x - s.h_gap) / 2, top - row_h)

    lines = [connector(placed[boss], placed[kid], s) for boss, kids in children.items() for kid in kids]
    return TreeLayout(tree, trees, loners, placed, lines, heading, focus)
