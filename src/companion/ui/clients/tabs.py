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
    QStackedWidget,
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
from companion.render.links import set_safe_markdown
from companion.ui.common.record_actions import RecordRole
from companion.ui.common.record_form import RecordForm
from companion.ui.common.theme import severity_color
from companion.ui.common.wrapping_delegate import WrappingDelegate

OVERVIEW_FIELDS = (
    "name", "aliases", "industry", "website", "status", "tags", "owner_id", "review_every_days",
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


def _md_plain(text: str) -> str:
    """A value shown literally inside markdown (names may hold * or _)."""
    for mark in "\\*_`#[]<>":
        text = text.replace(mark, "\\" + mark)
    return text


def _subheading(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "subheading")
    return label


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    return label


def _toolbar(*buttons: QPushButton) -> QHBoxLayout:
    bar = QHBoxLayout()
    for button in buttons:
        bar.addWidget(button)
    bar.addStretch(1)
    return bar


class OverviewTab(QWidget):
    """The client as a profile to read (key facts first, long texts rendered), with an Edit switch to the
    autosaving form."""

    def __init__(self, form: RecordForm, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit_button = QPushButton(self.tr("Edit"))
        self.edit_button.setCheckable(True)
        self.edit_button.setToolTip(self.tr("Edit the profile; every field is saved as you go"))
        layout.addLayout(_toolbar(self.edit_button))
        self.stack = QStackedWidget()
        self.profile = QTextBrowser()
        self.profile.setOpenExternalLinks(True)
        self.profile.setAccessibleName(self.tr("Client profile"))
        self.stack.addWidget(self.profile)
        self.stack.addWidget(_scrolled(form))
        layout.addWidget(self.stack, 1)
        self.edit_button.toggled.connect(self._on_edit_button_toggled)

    def _on_edit_button_toggled(self, editing: bool) -> None:
        self.stack.setCurrentIndex(1 if editing else 0)
        self.edit_button.setText(self.tr("Done") if editing else self.tr("Edit"))
        if editing:
            self.form.focus_first()

    def show_page(self, page: ClientPage) -> None:
        self.form.load(page.client)
        set_safe_markdown(self.profile.document(), self.profile_markdown(page))

    def profile_markdown(self, page: ClientPage) -> str:
        client = page.client
        kind = get_kind("client")
        facts = [
            choice_label(str(client["status"])) if client["status"] else "",
            str(client["industry"] or ""),
            self.tr("Our owner: {0}").format(page.name(client["owner_id"])) if client["owner_id"] else "",
            f"<{client['website']}>" if client["website"] else "",
        ]
        parts = [" · ".join(_md_plain(f) if not f.startswith("<") else f for f in facts if f)]
        if client["aliases"]:
            parts.append(self.tr("Also known as: {0}").format(_md_plain(", ".join(client["aliases"]))))
        if client["tags"]:
            parts.append(self.tr("Cohorts: {0}").format(_md_plain(", ".join(client["tags"]))))
        texts = [f for f in OVERVIEW_FIELDS if kind.field(f).type == "longtext" and client[f]]
        for name in texts:
            parts.append(f"### {self.tr(kind.field(name).label)}\n\n{client[name]}")
        if not texts:
            parts.append(
                "*"
                + self.tr(
                    "Nothing written about this client yet: use Edit to add its summary, mission and history."
                )
                + "*"
            )
        return "\n\n".join(p for p in parts if p)


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
        column.addWidget(_subheading(self.tr("Sub-groups")))
        self.sub_groups = QTreeWidget()
        self.sub_groups.setHeaderHidden(True)
        self.sub_groups.setItemDelegate(WrappingDelegate(self.sub_groups))
        self.sub_groups.setAccessibleName(self.tr("Sub-groups"))
        column.addWidget(self.sub_groups, 2)
        self.no_sub_groups = _hint(
            self.tr("No sub-groups yet. Add the divisions whose culture differs from the whole.")
        )
        column.addWidget(self.no_sub_groups)
        column.addWidget(_subheading(self.tr("Culture role models")))
        self.role_models = QListWidget()
        self.role_models.setWordWrap(True)
        self.role_models.setAccessibleName(self.tr("Culture role models"))
        column.addWidget(self.role_models, 1)
        self.no_role_models = _hint(
            self.tr("Nobody marked yet. Mark a person whose behaviour the culture rewards (edit their role).")
        )
        column.addWidget(self.no_role_models)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.add_sub_group.clicked.connect(self.sig_add_sub_group_requested)

    def show_page(self, page: ClientPage) -> None:
        self.form.load(page.client)
        self.sub_groups.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for group in page.sub_groups:
            text = str(group["name"]) + (f"\n{group['culture']}" if group["culture"] else "")
            item = QTreeWidgetItem([text])
            item.setData(0, RecordRole, ("sub_group", group.id))
            item.setToolTip(0, text)
            items[group.id] = item
        for group in page.sub_groups:
            parent = items.get(str(group["parent_id"])) if group["parent_id"] else None
            if parent is not None and parent is not items[group.id]:
                parent.addChild(items[group.id])
            else:  # a top group, or one whose parent is gone
                self.sub_groups.addTopLevelItem(items[group.id])
        self.sub_groups.expandAll()
        self.sub_groups.setVisible(bool(page.sub_groups))
        self.no_sub_groups.setVisible(not page.sub_groups)
        self.role_models.clear()
        models = [p for p in page.people if p.current and p.position["role_model"]]
        for person in models:
            due = person.position["role_model_reassess_by"]
            when = self.tr(" — reassess by {0}").format(due) if due else ""
            item = QListWidgetItem(f"★ {person.name}, {person.position['title'] or ''}{when}")
            item.setData(RecordRole, ("position", person.position.id))
            self.role_models.addItem(item)
        self.role_models.setVisible(bool(models))
        self.no_role_models.setVisible(not models)


class GuidelinesTab(QWidget):
    """Do's and don'ts grouped by what they apply to; must-items stand out."""

    sig_add_requested = Signal()
    """The person wants to add a do or a don't."""

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
        # The whole rule and its why, wrapped: nothing is cut off or hidden in a tooltip.
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        layout.addWidget(self.tree, 1)
        self.empty = _empty_label(
            self.tr("No do's and don'ts yet.\nAdd what a newcomer must know before the first visit.")
        )
        layout.addWidget(self.empty)
        self.add_button.clicked.connect(self.sig_add_requested)
        self.tree.currentItemChanged.connect(
            lambda item, _prev: self.delete_button.setEnabled(bool(item and item.data(0, RecordRole)))
        )

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
            child.setData(0, RecordRole, ("guideline", g.id))
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

    def show_page(self, page: ClientPage) -> None:
        self.delete_button.setVisible(bool(page.sites))
        current = self.list.currentItem().data(RecordRole)[1] if self.list.currentItem() else None
        self._sites = {s.id: s for s in page.sites}
        self.list.blockSignals(True)
        self.list.clear()
        for site in page.sites:
            item = QListWidgetItem(("⚠ " if site_is_stale(site) else "") + str(site["name"]))
            item.setData(RecordRole, ("site", site.id))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.splitter.setVisible(bool(page.sites))
        self.empty.setVisible(not page.sites)
        ids = [s.id for s in page.sites]
        if page.sites:
            self.list.setCurrentRow(ids.index(current) if current in ids else 0)
            self._on_list_current_changed(self.list.currentItem(), None)

    def _on_list_current_changed(self, item: QListWidgetItem | None, _previous) -> None:
        site = self._sites.get(item.data(RecordRole)[1]) if item else None
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
    """The interaction log, newest first; each interaction's follow-ups under it, ticked done in place."""

    sig_log_requested = Signal()
    """The person wants to log an interaction."""
    sig_follow_up_done = Signal(str, bool)
    """A follow-up was ticked or unticked in place: (its id, done)."""
    sig_follow_up_snoozed = Signal(str)
    """The person put a follow-up off by a week (its id)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.log_button = QPushButton(self.tr("Log interaction…"))
        self.snooze_button = QPushButton(self.tr("Snooze a week"))
        self.snooze_button.setToolTip(self.tr("Put the selected follow-up off by a week"))
        self.snooze_button.setEnabled(False)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setEnabled(False)
        layout.addLayout(_toolbar(self.log_button, self.snooze_button, self.delete_button))
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.setAccessibleName(self.tr("Activity timeline"))
        layout.addWidget(self.tree, 1)
        self.empty = _empty_label(
            self.tr("Nothing logged yet.\nLog a call or a visit with Quick capture (Ctrl+Shift+L).")
        )
        layout.addWidget(self.empty)
        self.log_button.clicked.connect(self.sig_log_requested)
        self.snooze_button.clicked.connect(self._on_snooze_clicked)
        self.tree.itemChanged.connect(self._on_tree_item_changed)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)

    def show_page(self, page: ClientPage) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        for interaction in page.interactions:
            people = ", ".join(page.name(i) or self.tr("(someone)") for i in interaction["contact_ids"] or [])
            mood = f" · {choice_label(str(interaction['sentiment']))}" if interaction["sentiment"] else ""
            head = f"{interaction['date']} · {choice_label(str(interaction['channel']))}{mood}"
            head += f" · {people}" if people else ""
            text = head + (f"\n{interaction['summary']}" if interaction["summary"] else "")
            item = QTreeWidgetItem([text])
            item.setData(0, RecordRole, ("interaction", interaction.id))
            item.setToolTip(0, text)
            self.tree.addTopLevelItem(item)
            for follow in page.follow_ups.get(interaction.id, ()):
                due = self.tr(" (due {0})").format(follow["due"]) if follow["due"] else ""
                child = QTreeWidgetItem([f"{follow['text']}{due}"])
                child.setData(0, RecordRole, ("follow_up", follow.id))
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Checked if follow["done"] else Qt.CheckState.Unchecked)
                item.addChild(child)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self.tree.setVisible(bool(page.interactions))
        self.empty.setVisible(not page.interactions)
        self._on_tree_current_changed(self.tree.currentItem(), None)

    def _on_tree_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        kind, record_id = item.data(0, RecordRole)
        if kind == "follow_up" and column == 0:
            self.sig_follow_up_done.emit(record_id, item.checkState(0) == Qt.CheckState.Checked)

    def _on_tree_current_changed(self, item: QTreeWidgetItem | None, _previous) -> None:
        target = item.data(0, RecordRole) if item is not None else None
        self.snooze_button.setEnabled(bool(target) and target[0] == "follow_up")
        self.delete_button.setEnabled(bool(target))

    def _on_snooze_clicked(self) -> None:
        item = self.tree.currentItem()
        target = item.data(0, RecordRole) if item is not None else None
        if target and target[0] == "follow_up":
            self.sig_follow_up_snoozed.emit(target[1])


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

    def _open_current(self) -> None:
        item = self.records.currentItem()
        if item is not None:
            self.sig_meeting_opened.emit(item.data(RecordRole)[1])

    def show_page(self, page: ClientPage) -> None:
        from companion.core.brief import format_when

        self.records.clear()
        for meeting, percent in page.meetings:
            status = choice_label(str(meeting["status"] or "planned"))
            text = self.tr("{0} · {1} · {2} · {3}% prepared").format(
                format_when(meeting["starts_at"], meeting["ends_at"], all_day=meeting["all_day"]),
                meeting["title"],
                status,
                percent,
            )
            item = QListWidgetItem(text)
            item.setData(RecordRole, ("meeting", meeting.id))
            self.records.addItem(item)
        self.records.setVisible(bool(page.meetings))
        self.open_button.setEnabled(bool(page.meetings))
        self.empty.setVisible(not page.meetings)


class NotesTab(QWidget):
    """Notes on the client, its sites and its people, rendered from markdown, with their privacy tier."""

    sig_add_requested = Signal()
    """The person wants to add a note to the client."""

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
            item.setData(RecordRole, ("note", note.id))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.splitter.setVisible(bool(page.notes))
        self.empty.setVisible(not page.notes)
        if page.notes:
            self.list.setCurrentRow(0)
            self._on_list_current_changed(self.list.currentItem(), None)

    def _on_list_current_changed(self, item: QListWidgetItem | None, _previous) -> None:
        note = self._notes.get(item.data(RecordRole)[1]) if item else None
        if note is None:
            self.browser.clear()
            return
        tier = self.tr(TIER_LABELS.get(str(note["privacy"]), ""))
        heading = f"# {note['title']}\n\n" if note["title"] else ""
        set_safe_markdown(
            self.browser.document(), f"{heading}*{tier}* · {note.updated_at[:10]}\n\n{note['body']}"
        )
