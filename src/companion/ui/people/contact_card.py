"""The contact card: the person first (how to deal with them), then their roles and relationships as records."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.people import Career, describe_tie
from companion.model.kinds import get_kind
from companion.model.labels import choice_label
from companion.render.links import set_safe_markdown
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.wrapping_delegate import WrappingDelegate


def _plain(value: object) -> str:
    """A one-line value shown literally inside markdown (names may hold * or _)."""
    text = str(value)
    for mark in "\\*_`#[]<>":
        text = text.replace(mark, "\\" + mark)
    return text


class ContactCard(QWidget):
    """Shows one person; the buttons edit them or move them to another client."""

    sig_edit_requested = Signal(str)
    """The person wants to edit this contact (its id)."""
    sig_move_requested = Signal(str)
    """The person wants to move this contact to another client (its id)."""
    sig_delete_requested = Signal(str, str)
    """The person wants to delete this contact: ("contact", id)."""
    sig_add_relationship_requested = Signal(str)
    """The person wants to record a relationship of this contact's (its id)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.contact_id: str | None = None
        self._build_ui()
        self._connect_signals()
        self.show_career(None)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Contact card"))
        # Their roles and relationships are records: Enter or double-click edits one, Delete asks.
        self.records = QTreeWidget()
        self.records.setHeaderHidden(True)
        self.records.setRootIsDecorated(False)
        self.records.setAccessibleName(self.tr("Roles and relationships"))
        self.records.setItemDelegate(WrappingDelegate(self.records))
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(self.records)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([3000, 1000])  # (in proportion: the card first, its records below)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        # Two rows of two: the card is narrow beside the table, and labels stay whole in any language.
        buttons = QGridLayout()
        self.edit_button = QPushButton(self.tr("Edit person…"))
        self.relate_button = QPushButton(self.tr("Add relationship…"))
        self.move_button = QPushButton(self.tr("Move to another client…"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        for number, button in enumerate(
            (self.edit_button, self.relate_button, self.move_button, self.delete_button)
        ):
            buttons.addWidget(button, number // 2, number % 2)
        layout.addLayout(buttons)
        self.empty = QLabel(self.tr("Choose a person to see how to work with them."))
        self.empty.setProperty("role", "empty-state")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)

    def _connect_signals(self) -> None:
        self.edit_button.clicked.connect(
            lambda: self.contact_id and self.sig_edit_requested.emit(self.contact_id)
        )
        self.move_button.clicked.connect(
            lambda: self.contact_id and self.sig_move_requested.emit(self.contact_id)
        )
        self.delete_button.clicked.connect(
            lambda: self.contact_id and self.sig_delete_requested.emit("contact", self.contact_id)
        )
        self.relate_button.clicked.connect(
            lambda: self.contact_id and self.sig_add_relationship_requested.emit(self.contact_id)
        )

    def show_career(self, career: Career | None, *, owner_name: str = "") -> None:
        self.contact_id = career.contact.id if career else None
        for widget in (
            self.splitter,
            self.edit_button,
            self.move_button,
            self.relate_button,
            self.delete_button,
        ):
            widget.setVisible(career is not None)
        self.empty.setVisible(career is None)
        if career is not None:
            set_safe_markdown(self.browser.document(), self._markdown(career, owner_name))
        self._show_records(career)

    def _show_records(self, career: Career | None) -> None:
        """Their roles (here and elsewhere, past ones too) and relationships, each a record to edit."""
        self.records.clear()
        if career is None:
            return
        roles = self._group(self.tr("Roles"))
        for position, client_name in career.positions:
            title = position["title"] or self.tr("(no title)")
            span = ""
            if position["started"] or position["ended"]:
                span = f" ({position['started'] or '…'} – {position['ended'] or self.tr('now')})"
            details = [self.tr("past") if position["ended"] else self.tr("current")]
            if position["buying_role"]:
                details.append(choice_label(str(position["buying_role"])))
            if position["influence"]:
                details.append(self.tr("influence {0}/5").format(position["influence"]))
            if position["stance"]:
                details.append(self.tr("stance: {0}").format(choice_label(str(position["stance"]))))
            self._record(
                roles, f"{title} — {client_name}{span} · {', '.join(details)}", "position", position.id
            )
        ties = self._group(self.tr("Relationships"))
        for tie in career.ties:
            self._record(ties, describe_tie(tie), "relationship", tie.relationship.id)
        for group, empty in (
            (roles, self.tr("No roles recorded.")),
            (ties, self.tr("None recorded: Add relationship… records one.")),
        ):
            if not group.childCount():
                QTreeWidgetItem(group, [empty]).setFlags(Qt.ItemFlag.NoItemFlags)
        self.records.expandAll()

    def _group(self, heading: str) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self.records, [heading])
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return group

    def _record(self, group: QTreeWidgetItem, text: str, kind: str, record_id: str) -> None:
        item = QTreeWidgetItem(group, [text])
        item.setData(0, RecordRole, (kind, record_id))
        item.setToolTip(0, self.tr("Enter or double-click to edit; Delete to delete"))

    def _markdown(self, career: Career, owner_name: str) -> str:
        """The card as markdown, in the order it is read before a meeting: who they are and how to reach
        them, where they stand and how to handle them, then what they are like, then their history."""
        c = career.contact
        kind = get_kind("contact")
        current = [(p, client) for p, client in career.positions if not p["ended"]]
        parts = [f"## {_plain(c['name'])}"]
        if current:
            parts.append(
                "  \n".join(
                    f"**{_plain(p['title'] or self.tr('(no title)'))}** — {_plain(client)}"
                    for p, client in current
                )
            )
        reach = [_plain(v) for p, _client in current for v in (p["work_phone"], p["work_email"]) if v]
        reach += [_plain(v) for v in (c["phones"] or []) + (c["emails"] or []) if _plain(v) not in reach]
        if reach:
            parts.append(" · ".join(reach))
        if current:
            stand = []
            position = current[0][0]
            if position["stance"]:
                stand.append(self.tr("Stance: {0}").format(choice_label(str(position["stance"]))))
            if position["influence"]:
                stand.append(self.tr("influence {0}/5").format(position["influence"]))
            if position["buying_role"]:
                stand.append(choice_label(str(position["buying_role"])))
            if position["role_model"]:
                due = position["role_model_reassess_by"]
                stand.append(
                    self.tr("★ culture role model (reassess by {0})").format(due)
                    if due
                    else self.tr("★ culture role model")
                )
            if stand:
                parts.append(" · ".join(stand))
        if c["difficult"]:
            handling = (
                str(c["difficult_handling"]) if c["difficult_handling"] else self.tr("No handling notes yet.")
            )
            parts.append(f"> **⚠ {self.tr('Difficult person')}**\n>\n> " + handling.replace("\n", "\n> "))
        facts = []
        if c["relationship_strength"]:
            strength = int(c["relationship_strength"])
            facts.append(self.tr("Relationship {0}").format("●" * strength + "○" * (5 - strength)))
        if c["decision_orientation"]:
            facts.append(self.tr("Decides: {0}").format(choice_label(str(c["decision_orientation"]))))
        if c["preferred_channel"]:
            facts.append(self.tr("Prefers: {0}").format(choice_label(str(c["preferred_channel"]))))
        if c["visit_frequency_days"]:
            facts.append(self.tr("See every {0} days").format(c["visit_frequency_days"]))
        facts.append(
            self.tr("Last contact: {0}").format(career.last_contact)
            if career.last_contact
            else self.tr("Never contacted")
        )
        if owner_name:
            facts.append(self.tr("Our owner: {0}").format(_plain(owner_name)))
        parts.append(" · ".join(facts))
        times = []
        if c["best_times"]:
            times.append(self.tr("Best: {0}").format(_plain(c["best_times"])))
        if c["worst_times"]:
            times.append(self.tr("Avoid: {0}").format(_plain(c["worst_times"])))
        if times:
            parts.append(" · ".join(times))
        for name in ("personality", "motivators", "sensitivities", "personal_facts"):
            if c[name]:
                parts.append(f"#### {self.tr(kind.field(name).label)}\n\n{c[name]}")
        return "\n\n".join(parts)
