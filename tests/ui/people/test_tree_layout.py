"""The org chart's tree layout on its own: plain positions in, plain boxes out, no Qt needed."""

from __future__ import annotations

import subprocess
import sys
from itertools import combinations, pairwise

from companion.ui.people.tree_layout import HEADING_GAP, Placed, Spacing, forest, lay_out

SPACING = Spacing(box_w=220.0, box_h=70.0)
HEADING_H = 18.0


def box(spot: Placed, s: Spacing = SPACING) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the box placed at this spot."""
    return spot.x - s.box_w / 2, spot.y, spot.x + s.box_w / 2, spot.y + s.box_h


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_a_boss_is_centred_above_three_reports_who_each_lead_a_team():
    links = [("boss", None)]
    for lead in ("a", "b", "c"):
        links += [(lead, "boss"), (f"{lead}1", lead)]

    placed = lay_out(links, SPACING, HEADING_H).placed

    leads = [placed[lead] for lead in ("a", "b", "c")]
    assert [spot.x for spot in leads] == sorted(spot.x for spot in leads)
    assert {spot.y for spot in leads} == {SPACING.pitch}
    assert placed["boss"].y == 0
    assert placed["boss"].x == (leads[0].x + leads[-1].x) / 2


def test_three_reports_without_teams_hang_in_two_columns_centred_below_their_boss():
    links = [("boss", None), ("a", "boss"), ("b", "boss"), ("c", "boss")]

    placed = lay_out(links, SPACING, HEADING_H).placed

    reports = [placed[pid] for pid in ("a", "b", "c")]
    assert all(spot.stacked and spot.y > placed["boss"].y for spot in reports)
    left = min(box(spot)[0] for spot in reports)
    right = max(box(spot)[2] for spot in reports)
    assert placed["boss"].x == (left + right) / 2


def test_no_two_boxes_overlap():
    links = [("ceo", None), ("cfo", "ceo"), ("coo", "ceo"), ("cto", "ceo"), ("pa", "ceo")]
    links += [(f"fin{i}", "cfo") for i in range(5)]
    links += [(f"ops{i}", "coo") for i in range(2)]
    links += [("eng", "cto"), ("eng1", "eng"), ("eng2", "eng"), ("qa", "cto")]
    links += [("chair", None), ("board1", "chair"), ("board2", "chair")]
    links += [(f"alone{i}", None) for i in range(4)]

    layout = lay_out(links, SPACING, HEADING_H)

    assert set(layout.placed) == {pid for pid, _boss in links}
    boxes = [box(spot) for spot in layout.placed.values()]
    assert not [pair for pair in combinations(boxes, 2) if overlap(*pair)]


def test_a_person_without_a_boss_is_a_root():
    tree = forest([("boss", None), ("report", "boss"), ("stray", "someone-not-shown")])

    assert tree.roots == ["boss", "stray"]
    assert tree.children == {"boss": ["report"]}
    assert tree.boss_of() == {"report": "boss"}


def test_a_reporting_loop_is_cut_at_its_first_position():
    tree = forest([("a", "c"), ("b", "a"), ("c", "b"), ("d", "c")])

    assert tree.roots == ["a"]
    assert tree.cut == {"a"}
    assert tree.children == {"a": ["b"], "b": ["c"], "c": ["d"]}


def test_people_linked_to_nobody_sit_in_a_grid_below_the_trees_under_a_heading():
    links = [("boss", None), ("report", "boss"), ("x", None), ("y", None)]

    layout = lay_out(links, SPACING, HEADING_H)

    assert layout.trees == ["boss"]
    assert layout.loners == ["x", "y"]
    heading = layout.heading
    assert heading is not None and heading.height == HEADING_H
    tree_bottom = max(box(layout.placed[pid])[3] for pid in ("boss", "report"))
    assert heading.y > tree_bottom
    assert layout.placed["x"].y == layout.placed["y"].y == heading.y + HEADING_H + HEADING_GAP
    assert layout.placed["x"].x < layout.placed["y"].x


def test_a_line_runs_from_the_bottom_of_the_boss_to_the_top_of_a_report_beside_them():
    links = [("boss", None), ("a", "boss"), ("a1", "a"), ("b", "boss"), ("b1", "b")]

    layout = lay_out(links, SPACING, HEADING_H)

    boss, a = layout.placed["boss"], layout.placed["a"]
    first = layout.lines[0]
    assert first[0] == (boss.x, boss.y + SPACING.box_h)
    assert first[-1] == (a.x, a.y)
    # Orthogonal: every segment is horizontal or vertical.
    assert all(p[0] == q[0] or p[1] == q[1] for p, q in pairwise(first))
    assert len(layout.lines) == 4


def test_the_layout_imports_nothing_of_qt():
    check = (
        "import sys, companion.ui.people.tree_layout; "
        "assert not any(m.startswith('PySide6') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", check], check=True)
