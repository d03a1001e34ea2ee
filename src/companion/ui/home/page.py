"""Home: what needs attention today, each item one click from the record it is about."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from companion.core.attention import Attention, AttentionItem

HEADINGS = {
    "overdue_contact": "People overdue for contact",
    "role_model_due": "Culture role models to reassess",
    "stale_site": "Sites whose security notes are old",
    "follow_up_due": "Follow-ups due",
    "upcoming_meeting": "Upcoming meetings",
}


class HomePage(QWidget):
    """The start page of an account manager: the day's attention list."""

    sig_item_activated = Signal(object)
    """The person opened an attention item (an AttentionItem)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.items: list[AttentionItem] = []
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(self.tr("What needs attention"))
        title.setProperty("role", "heading")
        layout.addWidget(title)
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Attention list"))
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        self.empty = QLabel(
            self.tr(
                "Nothing needs attention today.\nAdd a visit rhythm to your key people and they will show up here when due."
            )
        )
        self.empty.setProperty("role", "empty-state")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty, 1)

    def _connect_signals(self) -> None:
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.list.itemDoubleClicked.connect(self._on_list_item_activated)

    def set_items(self, attention: Attention) -> None:
        items = list(attention.items)
        self.items = items
        self.list.clear()
        by_reason: dict[str, list[AttentionItem]] = {}
        for item in items:
            by_reason.setdefault(item.reason, []).append(item)
        for reason, heading in HEADINGS.items():
            group = by_reason.get(reason)
            if not group:
                continue
            total = attention.totals.get(reason, len(group))
            header = QListWidgetItem(self.tr("{0} ({1})").format(self.tr(heading), f"{total:,}"))
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)  # readable, not selectable
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.list.addItem(header)
            for item in group:
                row = QListWidgetItem(f"   {item.title} — {item.detail}")
                row.setData(Qt.ItemDataRole.UserRole, item)
                row.setToolTip(item.detail)
                self.list.addItem(row)
            if total > len(group):
                more = QListWidgetItem(self.tr("   … and {0} more").format(f"{total - len(group):,}"))
                more.setFlags(Qt.ItemFlag.NoItemFlags)
                self.list.addItem(more)
        self.summary.setText(
            self.tr("{0} items").format(f"{sum(attention.totals.values()):,}") if items else ""
        )
        self.list.setVisible(bool(items))
        self.empty.setVisible(not items)

    def _on_list_item_activated(self, row: QListWidgetItem) -> None:
        item = row.data(Qt.ItemDataRole.UserRole)
        if item is not None:
            self.sig_item_activated.emit(item)
