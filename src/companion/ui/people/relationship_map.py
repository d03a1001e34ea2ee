"""The relationship map: each current person placed by stance toward us (across) and influence (up)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from companion.core.people import Person
from companion.ui.people.canvas import ChartView
from companion.ui.people.chart_items import (
    ChartLabel,
    ChartLegend,
    ChartTheme,
    PersonItem,
    draw_star,
    draw_warning,
)

STANCE_COLUMNS = ("opponent", "sceptic", "neutral", "supporter", "champion")
# "unknown" is its own column at the left, apart from the scale, so it is never mistaken for neutral.
COLUMNS = ("unknown", *STANCE_COLUMNS)
# Influence from the top down; 0 is the band for people whose influence is not set.
ROWS = (5, 4, 3, 2, 1, 0)
# The corners that matter most: powerful people against us, and powerful people for us.
AGAINST = ("opponent", "sceptic")
FOR = ("supporter", "champion")
HIGH = (5, 4)


class _Layout:
    """Sizes of the map, worked out from the fonts and from how many people share a cell."""

    DOT_MAX = 23.0
    ENTRY_MIN = 120.0
    PER_COLUMN = 6
    CELL_PAD = 8.0
    SEPARATION = 22.0

    def __init__(
        self,
        theme: ChartTheme,
        cells: dict[tuple[str, int], list[Person]],
        headers: dict[str, str],
        row_labels: dict[int, str],
    ):
        text = QFontMetricsF(theme.font)
        self.entry_h = math.ceil(max(self.DOT_MAX, text.height()) + 5)
        # As wide as the longest name here needs (with its dot and markers), so the map fits a
        # laptop's view at a readable size; never wider than a long name's usual room.
        needed = max(
            (
                text.horizontalAdvance(p.name)
                + 15 * (bool(p.position["role_model"]) + bool(p.contact["difficult"]))
                for people in cells.values()
                for p in people
            ),
            default=0.0,
        )
        self.entry_w = min(
            max(196.0, text.averageCharWidth() * 29), max(self.ENTRY_MIN, needed + self.DOT_MAX + 22)
        )
        self.header_h = math.ceil(QFontMetricsF(theme.bold).height() + 18)
        self.caption_h = math.ceil(QFontMetricsF(theme.small).height() + 8)
        self.axis_w = math.ceil(QFontMetricsF(theme.bold).height() + 12)
        # Room for the longest row label on two lines.
        self.row_label_w = max(
            96.0, *(text.horizontalAdvance(label) / 1.6 + 16 for label in row_labels.values())
        )
        # Crowded columns get more sub-columns so a busy cell grows sideways as well as down.
        self.sub_columns = {
            column: max(1, *(math.ceil(len(cells.get((column, row), [])) / self.PER_COLUMN) for row in ROWS))
            for column in COLUMNS
        }
        # An empty column only needs room for its heading, which keeps the map readable on a laptop.
        bold = QFontMetricsF(theme.bold)
        self.col_w = {}
        for column in COLUMNS:
            if any(cells.get((column, row)) for row in ROWS):
                self.col_w[column] = self.sub_columns[column] * self.entry_w + 2 * self.CELL_PAD
            else:
                self.col_w[column] = max(self.entry_w * 0.6, bold.horizontalAdvance(headers[column]) + 40)
        self.row_h: dict[int, float] = {}
        for row in ROWS:
            tallest = max(
                math.ceil(len(cells.get((column, row), [])) / self.sub_columns[column]) for column in COLUMNS
            )
            height = max(2 * self.entry_h, tallest * self.entry_h) + 2 * self.CELL_PAD
            self.row_h[row] = height + (self.caption_h if row == HIGH[0] else 0)
        self.col_x: dict[str, float] = {}
        x = self.axis_w + self.row_label_w
        for column in COLUMNS:
            self.col_x[column] = x
            x += self.col_w[column] + (self.SEPARATION if column == "unknown" else 0)
        self.right = x
        self.row_y: dict[int, float] = {}
        y = float(self.header_h)
        for row in ROWS:
            if row == 0:
                y += self.SEPARATION
            self.row_y[row] = y
            y += self.row_h[row]
        self.bottom = y

    def cell(self, column: str, row: int) -> QRectF:
        return QRectF(self.col_x[column], self.row_y[row], self.col_w[column], self.row_h[row])

    def span(self, columns: tuple[str, ...], rows: tuple[int, ...]) -> QRectF:
        rect = QRectF()
        for column in columns:
            for row in rows:
                rect = rect.united(self.cell(column, row))
        return rect


class _MapGrid(QGraphicsItem):
    """The cells of the map, with the two high-influence corners tinted."""

    def __init__(self, theme: ChartTheme, layout: _Layout):
        super().__init__()
        self._theme = theme
        self._layout = layout
        self.setZValue(-10)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._layout.span(COLUMNS, ROWS).adjusted(-1, -1, 1, 1)

    @staticmethod
    def tint(theme: ChartTheme, stance: str) -> QColor:
        color = theme.stance(stance)
        color.setAlpha(44 if theme.dark else 34)
        return color

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        t, lay = self._theme, self._layout
        # Cells for unknown stance or influence are set back a little: they are outside the scale.
        aside = QColor(t.card)
        aside = aside.darker(108) if not t.dark else aside.darker(118)
        painter.setPen(Qt.PenStyle.NoPen)
        for column in COLUMNS:
            for row in ROWS:
                painter.setBrush(aside if column == "unknown" or row == 0 else t.card)
                painter.drawRect(lay.cell(column, row))
        painter.setBrush(self.tint(t, "opponent"))
        painter.drawRect(lay.span(AGAINST, HIGH))
        painter.setBrush(self.tint(t, "champion"))
        painter.drawRect(lay.span(FOR, HIGH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(t.grid, 1))
        for column in COLUMNS:
            for row in ROWS:
                painter.drawRect(lay.cell(column, row))
        # A firmer line between the "against us" and "for us" halves of the scale.
        painter.setPen(QPen(t.border, 1))
        for groups in (
            (STANCE_COLUMNS, ROWS[:-1]),
            (STANCE_COLUMNS, (0,)),
            (("unknown",), ROWS[:-1]),
            (("unknown",), (0,)),
        ):
            painter.drawRect(lay.span(*groups))


class PersonDot(PersonItem):
    """One person on the map: a dot sized by relationship strength, coloured by stance, with their name."""

    Type = QGraphicsItem.UserType + 11

    def __init__(self, theme: ChartTheme, layout: _Layout, person: Person, tooltip: str):
        super().__init__(theme, person, tooltip)
        self._rect = QRectF(0, 0, layout.entry_w - 6, layout.entry_h - 3)
        self._dot_max = layout.DOT_MAX

    def type(self) -> int:
        return self.Type

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def dot_center(self) -> QPointF:
        return QPointF(3 + self._dot_max / 2, self._rect.height() / 2)

    def dot_diameter(self) -> float:
        strength = self.person.contact["relationship_strength"]
        return 8.0 + 3.0 * strength if isinstance(strength, int) else 11.0

    def _marker_count(self) -> int:
        return int(bool(self.person.position["role_model"])) + int(bool(self.person.contact["difficult"]))

    def shown_name(self) -> str:
        metrics = QFontMetricsF(self._theme.font)
        width = self._text_left_width()[1] - self._marker_count() * 15
        return metrics.elidedText(self.person.name, Qt.TextElideMode.ElideRight, width)

    def _text_left_width(self) -> tuple[float, float]:
        left = 3 + self._dot_max + 6
        return left, self._rect.width() - left - 3

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        t = self._theme
        selected, hovered = self._state()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected or hovered:
            back = QColor(t.highlight)
            back.setAlpha(70 if selected else 30)
            painter.setPen(QPen(t.highlight, 1.5) if selected else Qt.PenStyle.NoPen)
            painter.setBrush(back)
            painter.drawRoundedRect(self._rect.adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
        color = t.stance(self.person.position["stance"])
        size = self.dot_diameter()
        center = self.dot_center()
        dot = QRectF(center.x() - size / 2, center.y() - size / 2, size, size)
        if isinstance(self.person.contact["relationship_strength"], int):
            painter.setPen(QPen(color.darker(140), 1))
            painter.setBrush(color)
        else:
            # A ring: strength not set, which is itself worth noticing.
            painter.setPen(QPen(color, 2.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            dot = dot.adjusted(1.1, 1.1, -1.1, -1.1)
        painter.drawEllipse(dot)
        left, _width = self._text_left_width()
        painter.setFont(t.font)
        painter.setPen(t.text)
        name = self.shown_name()
        text_rect = QRectF(left, 0, self._rect.width() - left, self._rect.height())
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name)
        marker_x = left + QFontMetricsF(t.font).horizontalAdvance(name) + 10
        if self.person.position["role_model"]:
            draw_star(painter, QPointF(marker_x, center.y()), 6)
            marker_x += 15
        if self.person.contact["difficult"]:
            draw_warning(painter, QPointF(marker_x, center.y()), 6)


class RelationshipMapView(ChartView):
    """Where each current person stands toward us and how much they sway decisions."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Relationship map"))

    def _focus_point(self) -> QPointF:
        # A map too big to fit opens at its top left, where the axis labels are.
        rect = self.sceneRect()
        return QPointF(rect.left() + self.viewport().width() / (2 * self.zoom()), rect.top())

    def dot_count(self) -> int:
        return sum(1 for item in self.scene().items() if item.type() == PersonDot.Type)

    def _populate(self, people: list[Person]) -> str | None:
        if not people:
            return self.tr(
                "No people yet. Add a person and set their stance and influence to place them on the map."
            )
        current = [person for person in people if person.current]
        if not current:
            return self.tr(
                "Nobody holds a position here now. Turn on past roles in the table to see who did."
            )
        theme = self._theme
        cells: dict[tuple[str, int], list[Person]] = {}
        for person in current:
            stance = person.position["stance"]
            influence = person.position["influence"]
            column = stance if stance in STANCE_COLUMNS else "unknown"
            row = influence if influence in ROWS and influence else 0
            cells.setdefault((column, row), []).append(person)
        lay = _Layout(theme, cells, self._headers(), self._row_labels())
        scene = self.scene()
        scene.addItem(_MapGrid(theme, lay))
        self._add_labels(lay)
        for (column, row), members in cells.items():
            members.sort(key=lambda person: person.name.casefold())
            cell = lay.cell(column, row)
            top = cell.top() + (lay.caption_h if row == HIGH[0] else 0)
            height = cell.bottom() - top
            per_column = math.ceil(len(members) / lay.sub_columns[column])
            # Centred in the cell so a lone person does not look pinned to a corner.
            start = top + (height - per_column * lay.entry_h) / 2
            for i, person in enumerate(members):
                sub, index = divmod(i, per_column)
                dot = PersonDot(theme, lay, person, self.person_tooltip(person))
                dot.setPos(cell.left() + lay.CELL_PAD + sub * lay.entry_w, start + index * lay.entry_h + 1.5)
                dot.setZValue(5)
                scene.addItem(dot)
        return None

    def _headers(self) -> dict[str, str]:
        headers = {column: self.stance_label(column) for column in STANCE_COLUMNS}
        headers["unknown"] = self.tr("Unknown stance")
        return headers

    def _row_labels(self) -> dict[int, str]:
        return {
            5: self.tr("5 · high"),
            4: self.tr("4"),
            3: self.tr("3"),
            2: self.tr("2"),
            1: self.tr("1 · low"),
            0: self.tr("Influence unknown"),
        }

    def _add_labels(self, lay: _Layout) -> None:
        theme = self._theme
        scene = self.scene()
        center = Qt.AlignmentFlag.AlignCenter
        headers = self._headers()
        for column in COLUMNS:
            rect = QRectF(lay.col_x[column], 0, lay.col_w[column], lay.header_h)
            text = headers[column]
            scene.addItem(
                ChartLabel(theme, rect, text, style="bold", flags=center, bullet=theme.stance(column))
            )
        row_labels = self._row_labels()
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row in ROWS:
            rect = QRectF(lay.axis_w, lay.row_y[row], lay.row_label_w - 10, lay.row_h[row])
            scene.addItem(ChartLabel(theme, rect, row_labels[row], style="text", flags=right, wrap=True))
        # The influence axis title runs up the left side of the scale (rows 5 to 1).
        scale_top = lay.row_y[5]
        scale_height = lay.row_y[1] + lay.row_h[1] - scale_top
        axis = ChartLabel(
            theme, QRectF(0, 0, scale_height, lay.axis_w), self.tr("Influence ↑"), style="bold", flags=center
        )
        axis.setRotation(-90)
        axis.setPos(0, scale_top + scale_height)
        scene.addItem(axis)
        stance_left = lay.col_x[STANCE_COLUMNS[0]]
        below = lay.bottom + 6
        scene.addItem(
            ChartLabel(
                theme,
                QRectF(stance_left, below, lay.right - stance_left, lay.header_h - 10),
                self.tr("Against us  ←  Stance toward us  →  For us"),
                style="bold",
                flags=center,
            )
        )
        for stance, columns, caption in (
            ("opponent", AGAINST, self.tr("High-influence opponents")),
            ("champion", FOR, self.tr("High-influence champions")),
        ):
            area = lay.span(columns, HIGH)
            color = theme.stance(stance)
            rect = QRectF(area.left() + 10, area.top() + 4, area.width() - 20, lay.caption_h - 4)
            scene.addItem(ChartLabel(theme, rect, caption, style="small_bold", color=color))
        legend = ChartLegend(
            theme,
            QPointF(lay.axis_w, below + lay.header_h),
            [
                ("sizes", self.tr("Dot size: relationship strength")),
                ("ring", self.tr("Strength not set")),
                ("star", self.tr("Culture role model")),
                ("warning", self.tr("Difficult person")),
            ],
        )
        scene.addItem(legend)
