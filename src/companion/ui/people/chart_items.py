"""What both people charts draw with: their theme (light and dark), labels, the legend, a person's item and its markers."""

from __future__ import annotations

import math
from typing import ClassVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from companion.core.people import Person
from companion.model.kinds import STANCES
from companion.ui.common import theme as app_theme

ROLE_MODEL_COLOR = "#f0b400"
DIFFICULT_COLOR = "#e8590c"


def blend(a: QColor, b: QColor, share_of_a: float) -> QColor:
    """`a` mixed into `b`: the way to derive muted colours that follow any palette."""
    t = max(0.0, min(1.0, share_of_a))
    return QColor.fromRgbF(
        a.redF() * t + b.redF() * (1 - t),
        a.greenF() * t + b.greenF() * (1 - t),
        a.blueF() * t + b.blueF() * (1 - t),
    )


def _scaled(font: QFont, factor: float) -> QFont:
    """The font at a relative size, whether it was given in points or in pixels."""
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(max(7.0, font.pointSizeF() * factor))
    else:
        scaled.setPixelSize(max(9, round(font.pixelSize() * factor)))
    return scaled


class ChartTheme:
    """Colours and fonts the chart items paint with, derived from the view's palette and font."""

    def __init__(self, palette: QPalette, font: QFont):
        self.exporting = False
        self.update(palette, font)

    def update(self, palette: QPalette, font: QFont) -> None:
        window = palette.color(QPalette.ColorRole.Window)
        base = palette.color(QPalette.ColorRole.Base)
        lower, upper = sorted((window, base), key=QColor.lightness)
        self.dark = window.lightness() < 128
        # The app's stance colours come in a light and a dark set; the palette says which one applies.
        self.scheme = app_theme.DARK if self.dark else app_theme.LIGHT
        # Cards always sit a step lighter than the canvas so they look raised in light and dark themes.
        if upper.lightness() - lower.lightness() < 10:
            upper = upper.lighter(135) if self.dark else upper
            lower = lower if self.dark else lower.darker(106)
        self.background = lower
        self.card = upper
        self.text = palette.color(QPalette.ColorRole.Text)
        self.muted = blend(self.text, self.card, 0.62)
        self.faint = blend(self.text, self.background, 0.6)
        self.border = blend(self.text, self.card, 0.28)
        self.line = blend(self.text, self.background, 0.45)
        self.grid = blend(self.text, self.background, 0.16)
        self.highlight = palette.color(QPalette.ColorRole.Highlight)
        self.hover = blend(self.highlight, self.border, 0.6)
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.small = _scaled(font, 0.85)
        self.small_bold = QFont(self.small)
        self.small_bold.setBold(True)
        self.heading = _scaled(font, 1.1)
        self.heading.setBold(True)

    def stance(self, stance: object) -> QColor:
        """The colour of a stance (unset counts as unknown), the same as elsewhere in the app."""
        return app_theme.stance_color(stance if stance in STANCES else None, self.scheme)


