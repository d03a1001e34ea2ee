"""The Plan section's small pictures: a measure's trend line and the likelihood × impact grid of risks."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from companion.core.account_plan import HIGH_RISK_SCORE
from companion.ui.common.theme import level_color, muted_text_color

SPARKLINE_SIZE = QSize(96, 22)
# A score from here up is amber on the grid (below: green); from HIGH_RISK_SCORE up it is red.
WATCH_RISK_SCORE = 6


def sparkline(
    values: Sequence[float], *, target: float | None, met: bool | None, dpr: float = 1.0
) -> QPixmap:
    """The readings as a line (the last point marked), the target as a dotted rule; green once the
    target is met, red while behind."""
    size = SPARKLINE_SIZE
    pixmap = QPixmap(size * dpr)
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    if not values:
        return pixmap
    points = [*values, *([target] if target is not None else [])]
    low, high = min(points), max(points)
    span = (high - low) or 1.0
    margin = 3.0
    width, height = size.width() - 2 * margin, size.height() - 2 * margin

    def y(value: float) -> float:
        return margin + height - (value - low) / span * height

    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if target is not None:
        rule = QPen(muted_text_color(), 1, Qt.PenStyle.DotLine)
        painter.setPen(rule)
        painter.drawLine(QPointF(margin, y(target)), QPointF(margin + width, y(target)))
    color = level_color("good" if met else "bad" if met is False else "")
    step = width / (len(values) - 1) if len(values) > 1 else 0.0
    path = QPainterPath(QPointF(margin, y(values[0])))
    for number, value in enumerate(values[1:], start=1):
        path.lineTo(QPointF(margin + number * step, y(value)))
    painter.setPen(QPen(color, 1.6))
    painter.drawPath(path)
    painter.setBrush(color)
    last = QPointF(margin + (len(values) - 1) * step, y(values[-1]))
    painter.drawEllipse(last, 2.2, 2.2)
    painter.end()
    return pixmap


def risk_level(score: int) -> str:
    return "bad" if score >= HIGH_RISK_SCORE else "watch" if score >= WATCH_RISK_SCORE else "good"


class RiskGrid(QTableWidget):
    """Open risks counted by likelihood (across) and impact (up); clicking a cell shows only its risks."""

    sig_cell_chosen = Signal(object)
    """(likelihood, impact) to show only those risks, or None to show all."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(5, 5, parent)
        self.setAccessibleName(self.tr("Risks by likelihood and impact"))
        self.setHorizontalHeaderLabels([str(n) for n in range(1, 6)])
        self.setVerticalHeaderLabels([str(n) for n in range(5, 0, -1)])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setDefaultSectionSize(34)
        self.verticalHeader().setDefaultSectionSize(26)
        self.setToolTip(self.tr("Likelihood across, impact up. Click a square to list only its risks."))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._chosen: tuple[int, int] | None = None
        for row in range(5):
            for column in range(5):
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(row, column, item)
        self.cellClicked.connect(self._on_cell_clicked)

    def sizeHint(self) -> QSize:
        header_width = self.verticalHeader().sizeHint().width()
        header_height = self.horizontalHeader().sizeHint().height()
        return QSize(header_width + 5 * 34 + 4, header_height + 5 * 26 + 4)

    def set_counts(self, counts: dict[tuple[int, int], int]) -> None:
        """Open risks per (likelihood, impact)."""
        for row in range(5):
            impact = 5 - row
            for column in range(5):
                likelihood = column + 1
                item = self.item(row, column)
                number = counts.get((likelihood, impact), 0)
                item.setText(str(number) if number else "")
                color = QColor(level_color(risk_level(likelihood * impact)))
                color.setAlpha(150 if number else 45)
                item.setBackground(color)
                item.setToolTip(
                    self.tr("Likelihood {0}, impact {1}: {2} open").format(likelihood, impact, number)
                )

    def _on_cell_clicked(self, row: int, column: int) -> None:
        cell = (column + 1, 5 - row)
        self._chosen = None if self._chosen == cell else cell
        if self._chosen is None:
            self.clearSelection()
        self.sig_cell_chosen.emit(self._chosen)

    def choose(self, cell: tuple[int, int] | None) -> None:
        """Shows only this cell's risks, or all of them (None)."""
        self._chosen = cell
        if cell is None:
            self.clearSelection()

    @property
    def chosen(self) -> tuple[int, int] | None:
        return self._chosen
