"""The balanced scorecard's four perspectives, two by two: each one's status and why, then its figures with
their trend charts and the records they are read from."""

from __future__ import annotations

import html
from functools import partial

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.scorecard import PERSPECTIVE_RULE, STATUS_LABELS, Figure, Perspective, Scorecard
from companion.render.charts import status_colour, trend_chart
from companion.ui.common import theme

CHART_SIZE = QSize(104, 30)
# From this width the perspectives sit two by two; narrower, one under another, each figure on one line.
TWO_COLUMNS_FROM = 1180


def is_dark() -> bool:
    return theme.current_scheme() == theme.DARK


def status_words(status: str) -> str:
    """A status as a person reads it, with its coloured mark for those who read colour first."""
    return f"● {STATUS_LABELS.get(status, STATUS_LABELS['unknown'])}"


def colour_status(label: QLabel, status: str) -> None:
    label.setText(status_words(status))
    label.setStyleSheet(f"color: {status_colour(status, dark=is_dark()).name()}; font-weight: 600;")


class PerspectiveBox(QFrame):
    """One perspective: its status in words and colour, the reason and the rule, then each figure."""

    sig_record_opened = Signal(str, str)
    """A figure's source was chosen: (kind, id)."""

    def __init__(self, perspective: Perspective, rule: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.perspective = perspective
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(perspective.label)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        header = QHBoxLayout()
        title = QLabel(perspective.label)
        title.setProperty("role", "heading")
        self.status = QLabel()
        colour_status(self.status, perspective.status)
        self.status.setToolTip(rule)
        header.addWidget(title, 1)
        header.addWidget(self.status)
        layout.addLayout(header)
        self.reason = QLabel(perspective.reason)
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        self.figures = QGridLayout()
        self.figures.setHorizontalSpacing(10)
        self.figures.setVerticalSpacing(4)
        self.figures.setColumnStretch(0, 3)
        self.figures.setColumnStretch(1, 2)
        self.figures.setColumnMinimumWidth(0, 110)
        self.figures.setColumnMinimumWidth(1, 120)
        # The same room for the status and the sources in every box, so their columns line up.
        self.figures.setColumnMinimumWidth(2, 130)
        self.figures.setColumnMinimumWidth(4, 96)
        self.source_buttons: dict[str, QToolButton] = {}
        row = 0
        for figure in perspective.figures:
            row = self._add_figure(figure, row)
        layout.addLayout(self.figures)
        if not perspective.figures:
            empty = QLabel(self.tr("Nothing recorded for this perspective yet."))
            empty.setProperty("role", "muted")
            layout.addWidget(empty)

    def _add_figure(self, figure: Figure, row: int) -> int:
        label = QLabel(figure.label)
        label.setWordWrap(True)
        label.setToolTip(figure.rule)
        value = QLabel(figure.shown)
        value.setWordWrap(True)
        value.setStyleSheet("font-weight: 600;")
        status = QLabel()
        colour_status(status, figure.status)
        if figure.falling:
            status.setText(status.text() + "  " + self.tr("↓ falling"))
        status.setToolTip(figure.rule)
        chart = QLabel()
        chart.setFixedSize(CHART_SIZE)
        if figure.trend:
            chart.setPixmap(self._chart(figure))
            chart.setToolTip(
                self.tr("{0}: {1} readings, {2} to {3}").format(
                    figure.label, len(figure.trend), figure.trend[0].on, figure.trend[-1].on
                )
            )
        for column, widget in enumerate((label, value, status, chart)):
            self.figures.addWidget(widget, row, column)
        if figure.sources:
            self.figures.addWidget(self._sources_button(figure), row, 4)
        row += 1
        if figure.by_person:
            people = QLabel(
                " · ".join(
                    f'<a href="contact:{html.escape(contact_id)}">{html.escape(name)}</a> {html.escape(shown)}'
                    for contact_id, name, _value, shown in figure.by_person
                )
            )
            people.setAccessibleName(self.tr("{0} by person").format(figure.label))
            people.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            people.setWordWrap(True)
            people.setContentsMargins(14, 0, 0, 4)
            people.linkActivated.connect(self._on_link_activated)
            self.figures.addWidget(people, row, 0, 1, 5)
            row += 1
        return row

    def _chart(self, figure: Figure) -> QPixmap:
        image = trend_chart(
            [(p.on, p.value) for p in figure.trend],
            low=figure.low,
            high=figure.high,
            size=CHART_SIZE,
            dpr=self.devicePixelRatioF(),
            dark=is_dark(),
            status=figure.status,
        )
        return QPixmap.fromImage(image)

    def _sources_button(self, figure: Figure) -> QToolButton:
        button = QToolButton()
        button.setText(
            self.tr("{0} sources").format(len(figure.sources))
            if len(figure.sources) != 1
            else self.tr("1 source")
        )
        button.setToolTip(self.tr("Open a record {0} is read from").format(figure.label))
        button.setAccessibleName(self.tr("Sources of {0}").format(figure.label))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setAutoRaise(True)
        menu = QMenu(button)
        for source in figure.sources:
            menu.addAction(source.label, partial(self.sig_record_opened.emit, source.kind, source.id))
        button.setMenu(menu)
        self.source_buttons[figure.key] = button
        return button

    def _on_link_activated(self, link: str) -> None:
        kind, _, record_id = link.partition(":")
        self.sig_record_opened.emit(kind, record_id)


class PerspectivesView(QWidget):
    """The four perspectives two by two where there is room for two side by side, else one under another."""

    sig_record_opened = Signal(str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.boxes: dict[str, PerspectiveBox] = {}
        self._columns = 0  # how the boxes are laid out now
        # Never squeezed below what the boxes need: the scroll area scrolls instead.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)

    def show_scorecard(self, card: Scorecard) -> None:
        for box in self.boxes.values():
            self.grid.removeWidget(box)
            box.deleteLater()
        self.boxes = {}
        for perspective in card.perspectives:
            box = PerspectiveBox(perspective, PERSPECTIVE_RULE)
            box.sig_record_opened.connect(self.sig_record_opened)
            self.boxes[perspective.key] = box
        self._columns = 0
        self._lay_out()

    def _lay_out(self) -> None:
        columns = 2 if self.width() >= TWO_COLUMNS_FROM else 1
        if columns == self._columns:
            return
        self._columns = columns
        for box in self.boxes.values():
            self.grid.removeWidget(box)
        for number, box in enumerate(self.boxes.values()):
            self.grid.addWidget(box, number // columns, number % columns, Qt.AlignmentFlag.AlignTop)
        for column in range(2):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        # What room is left is below the last box, not between them.
        for row in range(5):
            self.grid.setRowStretch(row, 1 if row == (len(self.boxes) + columns - 1) // columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out()
