"""The canvas both people charts draw on: their theme, shared items and markers, and the zoomable view."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from typing import ClassVar

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsView,
    QLabel,
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
            for i in range(5):
                dot = QRectF(rect.left() + i * 9, cy - 3.5, 7, 7)
                if i < 3:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(t.text)
                else:
                    painter.setPen(QPen(t.faint, 1))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(dot.adjusted(0.5, 0.5, -0.5, -0.5))
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


class ChartView(QGraphicsView):
    """What the org chart and the relationship map share: zoom, pan, click to activate, export, empty state."""

    sig_person_activated = Signal(str)
    """A person was clicked, or Enter was pressed while they were selected (their contact id)."""

    MIN_ZOOM = 0.05
    MAX_ZOOM = 4.0
    ZOOM_STEP = 1.2
    # Below this the text in boxes becomes hard to read, so the first view scrolls rather than shrinks.
    READABLE_ZOOM = 0.6
    MARGIN = 28.0
    # Big charts are exported smaller than 2x rather than failing to allocate the image.
    MAX_EXPORT_SIDE = 16000

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._theme = ChartTheme(self.palette(), self.font())
        self._people: list[Person] = []
        self._press_pos: QPoint | None = None
        self._press_item: PersonItem | None = None
        # The first view follows resizes until the person zooms or pans themselves.
        self._auto_view = True
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setBackgroundBrush(self._theme.background)
        self.empty_label = QLabel(self.viewport())
        self.empty_label.setProperty("role", "empty-state")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_label.hide()

    def _connect_signals(self) -> None:
        self.scene().selectionChanged.connect(self._on_scene_selection_changed)

    # What subclasses provide.

    def _populate(self, people: list[Person]) -> str | None:
        """Fills the scene from the people; returns the empty-state message when there is nothing to draw.

        Each chart (org chart, relationship map) draws its own; the base class draws nothing.
        """
        raise TypeError(f"{type(self).__name__} does not say how to draw its people")

    # Public API.

    def set_people(self, people: list[Person]) -> None:
        """Redraws the chart for these people (past positions are left out).

        After an edit (some of the same people again) the zoom and scroll position stay where the
        person left them; a different set of people starts from a fresh view.
        """
        shown_before = {item.position_id for item in self.person_items()}
        same_people = bool(shown_before & {person.position.id for person in people})
        keep_view = same_people and not self._auto_view
        transform = self.transform()
        center = self.mapToScene(self.viewport().rect().center())
        self._people = list(people)
        selected = {item.position_id for item in self.person_items() if item.isSelected()}
        scene = self.scene()
        scene.clearSelection()
        scene.clear()
        message = self._populate(self._people)
        if message is None:
            bounds = scene.itemsBoundingRect().adjusted(-self.MARGIN, -self.MARGIN, self.MARGIN, self.MARGIN)
            scene.setSceneRect(bounds)
            for item in self.person_items():
                item.setSelected(item.position_id in selected)
            self.empty_label.hide()
        else:
            # A fixed tiny rect, or the scene would keep the size of the chart drawn before.
            scene.setSceneRect(QRectF(0, 0, 1, 1))
            self.empty_label.setText(message)
            self.empty_label.show()
        if keep_view and message is None:
            self.setTransform(transform)
            self.centerOn(center)
            return
        self.resetTransform()
        self._auto_view = True
        self._apply_initial_view()

    def is_empty(self) -> bool:
        """True when the empty-state message is shown instead of a chart."""
        return not self.empty_label.isHidden()

    def empty_message(self) -> str:
        return self.empty_label.text() if self.is_empty() else ""

    def person_items(self) -> list[PersonItem]:
        return [item for item in self.scene().items() if isinstance(item, PersonItem)]

    def item_for_contact(self, contact_id: str) -> PersonItem | None:
        """The (first) box or dot standing for this contact."""
        return next((item for item in self.person_items() if item.contact_id == contact_id), None)

    def select_contact(self, contact_id: str | None) -> None:
        """Selects the person's box or dot and scrolls to it, e.g. when they are chosen elsewhere."""
        self.scene().clearSelection()
        item = self.item_for_contact(contact_id) if contact_id else None
        if item is not None:
            item.setSelected(True)
            self.ensureVisible(item, 40, 40)

    def zoom(self) -> float:
        """The current scale: 1.0 is one scene unit per pixel."""
        return self.transform().m11()

    def zoom_in(self) -> None:
        self._zoom_by(self.ZOOM_STEP, QGraphicsView.ViewportAnchor.AnchorViewCenter)

    def zoom_out(self) -> None:
        self._zoom_by(1 / self.ZOOM_STEP, QGraphicsView.ViewportAnchor.AnchorViewCenter)

    def fit(self) -> None:
        """Shows the whole chart, never enlarged past its natural size."""
        self._auto_view = False
        rect = self.sceneRect()
        if self.is_empty() or rect.isEmpty():
            return
        scale = min(self._fit_scale(rect), 1.0)
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(rect.center())

    def export_png(self, path: str | os.PathLike[str]) -> bool:
        """Writes the whole chart to a PNG at twice its natural size, on the chart's background."""
        rect = self.sceneRect()
        if self.is_empty() or rect.isEmpty():
            return False
        scale = min(2.0, self.MAX_EXPORT_SIDE / max(rect.width(), rect.height()))
        width, height = rect.width() * scale, rect.height() * scale
        image = QImage(math.ceil(width), math.ceil(height), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self._theme.background)
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self._theme.exporting = True
        try:
            self.scene().render(painter, QRectF(0, 0, width, height), rect)
        finally:
            self._theme.exporting = False
            painter.end()
        return image.save(os.fspath(path), "PNG")

    # Viewing.

    def _fit_scale(self, rect: QRectF) -> float:
        view = self.viewport().rect()
        if rect.isEmpty() or view.isEmpty():
            return 1.0
        return min(view.width() / rect.width(), view.height() / rect.height())

    def _apply_initial_view(self) -> None:
        rect = self.sceneRect()
        if self.is_empty() or rect.isEmpty():
            return
        fit = self._fit_scale(rect)
        scale = max(min(fit, 1.0), min(self.READABLE_ZOOM, 1.0))
        self.setTransform(QTransform.fromScale(scale, scale))
        if scale <= fit + 1e-6:
            self.centerOn(rect.center())
        else:
            focus = self._focus_point()
            half_height = self.viewport().height() / (2 * scale)
            self.centerOn(QPointF(focus.x(), focus.y() + half_height))

    def _focus_point(self) -> QPointF:
        """The scene point shown at the top middle of a chart too big to fit: its top middle by default."""
        rect = self.sceneRect()
        return QPointF(rect.center().x(), rect.top())

    def _zoom_by(self, factor: float, anchor: QGraphicsView.ViewportAnchor) -> None:
        self._auto_view = False
        current = self.zoom()
        target = max(self.MIN_ZOOM, min(self.MAX_ZOOM, current * factor))
        if math.isclose(target, current):
            return
        previous = self.transformationAnchor()
        self.setTransformationAnchor(anchor)
        self.scale(target / current, target / current)
        self.setTransformationAnchor(previous)

    # Qt event handlers.

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self._zoom_by(self.ZOOM_STEP**steps, QGraphicsView.ViewportAnchor.AnchorUnderMouse)
            event.accept()
            return
        super().wheelEvent(event)

    def _person_item_at(self, pos: QPoint) -> PersonItem | None:
        for item in self.items(pos):
            if isinstance(item, PersonItem):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
            self._press_item = self._person_item_at(self._press_pos)
            if self._press_item is None:
                self._auto_view = False
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self._press_pos is None:
            return
        pos = event.position().toPoint()
        moved = (pos - self._press_pos).manhattanLength()
        item, self._press_item, self._press_pos = self._press_item, None, None
        if (
            item is not None
            and moved < QApplication.startDragDistance()
            and self._person_item_at(pos) is item
        ):
            self.sig_person_activated.emit(item.contact_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        arrows = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            selected = [item for item in self.person_items() if item.isSelected()]
            if selected:
                self.sig_person_activated.emit(selected[0].contact_id)
                event.accept()
                return
        elif control and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
            return
        elif control and key == Qt.Key.Key_Minus:
            self.zoom_out()
            return
        elif control and key == Qt.Key.Key_0:
            self.fit()
            return
        elif key in arrows and not control and self.person_items():
            self._move_selection(*arrows[key])
            event.accept()
            return
        super().keyPressEvent(event)

    def _move_selection(self, dx: int, dy: int) -> None:
        """Selects the next person in the arrow's direction, so the chart works from the keyboard."""
        items = self.person_items()
        current = next((item for item in items if item.isSelected()), None)
        if current is None:
            target = min(
                items, key=lambda item: (item.sceneBoundingRect().top(), item.sceneBoundingRect().left())
            )
        else:
            target = self._neighbour(current, dx, dy, items)
            if target is None:
                return
        self.scene().clearSelection()
        target.setSelected(True)
        self.ensureVisible(target, 40, 40)

    def _neighbour(self, current: PersonItem, dx: int, dy: int, items: list[PersonItem]) -> PersonItem | None:
        """The nearest item in a direction, straight lines counting more than diagonals."""
        origin = current.sceneBoundingRect().center()
        best: tuple[float, PersonItem] | None = None
        for item in items:
            if item is current:
                continue
            offset = item.sceneBoundingRect().center() - origin
            along = offset.x() * dx + offset.y() * dy
            if along <= 1:
                continue
            across = abs(offset.x() * dy - offset.y() * dx)
            score = along + 2 * across
            if best is None or score < best[0]:
                best = (score, item)
        return best[1] if best else None

    def _on_scene_selection_changed(self) -> None:
        # Screen readers announce the person the keyboard moved to.
        selected = [item for item in self.person_items() if item.isSelected()]
        self.setAccessibleDescription(selected[0].toolTip() if selected else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.empty_label.setGeometry(self.viewport().rect().adjusted(32, 32, -32, -32))
        if self._auto_view:
            self._apply_initial_view()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._theme.update(self.palette(), self.font())
            self.setBackgroundBrush(self._theme.background)
            if self._people:
                # Sizes follow the font and some colours are fixed when items are made, so redraw.
                self.set_people(self._people)
            self.scene().update()

    # Text shared by both charts.

    def stance_label(self, stance: object) -> str:
        labels = {
            "champion": self.tr("Champion"),
            "supporter": self.tr("Supporter"),
            "neutral": self.tr("Neutral"),
            "sceptic": self.tr("Sceptic"),
            "opponent": self.tr("Opponent"),
        }
        return labels.get(str(stance), self.tr("Unknown"))

    def person_tooltip(self, person: Person, extra: Iterable[str] = ()) -> str:
        p, c = person.position, person.contact
        lines = [person.name]
        if p["title"]:
            lines.append(str(p["title"]))
        lines.append(self.tr("Stance: {0}").format(self.stance_label(p["stance"])))
        if p["influence"]:
            lines.append(self.tr("Influence: {0} of 5").format(p["influence"]))
        else:
            lines.append(self.tr("Influence: not set"))
        if c["relationship_strength"]:
            lines.append(self.tr("Relationship strength: {0} of 5").format(c["relationship_strength"]))
        if p["role_model"]:
            lines.append(self.tr("Culture role model"))
        if c["difficult"]:
            lines.append(self.tr("Difficult person: read how to handle them"))
        lines.extend(extra)
        return "\n".join(lines)
