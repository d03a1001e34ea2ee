"""The org chart: tree layout from reporting lines, clicks, keyboard, zoom, export and the empty state."""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication

from companion.core.changes import Edit
from companion.core.people import people_at
from companion.model.ids import new_id
from companion.ui.people.org_chart import Connector, OrgChartView, PersonBox


def add_person(workspace, client_id, name, *, boss=None, contact=None, **position):
    """Creates a contact and their position at the client; returns (contact id, position id)."""
    contact_id = workspace.create(kind="contact", values={"name": name, **(contact or {})}).created_id
    values = {"contact_id": contact_id, "client_id": client_id, "title": position.pop("title", "Manager")}
    if boss:
        values["reports_to_id"] = boss
    values.update(position)
    return contact_id, workspace.create(kind="position", values=values).created_id


@pytest.fixture
def view(qtbot):
    chart = OrgChartView()
    qtbot.addWidget(chart)
    chart.resize(900, 600)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


@pytest.fixture
def company(workspace, client_id):
    """A CEO with two directors, each with two reports: contact ids by role."""
    ids = {}
    ids["ceo"], ceo = add_person(
        workspace, client_id, "Ingrid Halvorsen", title="CEO", influence=5, stance="champion"
    )
    for d in ("a", "b"):
        ids[f"dir_{d}"], director = add_person(workspace, client_id, f"Director {d.upper()}", boss=ceo)
        for r in (1, 2):
            ids[f"rep_{d}{r}"], _ = add_person(workspace, client_id, f"Report {d.upper()}{r}", boss=director)
    return ids


def box_rects(view):
    return {
        item.contact_id: item.sceneBoundingRect()
        for item in view.scene().items()
        if isinstance(item, PersonBox)
    }


def test_a_ceo_with_two_directors_each_with_two_reports_gives_seven_boxes_and_six_lines(
    view, workspace, client_id, company
):
    view.set_people(people_at(workspace, client_id=client_id))

    assert view.box_count() == 7
    assert view.line_count() == 6
    assert not view.is_empty()
    rects = box_rects(view)
    ceo, dir_a, dir_b = rects[company["ceo"]], rects[company["dir_a"]], rects[company["dir_b"]]
    # Top-down: each level below its boss, and the boss centred over its reports.
    assert ceo.bottom() < dir_a.top() and dir_a.top() == dir_b.top()
    assert rects[company["rep_a1"]].top() > dir_a.bottom()
    assert ceo.center().x() == pytest.approx((dir_a.center().x() + dir_b.center().x()) / 2)
    assert dir_a.center().x() == pytest.approx(
        (rects[company["rep_a1"]].center().x() + rects[company["rep_a2"]].center().x()) / 2
    )


def test_boxes_never_overlap_and_lines_join_boss_to_report(view, workspace, client_id, company):
    view.set_people(people_at(workspace, client_id=client_id))

    rects = list(box_rects(view).values())
    assert not any(a.intersects(b) for a, b in combinations(rects, 2))
    lines = [item for item in view.scene().items() if isinstance(item, Connector)]
    for line in lines:
        path = line.path()
        start, end = path.elementAt(0), path.elementAt(path.elementCount() - 1)
        # Each line leaves the bottom of one box and reaches the top of another.
        assert any(abs(r.bottom() - 2 - start.y) < 1 and r.left() < start.x < r.right() for r in rects)
        assert any(abs(r.top() + 2 - end.y) < 1 and r.left() < end.x < r.right() for r in rects)


def test_an_ended_position_is_not_drawn_and_its_reports_become_roots(view, workspace, client_id):
    _, ceo = add_person(workspace, client_id, "Current CEO")
    _, old = add_person(
        workspace, client_id, "Former CIO", boss=ceo, started="2019-01-01", ended="2023-06-30"
    )
    report, _ = add_person(workspace, client_id, "Orphaned Analyst", boss=old)
    add_person(workspace, client_id, "Analyst Two", boss=old)

    view.set_people(people_at(workspace, client_id=client_id))

    names = {item.person.name for item in view.person_items()}
    assert names == {"Current CEO", "Orphaned Analyst", "Analyst Two"}
    assert view.box_count() == 3
    assert view.line_count() == 0
    assert view.item_for_contact(report) is not None


