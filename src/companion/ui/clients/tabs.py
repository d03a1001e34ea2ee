"""The client page's sections other than People: overview, culture, do's and don'ts, sites, activity, notes."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.client_view import ClientPage
from companion.core.staleness import site_is_stale
from companion.model.kinds import get_kind
from companion.model.labels import choice_label
from companion.ui.common.record_form import RecordForm
from companion.ui.common.theme import severity_color

OVERVIEW_FIELDS = (
    "name", "aliases", "industry", "website", "status", "tags", "owner_id",
    "summary", "mission", "vision", "values", "history", "objectives", "strategy", "buying_process", "politics",
)  # fmt: skip
CULTURE_FIELDS = ("culture", "protocols", "success_factors")
TIER_LABELS = {"private": "Private", "team": "Team", "induction_safe": "Induction-safe"}
SITE_FIELDS = tuple(f.name for f in get_kind("site").fields if f.name != "client_id")


def _esc(value: object) -> str:
    return html.escape(str(value)).replace("\n", "<br>")


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


def _empty_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "empty-state")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def _emit_current(records: QListWidget, kind: str, signal) -> None:
    """Emits (kind, id) for the record selected in a list, if one is."""
    item = records.currentItem()
    if item is not None:
        signal.emit(kind, item.data(Qt.ItemDataRole.UserRole))


def _toolbar(*buttons: QPushButton) -> QHBoxLayout:
    bar = QHBoxLayout()
    for button in buttons:
        bar.addWidget(button)
    bar.addStretch(1)
    return bar


class FormTab(QWidget):
    """A section that is one autosaving form over the client record."""

    def __init__(self, form: RecordForm, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_scrolled(form))

    def show_page(self, page: ClientPage) -> None:
        self.form.load(page.client)


class CultureTab(QWidget):
    """Culture and psyche, protocols, success factors; sub-groups that differ; culture role models."""

    sig_add_sub_group_requested = Signal()
    """The person wants to add a sub-group."""

    def __init__(self, form: RecordForm, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(_scrolled(form))
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        self.add_sub_group = QPushButton(self.tr("Add sub-group…"))
        column.addLayout(_toolbar(self.add_sub_group))
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(self.tr("Sub-groups and culture role models"))
        column.addWidget(self.browser)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.add_sub_group.clicked.connect(self.sig_add_sub_group_requested)

    def show_page(self, page: ClientPage) -> None:
        self.form.load(page.client)
        parts = [f"<h3>{self.tr('Sub-groups')}</h3>"]
        children: dict[str | None, list] = {}
        for group in page.sub_groups:
            children.setdefault(group["parent_id"], []).append(group)
        known = {g.id for g in page.sub_groups}

        def render(parent_id: str | None, depth: int, seen: set[str]) -> None:
            for group in children.get(parent_id, []):
                if group.id in seen:
                    continue
                seen.add(group.id)
                indent = "&nbsp;" * 4 * depth
                parts.append(f"<p>{indent}<b>{_esc(group['name'])}</b>")
                if group["culture"]:
                    parts.append(f"<br>{indent}{_esc(group['culture'])}")
                parts.append("</p>")
                render(group.id, depth + 1, seen)

        render(None, 0, set())
        orphans = [g for g in page.sub_groups if g["parent_id"] and g["parent_id"] not in known]
        for group in orphans:
            children.setdefault(None, []).append(group)
        if not page.sub_groups:
            parts.append(
                f"<p><i>{self.tr('No sub-groups yet. Add the divisions whose culture differs from the whole.')}</i></p>"
            )
        parts.append(f"<h3>{self.tr('Culture role models')}</h3>")
        models = [p for p in page.people if p.current and p.position["role_model"]]
        for person in models:
            due = person.position["role_model_reassess_by"]
            when = self.tr(" — reassess by {0}").format(due) if due else ""
            parts.append(
                f"<p>★ <b>{_esc(person.name)}</b>, {_esc(person.position['title'] or '')}{_esc(when)}</p>"
            )
        if not models:
            parts.append(
                f"<p><i>{self.tr('Nobody marked yet. Mark a person whose behaviour the culture rewards.')}</i></p>"
            )
        self.browser.setHtml("".join(parts))


class GuidelinesTab(QWidget):
    """Do's and don'ts grouped by what they apply to; must-items stand out."""

    sig_add_requested = Signal()
    """The person wants to add a do or a don't."""
    sig_delete_requested = Signal(str, str)
    """The person wants to delete a record: (kind, id)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(self.tr("Add do or don't…"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setEnabled(False)
        layout.addLayout(_toolbar(self.add_button, self.delete_button))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Do or don't"), self.tr("Category"), self.tr("Severity")])
        self.tree.setAccessibleName(self.tr("Do's and don'ts"))
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        layout.addWidget(self.tree, 1)
        self.empty = _empty_label(
            self.tr("No do's and don'ts yet.\nAdd what a newcomer must know before the first visit.")
        )
        layout.addWidget(self.empty)
        self.add_button.clicked.connect(self.sig_add_requested)
        self.tree.currentItemChanged.connect(
            lambda item, _prev: self.delete_button.setEnabled(
                bool(item and item.data(0, Qt.ItemDataRole.UserRole))
            )
        )
        self.delete_button.clicked.connect(self._on_delete_clicked)

    def _on_delete_clicked(self) -> None:
        item = self.tree.currentItem()
        record_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if record_id:
            self.sig_delete_requested.emit("guideline", record_id)

    def show_page(self, page: ClientPage) -> None:
        self.delete_button.setEnabled(False)
        self.tree.clear()
        groups: dict[tuple[int, str], QTreeWidgetItem] = {}
        guideline = get_kind("guideline")
        order = {scope: number for number, scope in enumerate(guideline.field("scope").choices)}
        rows = sorted(
            page.guidelines,
            key=lambda g: (order.get(str(g["scope"]), 9), g["severity"] != "must", str(g["text"])),
        )
        for g in rows:
            scope = str(g["scope"])
            target_field = guideline.scope_target(g.values)
            target = g[target_field] if target_field else None
            heading = (
                self.tr("The whole client")
                if target_field is None
                else f"{choice_label(scope)}: {page.name(target) or '?'}"
            )
            key = (order.get(scope, 9), heading)
            if key not in groups:
                item = QTreeWidgetItem([heading])
                font = QFont()
                font.setBold(True)
                item.setFont(0, font)
                item.setFirstColumnSpanned(True)
                groups[key] = item
                self.tree.addTopLevelItem(item)
            mark = "✓ " + self.tr("Do") if g["polarity"] == "do" else "✗ " + self.tr("Don't")
            text = f"{mark}: {g['text']}"
            if g["why"]:
                text += "\n" + self.tr("Why: {0}").format(g["why"])
            child = QTreeWidgetItem(
                [
                    text,
                    choice_label(str(g["category"])) if g["category"] else "",
                    choice_label(str(g["severity"])) if g["severity"] else "",
                ]
            )
            child.setToolTip(0, text)
            child.setData(0, Qt.ItemDataRole.UserRole, g.id)
            if g["severity"] == "must":
                font = QFont()
                font.setBold(True)
                child.setFont(0, font)
                child.setFont(2, font)
                child.setForeground(2, severity_color("must"))
            groups[key].addChild(child)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(1)
        self.tree.resizeColumnToContents(2)
        self.tree.setColumnWidth(0, max(300, self.tree.width() - 260))
        self.tree.setVisible(bool(rows))
        self.empty.setVisible(not rows)


class SitesTab(QWidget):
    """The client's sites: address, hours, arrival, dress code, security; old notes get a warning."""

    sig_add_requested = Signal()
    """The person wants to add a site."""
    sig_delete_requested = Signal(str, str)
    """The person wants to delete a record: (kind, id)."""

    def __init__(self, form: RecordForm, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        self._sites: dict[str, object] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(self.tr("Add site…"))
        self.delete_button = QPushButton(self.tr("Delete site"))
        layout.addLayout(_toolbar(self.add_button, self.delete_button))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Sites"))
        splitter.addWidget(self.list)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.warning = QLabel()
        self.warning.setProperty("role", "warning")
        self.warning.setWordWrap(True)
        column.addWidget(self.warning)
        column.addWidget(_scrolled(form), 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        self.empty = _empty_label(
            self.tr(
                "No sites yet.\nAdd the offices and plants you visit, with their dress code and security rules."
            )
        )
        layout.addWidget(self.empty)
        self.splitter = splitter
        self.add_button.clicked.connect(self.sig_add_requested)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.delete_button.clicked.connect(
            lambda: _emit_current(self.list, "site", self.sig_delete_requested)
        )

    def show_page(self, page: ClientPage) -> None:
        self.delete_button.setVisible(bool(page.sites))
        current = self.list.currentItem().data(Qt.ItemDataRole.UserRole) if self.list.currentItem() else None
        self._sites = {s.id: s for s in page.sites}
        self.list.blockSignals(True)
        self.list.clear()
        for site in page.sites:
            item = QListWidgetItem(("⚠ " if site_is_stale(site) else "") + str(site["name"]))
            item.setData(Qt.ItemDataRole.UserRole, site.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.splitter.setVisible(bool(page.sites))
        self.empty.setVisible(not page.sites)
        ids = [s.id for s in page.sites]
        if page.sites:
            self.list.setCurrentRow(ids.index(current) if current in ids else 0)
            self._on_list_current_changed(self.list.currentItem(), None)

    def _on_list_current_changed(self, item: QListWidgetItem | None, _previous) -> None:
        site = self._sites.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
        self.form.load(site)
        stale = site is not None and site_is_stale(site)
        if stale:
            verified = site["last_verified"]
            self.warning.setText(
                self.tr("⚠ Security notes last verified {0}: check them with the site before you go.").format(
                    verified
                )
                if verified
                else self.tr("⚠ Security notes were never verified: check them with the site before you go.")
            )
        self.warning.setVisible(stale)


class ActivityTab(QWidget):
    """The interaction log as a timeline, with follow-ups and their due dates."""

    sig_log_requested = Signal()
    """The person wants to log an interaction."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.log_button = QPushButton(self.tr("Log interaction…"))
        layout.addLayout(_toolbar(self.log_button))
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(self.tr("Activity timeline"))
        layout.addWidget(self.browser, 1)
        self.empty = _empty_label(
            self.tr("Nothing logged yet.\nLog a call or a visit with Quick capture (Ctrl+Shift+L).")
        )
        layout.addWidget(self.empty)
        self.log_button.clicked.connect(self.sig_log_requested)

    def show_page(self, page: ClientPage) -> None:
        parts = []
        for interaction in page.interactions:
            people = ", ".join(page.name(i) or self.tr("(someone)") for i in interaction["contact_ids"] or [])
            mood = f" · {choice_label(str(interaction['sentiment']))}" if interaction["sentiment"] else ""
            parts.append(
                f"<p><b>{_esc(interaction['date'])}</b> · {_esc(choice_label(str(interaction['channel'])))}{mood}"
                + (f" · {_esc(people)}" if people else "")
                + (f"<br>{_esc(interaction['summary'])}" if interaction["summary"] else "")
            )
            for follow in page.follow_ups.get(interaction.id, ()):
                box = "☑" if follow["done"] else "☐"
                due = self.tr(" (due {0})").format(follow["due"]) if follow["due"] else ""
                parts.append(f"<br>&nbsp;&nbsp;{box} {_esc(follow['text'])}{_esc(due)}")
            parts.append("</p>")
        self.browser.setHtml("".join(parts))
        self.browser.setVisible(bool(parts))
        self.empty.setVisible(not parts)


class MeetingsTab(QWidget):
    """The client's meetings, latest first, with how far each one's preparation is."""

    sig_plan_requested = Signal()
    """The person wants to plan a meeting with this client."""
    sig_meeting_opened = Signal(str)
    """The person opened a meeting (its id)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plan_button = QPushButton(self.tr("Plan meeting…"))
        self.open_button = QPushButton(self.tr("Open"))
        layout.addLayout(_toolbar(self.plan_button, self.open_button))
        self.records = QListWidget()
        self.records.setAccessibleName(self.tr("Meetings"))
        layout.addWidget(self.records, 1)
        self.empty = _empty_label(
            self.tr(
                "No meetings yet. Plan one (Ctrl+M): its checklist is composed from what you know "
                "about this client, its sites and its people."
            )
        )
        layout.addWidget(self.empty)
        self.plan_button.clicked.connect(self.sig_plan_requested)
        self.open_button.clicked.connect(self._open_current)
        self.records.itemActivated.connect(lambda _item: self._open_current())

    def _open_current(self) -> None:
        item = self.records.currentItem()
        if item is not None:
            self.sig_meeting_opened.emit(item.data(Qt.ItemDataRole.UserRole))

    def show_page(self, page: ClientPage) -> None:
        from companion.core.brief import format_when

        self.records.clear()
        for meeting, percent in page.meetings:
            status = choice_label(str(meeting["status"] or "planned"))
            text = self.tr("{0} · {1} · {2} · {3}% prepared").format(
                format_when(meeting["starts_at"], meeting["ends_at"]), meeting["title"], status, percent
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, meeting.id)
            self.records.addItem(item)
        self.records.setVisible(bool(page.meetings))
        self.open_button.setEnabled(bool(page.meetings))
        self.empty.setVisible(not page.meetings)


class NotesTab(QWidget):
    """Notes on the client, its sites and its people, rendered from markdown, with their privacy tier."""

    sig_add_requested = Signal()
    """The person wants to add a note to the client."""
    sig_delete_requested = Signal(str, str)
    """The person wants to delete a record: (kind, id)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._notes: dict[str, object] = {}
        self._page: ClientPage | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(self.tr("Add note…"))
        self.delete_button = QPushButton(self.tr("Delete note"))
        layout.addLayout(_toolbar(self.add_button, self.delete_button))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Notes"))
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(self.tr("Note"))
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.browser)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.empty = _empty_label(
            self.tr("No notes yet.\nWrite down what you learn: it becomes the team's memory.")
        )
        layout.addWidget(self.empty)
        self.add_button.clicked.connect(self.sig_add_requested)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.delete_button.clicked.connect(
            lambda: _emit_current(self.list, "note", self.sig_delete_requested)
        )

    def show_page(self, page: ClientPage) -> None:
        self.delete_button.setVisible(bool(page.notes))
        self._page = page
        self._notes = {n.id: n for n in page.notes}
        self.list.blockSignals(True)
        self.list.clear()
        for note in page.notes:
            about = page.name(note["site_id"] or note["contact_id"]) or page.client["name"]
            title = note["title"] or str(note["body"]).strip().splitlines()[0][:60]
            tier = self.tr(TIER_LABELS.get(str(note["privacy"]), ""))
            item = QListWidgetItem(f"{title}\n{about} · {tier}")
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.splitter.setVisible(bool(page.notes))
        self.empty.setVisible(not page.notes)
        if page.notes:
            self.list.setCurrentRow(0)
            self._on_list_current_changed(self.list.currentItem(), None)

    def _on_list_current_changed(self, item: QListWidgetItem | None, _previous) -> None:
        note = self._notes.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
        if note is None:
            self.browser.clear()
            return
        tier = self.tr(TIER_LABELS.get(str(note["privacy"]), ""))
        heading = f"# {note['title']}\n\n" if note["title"] else ""
        self.browser.setMarkdown(f"{heading}*{tier}* · {note.updated_at[:10]}\n\n{note['body']}")
