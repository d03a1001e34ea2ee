"""The org chart as a picture for paper (induction packs): drawn by the app's own chart, in light colours."""

from __future__ import annotations

import dataclasses
import sys

from companion.core.people import Person


def org_chart_png(people: list[Person]) -> bytes | None:
    """A PNG of the chart of these positions, or None when it would be empty. Needs no screen."""
    from PySide6.QtWidgets import QApplication

    from companion.ui.common import theme
    from companion.ui.people.org_chart import OrgChartView

    if QApplication.instance() is None:
        QApplication([sys.argv[0] if sys.argv else "companion", "-platform", "offscreen"])
    view = OrgChartView()
    view.setPalette(theme.palette(theme.LIGHT))  # paper is white whatever the screen's scheme
    view.resize(1200, 800)
    view.set_people(people)
    data = view.png_bytes()  # in memory: a pack's picture never touches the disk on its own
    view.deleteLater()
    return data


def without_candid(people: list[Person]) -> list[Person]:
    """The people as a pack without candid assessments shows them: no stance, no influence."""
    plain = []
    for person in people:
        values = {**person.position.values, "stance": None, "influence": None}
        plain.append(
            dataclasses.replace(person, position=dataclasses.replace(person.position, values=values))
        )
    return plain


def pack_images(people: list[Person], *, candid: bool) -> dict[str, bytes]:
    """The pictures an induction pack names, by name: the org chart of the people holding roles now,
    with stance and influence only in a candid pack."""
    from companion.core.pack import ORG_CHART_IMAGE

    current = [p for p in people if p.current]
    chart = org_chart_png(current if candid else without_candid(current))
    return {ORG_CHART_IMAGE: chart} if chart else {}
