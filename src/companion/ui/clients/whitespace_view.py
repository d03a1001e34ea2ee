"""The whitespace grid: a client's buying centres × approved propositions, each cell what has happened there."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from companion.ui.common import theme
from companion.ui.common.theme import accent_color, level_color, muted_text_color

# A cell's state → the colour family of its tint ("" for none).
STATE_LEVELS = {"won": "good", "open": "accent", "declined": "bad", "competitor": "watch", "empty": ""}
STATE_WORDS = {"won": "Won", "open": "Open", "declined": "Declined", "empty": ""}
# The mark beside a cell's word where the proposition fits that buying centre.
FITS_MARK = "●"
CELL_WIDTH = 150
# A proposition's title wraps in its column's heading up to this many lines, then ends in "…".
HEADER_LINES = 3
# Where each cell keeps its (sub-group id or None, proposition id).
CellRole = Qt.ItemDataRole.UserRole + 41


def _tint(level: str) -> QColor | None:
    if not level:
        return None
    color = QColor(accent_color() if level == "accent" else level_color(level))
    color.setAlpha(70)  # a wash under the text, readable on the light and the dark base
    return color


class WhitespaceGrid(QTableWidget):
    """Rows are the client's buying centres (the whole client first), columns the approved propositions.
    Double-clicking (or Enter on) an empty cell asks for a new deal there; on a cell with deals, for its
    deal."""

    sig_new_deal_requested = Signal(object, str)
    """A new deal for (sub-group id or None for the whole client, proposition id)."""
    sig_deal_chosen = Signal(str)
    """The person wants to see this deal (its id)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.whitespace = None
        self.setAccessibleName(self.tr("Whitespace: buying centres by proposition"))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setCornerButtonEnabled(False)
        self.horizontalHeader().setDefaultSectionSize(CELL_WIDTH)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        self.verticalHeader().setDefaultSectionSize(34)
        self.verticalHeader().setMaximumWidth(240)
        self.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.cellActivated.connect(self._on_cell_activated)
        theme.manager().sig_scheme_changed.connect(self._on_theme_scheme_changed)

    def show_whitespace(self, whitespace) -> None:
        """Fills the grid from core.whitespace's Whitespace; the cell under the cursor stays put."""
        self.whitespace = whitespace
        current = (self.currentRow(), self.currentColumn())
        self.clear()
        self.setRowCount(len(whitespace.sub_groups))
        self.setColumnCount(len(whitespace.propositions))
        for column, (_proposition_id, title) in enumerate(whitespace.propositions):
            header = QTableWidgetItem(self._fit_heading(str(title)))
            header.setToolTip(str(title))
            self.setHorizontalHeaderItem(column, header)
        for row, (_group_id, name) in enumerate(whitespace.sub_groups):
            header = QTableWidgetItem(str(name))
            header.setToolTip(str(name))
            self.setVerticalHeaderItem(row, header)
        for row, (group_id, _name) in enumerate(whitespace.sub_groups):
            for column, (proposition_id, _title) in enumerate(whitespace.propositions):
                self.setItem(row, column, self._cell_item(group_id, proposition_id))
        lines = max((self._heading_lines(t) for _i, t in whitespace.propositions), default=1)
        self.horizontalHeader().setFixedHeight(lines * self.fontMetrics().lineSpacing() + 12)
        if 0 <= current[0] < self.rowCount() and 0 <= current[1] < self.columnCount():
            self.setCurrentCell(*current)

    def _heading_lines(self, text: str) -> int:
        width = CELL_WIDTH - 12
        flags = int(Qt.TextFlag.TextWordWrap)
        height = self.fontMetrics().boundingRect(0, 0, width, 10_000, flags, text).height()
        return max(1, round(height / self.fontMetrics().lineSpacing()))

    def _fit_heading(self, title: str) -> str:
        """The title as it fits in HEADER_LINES wrapped lines of its column, shortened with "…" if not."""
        if self._heading_lines(title) <= HEADER_LINES:
            return title
        words = title.split()
        while len(words) > 1 and self._heading_lines(" ".join(words) + "…") > HEADER_LINES:
            words.pop()
        return " ".join(words) + "…"

    def _cell_item(self, group_id: str | None, proposition_id: str) -> QTableWidgetItem:
        cell = self.whitespace.cells.get((group_id, proposition_id))
        state = getattr(cell, "state", "empty") or "empty"
        word = self.cell_word(cell)
        fits = bool(getattr(cell, "fits", False))
        text = f"{word} {FITS_MARK}".strip() if fits else word
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setData(CellRole, (group_id, proposition_id))
        tint = _tint(STATE_LEVELS.get(state, ""))
        if tint is not None:
            item.setBackground(tint)
        if state == "empty":
            item.setForeground(accent_color() if fits else muted_text_color())
        detail = str(getattr(cell, "detail", "") or "")
        hint = self.tr("Fits this buying centre.") if fits else ""
        item.setToolTip("\n".join(t for t in (detail, hint) if t) or self.tr("Nothing proposed here yet."))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text or self.tr("empty"))
        return item

    def cell_word(self, cell) -> str:
        """The short word a cell shows: Won, Open, Declined, the competitor's name, or nothing."""
        state = getattr(cell, "state", "empty") or "empty"
        if state == "competitor":
            # The detail reads "Nordkyst is here: cranes; Subsea AS is here": the first name, and how
            # many more.
            parts = str(getattr(cell, "detail", "") or "").split("; ")
            names = [p.split(" is here")[0] for p in parts if " is here" in p]
            if not names:
                return self.tr("Competitor")
            return names[0] + (f" +{len(names) - 1}" if len(names) > 1 else "")
        return self.tr(STATE_WORDS.get(state, ""))

    def cell_at(self, row: int, column: int):
        """The whitespace Cell shown at (row, column), or None."""
        item = self.item(row, column)
        if item is None or self.whitespace is None:
            return None
        return self.whitespace.cells.get(tuple(item.data(CellRole)))

    def _on_cell_activated(self, row: int, column: int) -> None:
        item = self.item(row, column)
        if item is None:
            return
        group_id, proposition_id = item.data(CellRole)
        cell = self.cell_at(row, column)
        deals = tuple(getattr(cell, "opportunity_ids", ()) or ())
        if deals:
            self.sig_deal_chosen.emit(deals[0])
        else:
            self.sig_new_deal_requested.emit(group_id, proposition_id)

    def _on_theme_scheme_changed(self, _scheme: str) -> None:
        if self.whitespace is not None:
            self.show_whitespace(self.whitespace)


