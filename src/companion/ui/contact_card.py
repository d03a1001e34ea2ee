"""The contact card: the person first (how to deal with them), then their roles here and elsewhere."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from companion.core.kinds import get_kind
from companion.core.people import Career
from companion.ui.record_form import choice_label


def _esc(value: object) -> str:
    return html.escape(str(value)).replace("\n", "<br>")


class ContactCard(QWidget):
    """Shows one person; the buttons edit them or move them to another client."""

    sig_edit_requested = Signal(str)
    """The person wants to edit this contact (its id)."""
    sig_move_requested = Signal(str)
    """The person wants to move this contact to another client (its id)."""

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
        layout.addWidget(self.browser, 1)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("Edit person…"))
        self.move_button = QPushButton(self.tr("Move to another client…"))
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.move_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.empty = QLabel(self.tr("Choose a person to see how to work with them."))
        self.empty.setProperty("role", "empty-state")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)

    def _connect_signals(self) -> None:
        self.edit_button.clicked.connect(lambda: self.contact_id and self.sig_edit_requested.emit(self.contact_id))
        self.move_button.clicked.connect(lambda: self.contact_id and self.sig_move_requested.emit(self.contact_id))

    def show_career(self, career: Career | None, *, owner_name: str = "") -> None:
        self.contact_id = career.contact.id if career else None
        for widget in (self.browser, self.edit_button, self.move_button):
            widget.setVisible(career is not None)
        self.empty.setVisible(career is None)
        if career is not None:
            self.browser.setHtml(self._html(career, owner_name))

    def _html(self, career: Career, owner_name: str) -> str:
        c = career.contact
        kind = get_kind("contact")
        parts = [f"<h2 style='margin-bottom:2px'>{_esc(c['name'])}</h2>"]
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
            self.tr("Last contact: {0}").format(career.last_contact) if career.last_contact else self.tr("Never contacted")
        )
        if owner_name:
            facts.append(self.tr("Our owner: {0}").format(_esc(owner_name)))
        parts.append("<p>" + " · ".join(facts) + "</p>")
        if c["difficult"]:
            handling = _esc(c["difficult_handling"]) if c["difficult_handling"] else self.tr("No handling notes yet.")
            parts.append(
                "<table width='100%' cellpadding='6' style='background:rgba(220,120,40,0.15)'><tr><td>"
                f"<b>{self.tr('Difficult person')}</b><br>{handling}</td></tr></table>"
            )
        for name in ("personality", "motivators", "sensitivities", "personal_facts"):
            if c[name]:
                parts.append(f"<h4>{self.tr(kind.field(name).label)}</h4><p>{_esc(c[name])}</p>")
        times = []
        if c["best_times"]:
            times.append(self.tr("Best: {0}").format(_esc(c["best_times"])))
        if c["worst_times"]:
            times.append(self.tr("Avoid: {0}").format(_esc(c["worst_times"])))
        if times:
            parts.append(f"<p>{' · '.join(times)}</p>")
        contact_lines = [_esc(v) for v in (c["emails"] or []) + (c["phones"] or [])]
        parts.append(f"<h3>{self.tr('Roles')}</h3>")
        if not career.positions:
            parts.append(f"<p>{self.tr('No roles recorded.')}</p>")
        for position, client_name in career.positions:
            title = _esc(position["title"] or self.tr("(no title)"))
            span = ""
            if position["started"] or position["ended"]:
                span = f" ({_esc(position['started'] or '…')} – {_esc(position['ended'] or self.tr('now'))})"
            state = self.tr("past") if position["ended"] else self.tr("current")
            details = []
            if position["buying_role"]:
                details.append(choice_label(str(position["buying_role"])))
            if position["influence"]:
                details.append(self.tr("influence {0}/5").format(position["influence"]))
            if position["stance"]:
                details.append(self.tr("stance: {0}").format(choice_label(str(position["stance"]))))
            if position["role_model"]:
                due = position["role_model_reassess_by"]
                details.append(
                    self.tr("culture role model (reassess by {0})").format(due) if due else self.tr("culture role model")
                )
            if position["work_email"]:
                contact_lines.append(_esc(position["work_email"]))
            if position["work_phone"]:
                contact_lines.append(_esc(position["work_phone"]))
            parts.append(
                f"<p><b>{title}</b> — {_esc(client_name)}{span} <i>{state}</i><br>{_esc(', '.join(details))}</p>"
            )
        if contact_lines:
            parts.append(f"<h3>{self.tr('Reach them')}</h3><p>{'<br>'.join(contact_lines)}</p>")
        return "".join(parts)
