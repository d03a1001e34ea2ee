"""Small widgets the features build their pages with: a button bar, a list of records, an empty state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QTreeWidget, QVBoxLayout, QWidget

from companion.ui.common.wrapping_delegate import WrappingDelegate


def button_bar(*widgets: QWidget) -> QHBoxLayout:
    """The widgets in a row from the left, the room left over after them."""
    bar = QHBoxLayout()
    for widget in widgets:
        bar.addWidget(widget)
    bar.addStretch(1)
    return bar


def error_label() -> QLabel:
    """Where a dialog or form says, in words, why what was typed cannot be saved; hidden until it does."""
    label = QLabel()
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.hide()
    return label


def empty_state(text: str = "", *, shown: bool = False) -> QLabel:
    """What a view says in place of a list with nothing in it; hidden (unless `shown`) until the data
    read says so."""
    label = QLabel(text)
    label.setVisible(shown)
    label.setProperty("role", "empty-state")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def tree(name: str, headers: list[str], widths: tuple[int, ...] = ()) -> QTreeWidget:
    """A list of records with headings; the first column wraps long names instead of cutting them."""
    view = QTreeWidget()
    view.setAccessibleName(name)
    view.setHeaderLabels(headers)
    view.setRootIsDecorated(False)
    view.setItemDelegate(WrappingDelegate(view))
    view.setUniformRowHeights(False)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


def scrolled(widget: QWidget) -> QScrollArea:
    """The widget in a frameless scroll area that resizes it to its width."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


def column(*widgets, margins: tuple[int, int, int, int] = (0, 0, 0, 0)) -> tuple[QWidget, QVBoxLayout]:
    """A widget holding these widgets and layouts one under another; its layout, to add more."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(*margins)
    for widget in widgets:
        if isinstance(widget, QWidget):
            layout.addWidget(widget)
        else:
            layout.addLayout(widget)
    return holder, layout
