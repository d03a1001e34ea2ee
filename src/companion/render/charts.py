"""Small charts drawn as images (QtGui only): the window shows them as pixmaps, the PDFs embed the same."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen

from companion.render.pdf import ensure_gui_application

# A status's colour on a light background (paper, the light theme) and on a dark one: the theme's own
# green, amber, red and grey, so a chart beside a status in words reads as the same colour.
STATUS_COLOURS: dict[str, str] = {
    "good": "#1A7F37",
    "watch": "#9A6A00",
    "poor": "#C62828",
    "unknown": "#6E7781",
}
DARK_STATUS_COLOURS: dict[str, str] = {
    "good": "#4CC572",
    "watch": "#E3B341",
    "poor": "#FF6B6B",
    "unknown": "#9BA3AD",
}
_FAINT = {False: QColor(0, 0, 0, 40), True: QColor(255, 255, 255, 48)}
_TEXT = {False: QColor("#5F6670"), True: QColor("#9BA3AD")}


def status_colour(status: str | None, *, dark: bool = False) -> QColor:
    """The colour of a status (good, watch, poor; anything else is unknown's grey)."""
    colours = DARK_STATUS_COLOURS if dark else STATUS_COLOURS
    return QColor(colours.get(status or "unknown", colours["unknown"]))


def trend_chart(
    points: Sequence[tuple[str, float]],
    *,
    low: float,
    high: float,
    size: QSize,
    dpr: float = 1.0,
    dark: bool = False,
    status: str | None = None,
) -> QImage:
    """A figure's readings as a line, oldest left, evenly spaced in their order (the dates are labels, not
    a time scale: readings months apart still read as a trend); the value between `low` and `high` up the
    side, the last reading marked, in the status's colour. A faint baseline at zero when the scale spans
    it (an NPS can go below zero). Transparent where nothing is drawn; empty points draw nothing."""
    ensure_gui_application()
    image = QImage(size * dpr, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)
    image.fill(Qt.GlobalColor.transparent)
    if not points:
        return image
    if high <= low:
        high = low + 1.0
    margin = max(2.5, min(size.width(), size.height()) * 0.08)
    plot = QRectF(margin, margin, size.width() - 2 * margin, size.height() - 2 * margin)
    # A chart tall enough (a document's, not a list's sparkline) keeps a strip below for its dates.
    label_px = max(8, int(size.height() / 11)) if size.height() >= 60 and len(points) > 1 else 0
    if label_px:
        plot.setBottom(plot.bottom() - label_px - 2)
    colour = status_colour(status, dark=dark)

    def y(value: float) -> float:
        value = min(max(value, low), high)
        return plot.bottom() - (value - low) / (high - low) * plot.height()

    step = plot.width() / (len(points) - 1) if len(points) > 1 else 0.0
    # A single reading sits at the right, where the latest reading of a longer trend would be.
    xs = [plot.left() + number * step for number in range(len(points))] if len(points) > 1 else [plot.right()]
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if low < 0 < high:
        painter.setPen(QPen(_FAINT[dark], 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(plot.left(), y(0.0)), QPointF(plot.right(), y(0.0)))
    line_width = max(1.4, size.height() / 30)
    if len(points) > 1:
        path = QPainterPath(QPointF(xs[0], y(points[0][1])))
        for x, (_on, value) in zip(xs[1:], points[1:], strict=True):
            path.lineTo(QPointF(x, y(value)))
        painter.setPen(QPen(colour, line_width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    radius = line_width * 1.6
    painter.drawEllipse(QPointF(xs[-1], y(points[-1][1])), radius, radius)
    if label_px:
        _label_ends(painter, points, plot, label_px, dark=dark)
    painter.end()
    return image


def _label_ends(
    painter: QPainter, points: Sequence[tuple[str, float]], plot: QRectF, label_px: int, *, dark: bool
) -> None:
    """When the first and last readings were, small under the chart's two ends."""
    font = QFont()
    font.setPixelSize(label_px)
    painter.setFont(font)
    painter.setPen(_TEXT[dark])
    strip = QRectF(plot.left(), plot.bottom() + 2, plot.width(), label_px + 2)
    painter.drawText(strip, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, points[0][0])
    painter.drawText(strip, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, points[-1][0])