def test_a_reporting_loop_is_broken_rather_than_hanging(view, workspace, client_id):
    _, a = add_person(workspace, client_id, "Anna Loop")
    _, b = add_person(workspace, client_id, "Bjorn Loop", boss=a)
    _, c = add_person(workspace, client_id, "Cecilie Loop", boss=b)
    # The services refuse a loop, but two laptops editing offline can still merge into one:
    # write it as a sync would arrive, below the services.
    with workspace.db.writing() as conn:
        conn.exec_driver_sql("UPDATE position SET reports_to_id = ? WHERE id = ?", (c, a))
    add_person(workspace, client_id, "Dag Under The Loop", boss=c)

    view.set_people(people_at(workspace, client_id=client_id))

    assert view.box_count() == 4
    # Three links of the loop minus the one cut, plus Dag's.
    assert view.line_count() == 3
    cut = [item for item in view.person_items() if "loops back" in item.toolTip()]
    assert [item.person.name for item in cut] == ["Anna Loop"]


def test_clicking_a_box_emits_the_contact_id(view, qtbot, workspace, client_id, company):
    view.set_people(people_at(workspace, client_id=client_id))
    box = view.item_for_contact(company["dir_b"])
    view.centerOn(box)
    pos = view.mapFromScene(box.sceneBoundingRect().center())

    with qtbot.waitSignal(view.sig_person_activated, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)

    assert blocker.args == [company["dir_b"]]
    assert box.isSelected()


def test_clicking_the_background_emits_nothing(view, qtbot, workspace, client_id, company):
    view.set_people(people_at(workspace, client_id=client_id))
    corner = view.mapFromScene(view.sceneRect().topLeft() + QPointF(3, 3))

    with qtbot.assertNotEmitted(view.sig_person_activated):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=corner)


