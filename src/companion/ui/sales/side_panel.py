"""The window's left column: the client list, or a campaign's work list (the campaign-centric mode)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

CLIENTS, CAMPAIGN = "clients", "campaign"


class SidePanel(QWidget):
    """A switch between "Clients" and "Campaign" over the two lists; the work list is built on first use."""

    sig_mode_chosen = Signal(str)
    """The person flipped the switch: CLIENTS or CAMPAIGN."""

    def __init__(self, client_list: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.client_list = client_list
        self.work_list: QWidget | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(0)
        switch = QHBoxLayout()
        switch.setContentsMargins(6, 0, 6, 0)
        switch.setSpacing(0)
        self.clients_button = QToolButton()
        self.clients_button.setText(self.tr("Clients"))
        self.campaign_button = QToolButton()
        self.campaign_button.setText(self.tr("Campaign"))
        self.campaign_button.setToolTip(self.tr("A campaign's work list: whom to approach next"))
        self.mode = QButtonGroup(self)
        self.mode.setExclusive(True)
        for button in (self.clients_button, self.campaign_button):
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.mode.addButton(button)
            switch.addWidget(button, 1)
        self.clients_button.setChecked(True)
        self.clients_button.setAccessibleName(self.tr("Show the client list"))
        self.campaign_button.setAccessibleName(self.tr("Show a campaign's work list"))
        layout.addLayout(switch)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.client_list)
        layout.addWidget(self.stack, 1)

    def _connect_signals(self) -> None:
        self.clients_button.clicked.connect(lambda: self.sig_mode_chosen.emit(CLIENTS))
        self.campaign_button.clicked.connect(lambda: self.sig_mode_chosen.emit(CAMPAIGN))

    def current_mode(self) -> str:
        return (
            CAMPAIGN
            if self.work_list is not None and self.stack.currentWidget() is self.work_list
            else CLIENTS
        )

    def show_mode(self, mode: str, work_list: QWidget | None = None) -> None:
        """Shows one list; the work list is handed over the first time it is shown."""
        if work_list is not None and self.work_list is None:
            self.work_list = work_list
            self.stack.addWidget(work_list)
        showing = self.work_list if mode == CAMPAIGN and self.work_list is not None else self.client_list
        self.stack.setCurrentWidget(showing)
        (self.campaign_button if showing is self.work_list else self.clients_button).setChecked(True)
