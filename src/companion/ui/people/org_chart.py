"""The org chart: who reports to whom at a client, painted as a top-down tree of person boxes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from companion.core.people import Person
from companion.ui.people.canvas import ChartView
from companion.ui.people.chart_items import (
    ChartLabel,
    ChartLegend,
    ChartTheme,
    PersonItem,
    draw_influence,
    draw_star,
    draw_warning,
)
from companion.ui.people.tree_layout import Point, Spacing, lay_out


@dataclass
class _Metrics:
    """Box size and the room inside a box, worked out from the fonts so text never spills out of it."""

    box_w: float
    box_h: float
    pad: float
    name_h: float
    title_h: float
    small_h: float
    stripe: float = 6.0
    dot: float = 7.0

    @classmethod
    def from_theme(cls, theme: ChartTheme) -> _Metrics:
        name_h = QFontMetricsF(theme.bold).height()
        title_h = QFontMetricsF(theme.font).height()
        small_h = QFontMetricsF(theme.small).height()
        pad = 8.0
        box_h = pad + name_h + 2 + title_h + 6 + max(small_h, 10) + pad
        box_w = max(220.0, QFontMetricsF(theme.font).averageCharWidth() * 33)
        return cls(
            box_w=box_w, box_h=math.ceil(box_h), pad=pad, name_h=name_h, title_h=title_h, small_h=small_h
        )

    @property
    def spacing(self) -> Spacing:
        """What the tree layout needs to know: the box size (the gaps between boxes are its own)."""
        return Spacing(box_w=self.box_w, box_h=self.box_h)


class PersonBox(PersonItem):
    """One position on the org chart: name, title, stance stripe, influence dots and markers."""

    Type = QGraphicsItem.UserType + 1

    def __init__(self, theme: ChartTheme, metrics: _Metrics, person: Person, tooltip: str, stance_text: str):
        super().__init__(theme, person, tooltip)
        self._m = metrics
        self._stance_text = stance_text
        self._rect = QRectF(0, 0, metrics.box_w, metrics.box_h)

    def type(self) -> int:
        return self.Type

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def _marker_count(self) -> int:
        return int(bool(self.person.position["role_model"])) + int(bool(self.person.contact["difficult"]))

    def _name_width(self) -> float:
        m = self._m
        markers = self._marker_count()
        return m.box_w - m.stripe - 2 * m.pad - (markers * 16 + (4 if markers else 0))

    def shown_name(self) -> str:
        """The name as drawn: elided to fit beside the markers."""
        return QFontMetricsF(self._theme.bold).elidedText(
            self.person.name, Qt.TextElideMode.ElideRight, self._name_width()
        )

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        t, m = self._theme, self._m
        selected, hovered = self._state()
        p, c = self.person.position, self.person.contact
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self._rect
        outline = QPainterPath()
        outline.addRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.fillPath(outline, t.card)
        painter.save()
        painter.setClipPath(outline)
        painter.fillRect(QRectF(0, 0, m.stripe, m.box_h), t.stance(p["stance"]))
        painter.restore()
        if selected:
            pen = QPen(t.highlight, 2.5)
        elif hovered:
            pen = QPen(t.hover, 1.5)
        else:
            pen = QPen(t.border, 1)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(outline)

        left = m.stripe + m.pad
        painter.setFont(t.bold)
        painter.setPen(t.text)
        name_rect = QRectF(left, m.pad, self._name_width(), m.name_h)
        painter.drawText(
            name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.shown_name()
        )
        marker_x = m.box_w - m.pad - 7
        marker_y = m.pad + m.name_h / 2
        if c["difficult"]:
            draw_warning(painter, QPointF(marker_x, marker_y), 7)
            marker_x -= 16
        if p["role_model"]:
            draw_star(painter, QPointF(marker_x, marker_y), 7.5)

        painter.setFont(t.font)
        painter.setPen(t.muted)
        title_width = m.box_w - left - m.pad
        title = QFontMetricsF(t.font).elidedText(
            str(p["title"] or ""), Qt.TextElideMode.ElideRight, title_width
        )
        title_rect = QRectF(left, m.pad + m.name_h + 2, title_width, m.title_h)
        painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title)

        row_h = max(m.small_h, 10)
        row_top = m.box_h - m.pad - row_h
        center_y = row_top + row_h / 2
        influence = p["influence"] if isinstance(p["influence"], int) else 0
        draw_influence(painter, t, left, center_y, influence, size=m.dot, gap=4)
        painter.setFont(t.small)
        painter.setPen(t.muted)
        stance_left = left + 5 * (m.dot + 4) + 8
        stance_rect = QRectF(stance_left, row_top, m.box_w - m.pad - stance_left, row_h)
        stance = QFontMetricsF(t.small).elidedText(
            self._stance_text, Qt.TextElideMode.ElideRight, stance_rect.width()
        )
        painter.drawText(
            stance_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), stance
        )


class Connector(QGraphicsPathItem):
    """An orthogonal line from a boss down to one of their reports."""

    Type = QGraphicsItem.UserType + 2

    def __init__(self, theme: ChartTheme, path: QPainterPath):
        super().__init__(path)
        self._theme = theme
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def type(self) -> int:
        return self.Type

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        # The pen is picked at paint time so a palette change recolours lines without a relayout.
        self.setPen(
            QPen(
                self._theme.line,
                1.3,
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.FlatCap,
                Qt.PenJoinStyle.MiterJoin,
            )
        )
        super().paint(painter, option, widget)


class OrgChartView(ChartView):
    """The reporting lines at one client, current positions only."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._focus = QPointF()
        self._boss_of: dict[str, str] = {}
        self._reports_of: dict[str, list[str]] = {}
        self.setAccessibleName(self.tr("Org chart"))

    def box_count(self) -> int:
        return sum(1 for item in self.scene().items() if item.type() == PersonBox.Type)

    def line_count(self) -> int:
        return sum(1 for item in self.scene().items() if item.type() == Connector.Type)

    def _neighbour(self, current: PersonItem, dx: int, dy: int, items: list[PersonItem]) -> PersonItem | None:
        # Up and down follow the reporting line rather than whatever box happens to be nearest.
        by_position = {item.position_id: item for item in items}
        if dy < 0 and current.position_id in self._boss_of:
            return by_position.get(self._boss_of[current.position_id])
        if dy > 0:
            reports = [
                by_position[pid]
                for pid in self._reports_of.get(current.position_id, [])
                if pid in by_position
            ]
            if reports:
                x = current.sceneBoundingRect().center().x()
                return min(reports, key=lambda item: abs(item.sceneBoundingRect().center().x() - x))
        if dx:
            top = current.sceneBoundingRect().top()
            row = [item for item in items if abs(item.sceneBoundingRect().top() - top) < 1]
            found = super()._neighbour(current, dx, dy, row)
            if found is not None:
                return found
        return super()._neighbour(current, dx, dy, items)

    def _focus_point(self) -> QPointF:
        # The layout picks it: the top of the first tree, where the most senior people are.
        return self._focus

    def _populate(self, people: list[Person]) -> str | None:
        self._boss_of, self._reports_of = {}, {}
        if not people:
            return self.tr("No people yet. Add a person and set who they report to to draw the chart.")
        current = [person for person in people if person.current]
        if not current:
            return self.tr(
                "Nobody holds a position here now. Turn on past roles in the table to see who did."
            )
        theme = self._theme
        m = _Metrics.from_theme(theme)
        spacing = m.spacing
        by_id = {person.position.id: person for person in current}
        # The layout knows positions by id only, in the order the boxes should come.
        links = []
        for person in current:
            target = person.position["reports_to_id"]
            links.append((person.position.id, str(target) if target else None))
        layout = lay_out(links, spacing, QFontMetricsF(theme.heading).height())
        self._reports_of = layout.forest.children
        self._boss_of = layout.forest.boss_of()
        self._focus = QPointF(layout.focus[0], layout.focus[1] - self.MARGIN)

        scene = self.scene()
        if layout.heading is not None:
            if layout.trees:
                heading = self.tr(
                    "Not linked to anyone yet: set who they report to to place them in the chart"
                )
            else:
                heading = self.tr(
                    "Nobody's reporting line is set yet: set who each person reports to to draw the tree"
                )
            h = layout.heading
            scene.addItem(ChartLabel(theme, QRectF(h.x, h.y, h.width, h.height), heading, style="bold"))

        placed = layout.placed
        for pid, spot in placed.items():
            person = by_id[pid]
            extra = (
                [self.tr("Reporting line loops back to them, so it is not drawn")]
                if pid in layout.forest.cut
                else []
            )
            box = PersonBox(
                theme,
                m,
                person,
                self.person_tooltip(person, extra),
                self.stance_label(person.position["stance"]),
            )
            box.setPos(spot.x - m.box_w / 2, spot.y)
            scene.addItem(box)
        for line in layout.lines:
            scene.addItem(Connector(theme, self._path(line)))
        lowest = max(spot.y for spot in placed.values()) + m.box_h
        legend = ChartLegend(
            theme,
            QPointF(min(spot.x for spot in placed.values()) - m.box_w / 2, lowest + spacing.v_gap),
            [
                ("influence", self.tr("Influence, of 5")),
                ("stripe", self.tr("Colour: stance toward us")),
                ("star", self.tr("Culture role model")),
                ("warning", self.tr("Difficult person")),
            ],
        )
        scene.addItem(legend)
        return None

    @staticmethod
    def _path(points: list[Point]) -> QPainterPath:
        """The layout's polyline as a path a connector can stroke."""
        (x, y), *rest = points
        path = QPainterPath(QPointF(x, y))
        for x, y in rest:
            path.lineTo(x, y)
        return path
