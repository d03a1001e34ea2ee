"""The Portfolio page's Scorecards tab: every client ranked by a chosen perspective of its scorecard, with
each perspective's status and score; exported as CSV or PDF."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.scorecard import PERSPECTIVE_LABELS, PERSPECTIVES, STATUS_LABELS, PortfolioRow
from companion.model.kinds import kinds_shown_on
from companion.render.charts import status_colour
from companion.ui.common import theme
from companion.ui.common.edits import EditController
from companion.ui.common.widgets import button_bar, empty_state
from companion.ui.portfolio import ranking_operations

# What a scorecard is read from, besides the kinds shown on the Portfolio page.
READ_KINDS = kinds_shown_on("portfolio") | {
    "client", "colleague", "account_plan", "objective", "measure", "measure_reading", "interaction",
    "position", "contact", "survey_answer",
}  # fmt: skip
# Where each row keeps its client's id.
ClientRole = Qt.ItemDataRole.UserRole + 60
RANK, CLIENT, OWNER = 0, 1, 2
FIRST_PERSPECTIVE = 3
OVERALL = FIRST_PERSPECTIVE + len(PERSPECTIVES)


def score_words(score: float | None) -> str:
    return "—" if score is None else f"{score:.0f}"


class RankingTab(QWidget):
    """The clients ranked; read when first shown and again after the changes a scorecard is made of."""

    sig_client_opened = Signal(str)
    """Open this client's Scorecard section (its id)."""
    sig_exported = Signal(str)
    """A file was written (its path)."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.rows: list[PortfolioRow] | None = None
        self.stale = True
        self._asked = 0
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.by = QComboBox()
        self.by.setAccessibleName(self.tr("Rank by"))
        self.by.addItem(self.tr("Overall"), None)
        for key in PERSPECTIVES:
            self.by.addItem(self.tr(PERSPECTIVE_LABELS[key]), key)
        by_label = QLabel(self.tr("Rank by"))
        by_label.setBuddy(self.by)
        self.csv_button = QPushButton(self.tr("Export CSV…"))
        self.csv_button.setToolTip(self.tr("The ranking as a spreadsheet file"))
        self.pdf_button = QPushButton(self.tr("Export PDF…"))
        self.pdf_button.setToolTip(self.tr("The ranking as a print-ready PDF"))
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        self.table = QTreeWidget()
        self.table.setAccessibleName(self.tr("Clients ranked by their scorecards"))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setHeaderLabels(
            [self.tr("#"), self.tr("Client"), self.tr("Owner")]
            + [self.tr(PERSPECTIVE_LABELS[key]) for key in PERSPECTIVES]
            + [self.tr("Overall")]
        )
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CLIENT, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip(self.tr("Double-click or press Enter to open a client's scorecard"))
        self.empty = empty_state(
            self.tr(
                "No clients to rank yet.\nEvery client that is not a former one is ranked here by its scorecard."
            )
        )
        bar = button_bar(by_label, self.by, self.summary)
        bar.insertStretch(3, 0)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)

    def _connect_signals(self) -> None:
        self.by.currentIndexChanged.connect(lambda _index: self.reload())
        self.table.itemActivated.connect(self._on_table_item_activated)
        self.csv_button.clicked.connect(self._on_csv_clicked)
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        theme.manager().sig_scheme_changed.connect(self._on_theme_scheme_changed)

    def _on_theme_scheme_changed(self, _scheme: str) -> None:
        # The statuses' colours are the scheme's they were filled in.
        if self.rows is not None:
            self._fill(self.rows)

    def chosen_perspective(self) -> str | None:
        return self.by.currentData()

    # --- reading ----------------------------------------------------------------------------

    def reload(self) -> None:
        self.stale = False
        self._asked += 1
        self.edits.worker.submit(
            partial(ranking_operations.ranking, by=self.chosen_perspective()),
            partial(self._on_loaded, self._asked),
            self.edits.sig_failed.emit,
        )

    def read_if_stale(self) -> None:
        if self.stale:
            self.reload()

    def on_changed(self, kinds: frozenset[str], showing: bool) -> None:
        if kinds & READ_KINDS:
            self.stale = True
            if showing:
                self.reload()

    def _on_loaded(self, asked: int, rows: list[PortfolioRow]) -> None:
        if asked != self._asked:
            return
        self.rows = rows
        self._fill(rows)

    def _fill(self, rows: list[PortfolioRow]) -> None:
        table = self.table
        chosen = table.currentItem().data(0, ClientRole) if table.currentItem() is not None else None
        table.clear()
        dark = theme.current_scheme() == theme.DARK
        ranked_by = self.chosen_perspective()
        for rank, row in enumerate(rows, 1):
            cells = [str(rank), row.name, row.owner or "—"]
            for key in PERSPECTIVES:
                cells.append(f"● {STATUS_LABELS[row.statuses[key]]}  {score_words(row.scores[key])}")
            cells.append(score_words(row.overall))
            item = QTreeWidgetItem(cells)
            for number in range(len(cells)):
                item.setData(number, ClientRole, row.client_id)
            for number, key in enumerate(PERSPECTIVES, FIRST_PERSPECTIVE):
                item.setForeground(number, status_colour(row.statuses[key], dark=dark))
                item.setData(
                    number,
                    Qt.ItemDataRole.AccessibleTextRole,
                    self.tr("{0}: {1}, score {2}").format(
                        PERSPECTIVE_LABELS[key],
                        STATUS_LABELS[row.statuses[key]],
                        score_words(row.scores[key]),
                    ),
                )
            item.setTextAlignment(RANK, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(OVERALL, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = item.font(CLIENT)
            font.setBold(True)
            sorted_column = (
                OVERALL if ranked_by is None else FIRST_PERSPECTIVE + PERSPECTIVES.index(ranked_by)
            )
            item.setFont(sorted_column, font)
            table.addTopLevelItem(item)
            if row.client_id == chosen:
                table.setCurrentItem(item)
        has = bool(rows)
        table.setVisible(has)
        self.empty.setVisible(not has)
        self.csv_button.setEnabled(has)
        self.pdf_button.setEnabled(has)
        self.summary.setText(self._summary(rows))

    def _summary(self, rows: list[PortfolioRow]) -> str:
        if not rows:
            return ""
        key = self.chosen_perspective()
        if key is None:
            return self.tr("{0} clients, best overall first").format(len(rows))
        poor = sum(1 for r in rows if r.statuses[key] == "poor")
        text = self.tr("{0} clients, best first by {1}").format(len(rows), PERSPECTIVE_LABELS[key].lower())
        return text + (self.tr(" · {0} poor").format(poor) if poor else "")

    def _on_table_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        client_id = item.data(0, ClientRole)
        if client_id:
            self.sig_client_opened.emit(str(client_id))

    # --- exporting --------------------------------------------------------------------------

    def _ask_path(self, title: str, name: str, filters: str) -> tuple[str, str]:
        from companion.ui.preferences.folders import in_documents

        return QFileDialog.getSaveFileName(self, title, in_documents(name), filters)

    def _file_name(self, suffix: str) -> str:
        key = self.chosen_perspective()
        by = "overall" if key is None else key.replace("_", "-")
        return f"portfolio-{by}.{suffix}"

    def _on_csv_clicked(self) -> None:
        if not self.rows:
            return
        path, _chosen = self._ask_path(
            self.tr("Export the ranking as CSV"), self._file_name("csv"), self.tr("CSV (*.csv)")
        )
        if not path:
            return
        from companion.core.scorecard import portfolio_csv
        from companion.model.files import write_whole

        text = portfolio_csv(self.rows)
        self._write(
            path, lambda: write_whole(Path(path), lambda part: part.write_text(text, encoding="utf-8"))
        )

    def _on_pdf_clicked(self) -> None:
        if not self.rows:
            return
        path, chosen = self._ask_path(
            self.tr("Export the ranking as PDF"),
            self._file_name("pdf"),
            self.tr("PDF, A4 (*.pdf);;PDF, Letter (*.pdf)"),
        )
        if not path:
            return
        from companion.render.portfolio import write_portfolio_pdf

        rows, by = list(self.rows), self.chosen_perspective()
        page_size = "letter" if "Letter" in chosen else "a4"
        # Drawn here: QPdfWriter and fonts belong to the GUI thread. The rows are those on screen.
        self._write(path, lambda: write_portfolio_pdf(rows, Path(path), by=by, page_size=page_size))

    def _write(self, path: str, write) -> None:
        """Writes the file (whole, or leaving what was there); a disk that refuses is said, not raised."""
        from companion.model.errors import CompanionError

        try:
            write()
        except CompanionError as exc:  # WriteFailed says the path, the reason and that the old file stays
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
            return
        self.sig_exported.emit(str(path))