class WhitespaceLegend(QWidget):
    """What the tints mean, each word on its own tint; follows the colour scheme."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.swatches: dict[str, QLabel] = {}
        for state, text in (
            ("won", self.tr("Won")),
            ("open", self.tr("Open deal")),
            ("declined", self.tr("Declined or lost")),
            ("competitor", self.tr("A competitor is here")),
            ("empty", self.tr("Nothing proposed yet")),
        ):
            label = QLabel(text)
            label.setContentsMargins(8, 2, 8, 2)
            row.addWidget(label)
            self.swatches[state] = label
        fits = QLabel(self.tr("{0} it fits there").format(FITS_MARK))
        fits.setProperty("role", "muted")
        row.addWidget(fits)
        row.addStretch(1)
        self._paint()
        theme.manager().sig_scheme_changed.connect(self._on_theme_scheme_changed)

    def _paint(self) -> None:
        for state, label in self.swatches.items():
            tint = _tint(STATE_LEVELS[state])
            if tint is None:
                label.setStyleSheet(
                    f"color: {muted_text_color().name()}; border: 1px dashed {muted_text_color().name()}"
                )
            else:
                rgba = f"rgba({tint.red()}, {tint.green()}, {tint.blue()}, {tint.alpha()})"
                label.setStyleSheet(f"background: {rgba}; border-radius: 3px")

    def _on_theme_scheme_changed(self, _scheme: str) -> None:
        self._paint()
