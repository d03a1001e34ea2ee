"""The zoomable canvas both people charts draw on: zoom, pan, keyboard navigation, click to open, export, empty state."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QWidget,
)

from companion.core.people import Person
from companion.ui.people.chart_items import ChartTheme, PersonItem


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

    def png_bytes(self) -> bytes | None:
        """The whole chart as a PNG at twice its natural size, on the chart's background; None when empty."""
        rect = self.sceneRect()
        if self.is_empty() or rect.isEmpty():
            return None
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
        # Encoded in memory: the file itself is written whole or not at all (model/files.py).
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            return None
        return bytes(buffer.data().data())

    def export_png(self, path: str | os.PathLike[str]) -> bool:
        """Writes the chart as a PNG, whole or not at all: False when there is nothing to draw yet,
        WriteFailed (naming the path and the reason) when the file cannot be written."""
        from companion.model.files import write_whole

        data = self.png_bytes()
        if data is None:
            return False
        write_whole(Path(path), lambda part: part.write_bytes(data))
        return True

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
