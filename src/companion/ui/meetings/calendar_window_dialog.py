"""Asks over how many days a calendar's recurring series become meetings, before the calendar is imported."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from companion.core.calendar_import import MAX_WINDOW_DAYS


class CalendarWindowDialog(QDialog):
    """'The calendar holds N recurring series: import their meetings of the next [90] days.'"""

    def __init__(self, file_name: str, series: int, days: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("calendar_window_dialog")
        self.setWindowTitle(self.tr("Import meetings from a calendar"))
        self._build_ui(file_name, series, days)
        self._connect_signals()

    def _build_ui(self, file_name: str, series: int, days: int) -> None:
        layout = QVBoxLayout(self)
        self.explanation = QLabel(
            self.tr(
                "{0} holds {1} recurring series. Each of their meetings within the window becomes a "
                "meeting of its own; importing the file again later brings in the next ones."
            ).format(file_name, series)
        )
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        form = QFormLayout()
        self.days = QSpinBox()
        self.days.setObjectName("window_days")
        self.days.setRange(1, MAX_WINDOW_DAYS)
        self.days.setValue(min(max(days, 1), MAX_WINDOW_DAYS))
        self.days.setSuffix(self.tr(" days"))
        form.addRow(self.tr("Their meetings of the next"), self.days)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Import"))
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def window_days(self) -> int:
        return self.days.value()
