"""The relationship map: people placed by stance and influence, crowded cells, clicks and the empty state."""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from companion.core.people import people_at
from companion.ui.people.relationship_map import PersonDot, RelationshipMapView


def add_person(workspace, client_id, name, *, contact=None, **position):
    """Creates a contact and their position at the client; returns the contact id."""
    contact_id = workspace.create(kind="contact", values={"name": name, **(contact or {})}).created_id
    values = {"contact_id": contact_id, "client_id": client_id, "title": "Manager", **position}
    workspace.create(kind="position", values=values)
    return contact_id


@pytest.fixture
def view(qtbot):
    chart = RelationshipMapView()
    qtbot.addWidget(chart)
    chart.resize(1000, 600)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def center(view, contact_id):
    return view.item_for_contact(contact_id).sceneBoundingRect().center()


def test_a_powerful_opponent_sits_left_of_and_above_a_minor_champion(view, workspace, client_id):
    opponent = add_person(workspace, client_id, "Olga Opponent", stance="opponent", influence=5)
    champion = add_person(workspace, client_id, "Carl Champion", stance="champion", influence=1)

    view.set_people(people_at(workspace, client_id=client_id))

    assert view.dot_count() == 2
    a, b = center(view, opponent), center(view, champion)
    assert a.x() < b.x()
    assert a.y() < b.y()


def test_stance_runs_left_to_right_and_influence_bottom_to_top(view, workspace, client_id):
    stances = ("opponent", "sceptic", "neutral", "supporter", "champion")
    by_stance = {s: add_person(workspace, client_id, f"Stance {s}", stance=s, influence=3) for s in stances}
    by_influence = {
        i: add_person(workspace, client_id, f"Influence {i}", stance="neutral", influence=i)
        for i in (1, 2, 4, 5)
    }

    view.set_people(people_at(workspace, client_id=client_id))

    xs = [center(view, by_stance[s]).x() for s in stances]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    ys = [center(view, by_influence[i]).y() for i in (5, 4, 2, 1)]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)


def test_unknown_stance_and_unset_influence_have_their_own_column_and_band(view, workspace, client_id):
    opponent = add_person(workspace, client_id, "Olga Opponent", stance="opponent", influence=1)
    said_unknown = add_person(workspace, client_id, "Una Unknown", stance="unknown", influence=3)
    no_stance = add_person(workspace, client_id, "Nils No Stance", influence=3)
    no_influence = add_person(workspace, client_id, "Ivar No Influence", stance="opponent")

    view.set_people(people_at(workspace, client_id=client_id))

    assert center(view, said_unknown).x() < center(view, opponent).x()
    assert center(view, no_stance).x() == pytest.approx(center(view, said_unknown).x())
    assert center(view, no_influence).y() > center(view, opponent).y()
    assert center(view, no_influence).x() == pytest.approx(center(view, opponent).x())
    labels = {getattr(item, "text", None) for item in view.scene().items()}
    assert {
        "Unknown stance",
        "Influence unknown",
        "High-influence opponents",
        "High-influence champions",
    } <= labels


def test_only_current_positions_are_placed(view, workspace, client_id):
    add_person(workspace, client_id, "Here Now", stance="neutral", influence=2)
    add_person(
        workspace,
        client_id,
        "Gone Away",
        stance="opponent",
        influence=5,
        started="2018-01-01",
        ended="2022-01-01",
    )

    view.set_people(people_at(workspace, client_id=client_id))

    assert view.dot_count() == 1
    assert [item.person.name for item in view.person_items()] == ["Here Now"]


def test_people_in_the_same_cell_spread_out_without_overlapping(view, workspace, client_id):
    crowd = [
        add_person(
            workspace,
            client_id,
            f"Maximiliane von Hohenzollern-Sigmaringen {i}",
            stance="sceptic",
            influence=4,
        )
        for i in range(15)
    ]
    lone = add_person(workspace, client_id, "Lone Sceptic", stance="sceptic", influence=3)

    view.set_people(people_at(workspace, client_id=client_id))

    rects = [view.item_for_contact(c).sceneBoundingRect() for c in [*crowd, lone]]
    assert not any(a.intersects(b) for a, b in combinations(rects, 2))
    # The crowd stays above the next row down.
    assert max(r.bottom() for r in rects[:-1]) < rects[-1].top()
    dot = view.item_for_contact(crowd[0])
    assert dot.shown_name().endswith("…")


def test_dot_size_follows_relationship_strength(view, workspace, client_id):
    strong = add_person(
        workspace,
        client_id,
        "Strong Tie",
        stance="supporter",
        influence=3,
        contact={"relationship_strength": 5},
    )
    weak = add_person(
        workspace,
        client_id,
        "Weak Tie",
        stance="supporter",
        influence=3,
        contact={"relationship_strength": 1},
    )
    unset = add_person(workspace, client_id, "Unknown Tie", stance="supporter", influence=3)

    view.set_people(people_at(workspace, client_id=client_id))

    sizes = {c: view.item_for_contact(c).dot_diameter() for c in (strong, weak, unset)}
    assert sizes[strong] > sizes[weak]
    assert "Relationship strength: 5 of 5" in view.item_for_contact(strong).toolTip()
    assert "Relationship strength" not in view.item_for_contact(unset).toolTip()


def test_clicking_a_dot_emits_the_contact_id(view, qtbot, workspace, client_id):
    target = add_person(workspace, client_id, "Click Me", stance="champion", influence=4)
    add_person(workspace, client_id, "Not Me", stance="opponent", influence=2)
    view.set_people(people_at(workspace, client_id=client_id))
    dot = view.item_for_contact(target)
    assert isinstance(dot, PersonDot)
    view.centerOn(dot)
    pos = view.mapFromScene(dot.sceneBoundingRect().topLeft() + dot.dot_center())

    with qtbot.waitSignal(view.sig_person_activated, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)

    assert blocker.args == [target]


def test_empty_state_is_shown_without_people(view, workspace, client_id):
    view.set_people([])

    assert view.is_empty() and view.empty_label.isVisible()
    assert "No people yet" in view.empty_message()
    assert view.dot_count() == 0

    add_person(workspace, client_id, "First Person")
    view.set_people(people_at(workspace, client_id=client_id))
    assert not view.is_empty() and view.dot_count() == 1


def test_export_png_keeps_the_map_proportions(view, tmp_path, workspace, client_id):
    add_person(workspace, client_id, "Someone", stance="neutral", influence=3)
    view.set_people(people_at(workspace, client_id=client_id))

    assert view.export_png(tmp_path / "map.png")

    image = QImage(str(tmp_path / "map.png"))
    scene = view.sceneRect()
    assert image.width() == pytest.approx(2 * scene.width(), abs=2)
    assert image.width() / image.height() == pytest.approx(scene.width() / scene.height(), rel=0.01)
