"""The status-bar indicator for work that takes a while: shown after 0.3 s, with a Cancel button."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from companion.ui.common.worker import DbWorker

# Quicker work shows nothing: a flash of "working" is noise.
SHOW_AFTER_MS = 300


class BusyIndicator(QWidget):
    """Says that the database thread is working and lets the person stop a long job."""

    def __init__(self, worker: DbWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self.worker = worker
        self._timer = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._build_ui()
        self._connect_signals()
        self.hide()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self.tr("Working…"))
        self.label.setProperty("role", "muted")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: the length of a job is not known in advance
        self.bar.setMaximumWidth(120)
        self.bar.setMaximumHeight(12)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.setAccessibleName(self.tr("Cancel the work in progress"))
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)

    def _connect_signals(self) -> None:
        self.worker.sig_busy_changed.connect(self._on_worker_busy_changed)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.cancel.clicked.connect(self._on_cancel_clicked)

    def _on_worker_busy_changed(self, busy: bool) -> None:
        if busy:
            self._timer.start()
        else:
            self._timer.stop()
            self.hide()
            self.cancel.setEnabled(True)
            self.label.setText(self.tr("Working…"))

    def _on_timer_timeout(self) -> None:
        if self.worker.is_busy():
            self.show()

    def _on_cancel_clicked(self) -> None:
        self.cancel.setEnabled(False)
        self.label.setText(self.tr("Stopping…"))
        self.worker.cancel_all()