class ChartLabel(QGraphicsItem):
    """Static text placed in a rectangle of the scene, painted in the theme's colours."""

    Type = QGraphicsItem.UserType + 3

    def __init__(
        self,
        theme: ChartTheme,
        rect: QRectF,
        text: str,
        *,
        style: str = "muted",
        flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        color: QColor | None = None,
        bullet: QColor | None = None,
        wrap: bool = False,
    ):
        super().__init__()
        self._theme = theme
        self._rect = QRectF(rect)
        self.text = text
        self._style = style
        self._flags = flags
        self._color = color
        self._bullet = bullet
        self._wrap = wrap

    def type(self) -> int:
        return self.Type

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        t = self._theme
        fonts = {"heading": t.heading, "bold": t.bold, "small": t.small, "small_bold": t.small_bold}
        font = fonts.get(self._style, t.font)
        painter.setFont(font)
        rect = QRectF(self._rect)
        if self._bullet is not None:
            size = QFontMetricsF(font).height() * 0.55
            width = QFontMetricsF(font).horizontalAdvance(self.text) + size + 6
            left = rect.left()
            if self._flags & Qt.AlignmentFlag.AlignHCenter:
                left = rect.center().x() - width / 2
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._bullet)
            painter.drawEllipse(QRectF(left, rect.center().y() - size / 2, size, size))
            rect = QRectF(left + size + 6, rect.top(), width - size - 6 + 1, rect.height())
            flags = (self._flags & ~Qt.AlignmentFlag.AlignHCenter) | Qt.AlignmentFlag.AlignLeft
        else:
            flags = self._flags
        painter.setPen(self._color or (t.faint if self._style in ("muted", "small") else t.text))
        if self._wrap:
            painter.drawText(rect, int(flags | Qt.TextFlag.TextWordWrap), self.text)
        else:
            metrics = QFontMetricsF(font)
            shown = metrics.elidedText(self.text, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(rect, int(flags), shown)


class ChartLegend(QGraphicsItem):
    """A row of symbols with what they mean, painted in the theme's colours."""

    ICON_WIDTHS: ClassVar[dict[str, float]] = {"sizes": 58.0, "influence": 44.0, "stripe": 40.0}
    SPACING = 26.0

    def __init__(self, theme: ChartTheme, top_left: QPointF, entries: list[tuple[str, str]]):
        super().__init__()
        self._theme = theme
        self._entries = entries
        self.setPos(top_left)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        metrics = QFontMetricsF(theme.small)
        self._height = max(metrics.height(), 24.0)
        self._width = sum(
            self._icon_width(kind) + 6 + metrics.horizontalAdvance(text) + self.SPACING
            for kind, text in entries
        )

    def _icon_width(self, kind: str) -> float:
        return self.ICON_WIDTHS.get(kind, 16.0)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._width, self._height)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        t = self._theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(t.small)
        metrics = QFontMetricsF(t.small)
        x = 0.0
        for kind, text in self._entries:
            self._paint_icon(painter, kind, QRectF(x, 0, self._icon_width(kind), self._height))
            x += self._icon_width(kind) + 6
            width = metrics.horizontalAdvance(text)
            painter.setPen(t.faint)
            text_rect = QRectF(x, 0, width + 2, self._height)
            painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
            x += width + self.SPACING

    def _paint_icon(self, painter: QPainter, kind: str, rect: QRectF) -> None:
        t = self._theme
        cy = rect.center().y()
        grey = t.stance("unknown")
        if kind == "sizes":
            x = rect.left()
            for strength in (1, 3, 5):
                d = 8.0 + 3.0 * strength
                painter.setPen(QPen(grey.darker(140), 1))
                painter.setBrush(grey)
                painter.drawEllipse(QRectF(x, cy - d / 2, d, d))
                x += d + 2
        elif kind == "ring":
            painter.setPen(QPen(grey, 2.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(rect.center().x(), cy), 4.4, 4.4)
        elif kind == "star":
            draw_star(painter, QPointF(rect.center().x(), cy), 6.5)
        elif kind == "warning":
            draw_warning(painter, QPointF(rect.center().x(), cy), 6.5)
        elif kind == "influence":
            draw_influence(painter, t, rect.left(), cy, 3, size=7, gap=2)
        elif kind == "stripe":
            painter.setPen(Qt.PenStyle.NoPen)
            for i, stance in enumerate(STANCES):
                painter.setBrush(t.stance(stance))
                painter.drawRect(QRectF(rect.left() + i * 7, cy - 7, 5, 14))


class PersonItem(QGraphicsItem):
    """Something on a chart that stands for one person: selectable, clickable, with a tooltip."""

    def __init__(self, theme: ChartTheme, person: Person, tooltip: str):
        super().__init__()
        self._theme = theme
        self.person = person
        self.contact_id = person.contact.id
        self.position_id = person.position.id
        self._hovered = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(tooltip)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = False
        self.update()
        super().hoverLeaveEvent(event)

    def _state(self) -> tuple[bool, bool]:
        """(selected, hovered), both off while exporting so the picture shows no transient state."""
        if self._theme.exporting:
            return False, False
        return self.isSelected(), self._hovered


def draw_influence(
    painter: QPainter,
    theme: ChartTheme,
    left: float,
    center_y: float,
    filled: int,
    *,
    size: float,
    gap: float,
) -> None:
    """Influence as five dots from `left`, the first `filled` of them solid, the rest rings."""
    for i in range(5):
        dot = QRectF(left + i * (size + gap), center_y - size / 2, size, size)
        if i < filled:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.text)
        else:
            painter.setPen(QPen(theme.faint, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(dot.adjusted(0.5, 0.5, -0.5, -0.5))


def draw_star(painter: QPainter, center: QPointF, radius: float) -> None:
    """The culture role model marker."""
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.45
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(QPointF(center.x() + r * math.cos(angle), center.y() + r * math.sin(angle)))
    painter.setPen(QPen(QColor(ROLE_MODEL_COLOR).darker(135), 1))
    painter.setBrush(QColor(ROLE_MODEL_COLOR))
    painter.drawPolygon(QPolygonF(points))


def draw_warning(painter: QPainter, center: QPointF, radius: float) -> None:
    """The difficult person marker: a warning triangle with an exclamation mark."""
    top = QPointF(center.x(), center.y() - radius)
    left = QPointF(center.x() - radius * 1.05, center.y() + radius * 0.8)
    right = QPointF(center.x() + radius * 1.05, center.y() + radius * 0.8)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(DIFFICULT_COLOR))
    painter.drawPolygon(QPolygonF([top, right, left]))
    painter.setPen(
        QPen(QColor("white"), max(1.2, radius * 0.22), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    )
    painter.drawLine(
        QPointF(center.x(), center.y() - radius * 0.45), QPointF(center.x(), center.y() + radius * 0.2)
    )
    painter.drawPoint(QPointF(center.x(), center.y() + radius * 0.52))