def test_enter_on_a_selected_box_emits_and_arrows_move_the_selection(
    view, qtbot, workspace, client_id, company
):
    view.set_people(people_at(workspace, client_id=client_id))
    view.setFocus()

    view.select_contact(company["ceo"])
    qtbot.keyClick(view, Qt.Key.Key_Down)
    selected = [item.contact_id for item in view.person_items() if item.isSelected()]
    assert selected in ([company["dir_a"]], [company["dir_b"]])

    with qtbot.waitSignal(view.sig_person_activated, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == selected

    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert [item.contact_id for item in view.person_items() if item.isSelected()] == [company["ceo"]]


def test_long_names_and_titles_are_elided_inside_the_box(view, workspace, client_id):
    name = "Maximiliane von Hohenzollern-Sigmaringen-Wittelsbach"
    contact_id, _ = add_person(
        workspace,
        client_id,
        name,
        title="Head of Digital Transformation and Enterprise Architecture",
        role_model=True,
        contact={"difficult": True},
    )
    view.set_people(people_at(workspace, client_id=client_id))

    box = view.item_for_contact(contact_id)
    shown = box.shown_name()
    assert shown != name and shown.endswith("…")
    assert name in box.toolTip()
    assert "Culture role model" in box.toolTip() and "Difficult person" in box.toolTip()


def test_many_people_lay_out_without_overlaps(view, workspace, client_id):
    # 300 people in one transaction: a CEO, 6 directors, 6 managers each, and the rest spread under them.
    edits, positions = [], []

    def person(name, boss):
        contact_id, position_id = new_id(), new_id()
        edits.append(Edit("create", "contact", contact_id, {"name": name}))
        values = {"contact_id": contact_id, "client_id": client_id, "title": "Role"}
        if boss:
            values["reports_to_id"] = boss
        edits.append(Edit("create", "position", position_id, values))
        positions.append(position_id)
        return position_id

    ceo = person("Chief", None)
    managers = []
    for d in range(6):
        director = person(f"Director {d}", ceo)
        managers += [person(f"Manager {d}.{m}", director) for m in range(6)]
    for i in range(300 - len(positions)):
        # Some managers get one or two reports (a row), some many (stacked in columns).
        person(f"Staff {i}", managers[(i * 7) % len(managers)] if i % 5 else managers[i % 4])
    workspace.apply(edits=edits)

    view.set_people(people_at(workspace, client_id=client_id))

    assert view.box_count() == 300
    assert view.line_count() == 299
    rects = sorted(box_rects(view).values(), key=lambda r: r.left())
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            if b.left() > a.right():
                break
            assert not a.intersects(b)


def test_empty_state_is_shown_without_people(view, workspace, client_id):
    view.set_people([])

    assert view.is_empty()
    assert "No people yet" in view.empty_message()
    assert view.empty_label.isVisible()
    assert view.box_count() == 0

    add_person(workspace, client_id, "First Person")
    view.set_people(people_at(workspace, client_id=client_id))
    assert not view.is_empty() and not view.empty_label.isVisible()
    assert view.box_count() == 1


def test_only_past_positions_show_an_empty_state_that_says_so(view, workspace, client_id):
    add_person(workspace, client_id, "Long Gone", started="2010-01-01", ended="2015-01-01")

    view.set_people(people_at(workspace, client_id=client_id))

    assert view.is_empty()
    assert "Nobody holds a position here now" in view.empty_message()


def test_export_png_writes_the_whole_chart_at_twice_its_size(view, tmp_path, workspace, client_id, company):
    view.set_people(people_at(workspace, client_id=client_id))
    path = tmp_path / "chart.png"

    assert view.export_png(path)

    image = QImage(str(path))
    assert not image.isNull() and path.stat().st_size > 1000
    scene = view.sceneRect()
    assert image.width() == pytest.approx(2 * scene.width(), abs=2)
    assert image.width() / image.height() == pytest.approx(scene.width() / scene.height(), rel=0.01)
    # The background is painted, not left transparent.
    assert image.pixelColor(1, 1).alpha() == 255


def test_export_png_without_people_writes_nothing(view, tmp_path):
    view.set_people([])
    assert not view.export_png(tmp_path / "empty.png")
    assert not (tmp_path / "empty.png").exists()


def test_zoom_in_out_fit_and_control_wheel(view, workspace, client_id, company):
    view.set_people(people_at(workspace, client_id=client_id))
    start = view.zoom()

    view.zoom_in()
    assert view.zoom() > start
    view.zoom_out()
    view.zoom_out()
    assert view.zoom() < start

    view.fit()
    shown = view.mapFromScene(view.sceneRect()).boundingRect()
    assert view.viewport().rect().adjusted(-2, -2, 2, 2).contains(shown)

    before = view.zoom()
    center = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        center,
        view.viewport().mapToGlobal(center),
        QPoint(),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom() > before


def test_colours_follow_the_palette(view, workspace, client_id, company):
    view.set_people(people_at(workspace, client_id=client_id))
    # A light palette of its own first: an earlier test in this process may have left the app in dark mode.
    bright = QPalette(view.palette())
    bright.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    bright.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    bright.setColor(QPalette.ColorRole.Text, QColor("#1e1e1e"))
    view.setPalette(bright)
    light = view.backgroundBrush().color()
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#2d2d30"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))

    view.setPalette(dark)

    assert view.backgroundBrush().color().lightness() < 60 < light.lightness()


def test_a_refresh_after_an_edit_keeps_the_zoom_but_another_client_starts_fresh(
    view, workspace, client_id, company
):
    view.set_people(people_at(workspace, client_id=client_id))
    initial = view.zoom()
    view.zoom_in()
    view.zoom_in()
    zoomed = view.zoom()

    add_person(workspace, client_id, "New Hire")
    view.set_people(people_at(workspace, client_id=client_id))
    assert view.zoom() == pytest.approx(zoomed)
    assert view.box_count() == 8

    other = workspace.create(kind="client", values={"name": "Other Client"}).created_id
    add_person(workspace, other, "Somebody Else")
    view.set_people(people_at(workspace, client_id=other))
    assert view.zoom() != pytest.approx(zoomed)
    view.set_people(people_at(workspace, client_id=client_id))
    assert view.zoom() == pytest.approx(initial)
