"""One meeting: its composed checklist to tick, the brief to read, and its details, attendees and templates."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from companion.core import meetings
from companion.core.brief import format_when
from companion.core.changes import ChangeSet
from companion.model.errors import NotFoundError, ValidationError
from companion.model.kinds import Field, kinds_shown_on
from companion.model.labels import choice_label
from companion.render.links import set_safe_markdown
from companion.ui.common.edits import EditController
from companion.ui.common.elided_label import ElidedLabel
from companion.ui.common.record_form import RecordForm
from companion.ui.common.theme import set_role
from companion.ui.common.worker import Failure
from companion.ui.meetings import operations
from companion.ui.meetings.checklist_model import BADGE_SIZE, MUST_URGENT_HOURS, ChecklistModel
from companion.ui.preferences.folders import in_documents

DETAIL_FIELDS = ("title", "site_id", "starts_at", "ends_at", "status", "objectives", "agenda")


def checkable_list(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    return widget


def fill_checkable(widget: QListWidget, choices, checked) -> None:
    """Rows of (id, label), ticked when their id is in `checked`; signals stay quiet while filling."""
    widget.blockSignals(True)
    widget.clear()
    for record_id, label in choices:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, record_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if record_id in checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.blockSignals(False)


def checked_ids(widget: QListWidget) -> list[str]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class MeetingPageView(QWidget):
    """Shows one meeting; every tick, added item and edit is saved as the person goes."""

    sig_closed = Signal()
    """The meeting shown was deleted."""
    sig_client_requested = Signal(str)
    """Back to the meeting's client (its id)."""
    sig_log_requested = Signal(str)
    """The person wants to log what happened at the meeting (its id)."""
    sig_exported = Signal(str)
    """A brief or calendar file was written (its path)."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.meeting_id: str | None = None
        self.page: meetings.MeetingPage | None = None
        self._ticket: int | None = None
        self._build_ui()
        self._connect_signals()

    def _ref_choices(self, field: Field) -> list[tuple[str, str]]:
        if field.ref_kind == "site" and self.page is not None:
            return list(self.page.sites)
        return []

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        header = QHBoxLayout()
        self.title = ElidedLabel()
        set_role(self.title, "heading")
        self.back_button = QPushButton(self.tr("Client"))
        self.back_button.setAccessibleName(self.tr("Back to the client"))
        self.ready_button = QPushButton(self.tr("Mark ready"))
        self.log_button = QPushButton(self.tr("Log the meeting…"))
        self.pdf_button = QPushButton(self.tr("Brief as PDF…"))
        self.ics_button = QPushButton(self.tr("Add to calendar…"))
        self.ics_button.setToolTip(
            self.tr("Save the meeting as an .ics file, with a summary its attendees may read")
        )
        self.delete_button = QPushButton(self.tr("Delete…"))
        header.addWidget(self.title, 1)
        for button in (
            self.back_button,
            self.ready_button,
            self.log_button,
            self.pdf_button,
            self.ics_button,
            self.delete_button,
        ):
            header.addWidget(button)
        layout.addLayout(header)
        self.subtitle = ElidedLabel()
        set_role(self.subtitle, "muted")
        layout.addWidget(self.subtitle)
        progress = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFormat(self.tr("%p% ticked"))
        self.progress.setAccessibleName(self.tr("Preparation"))
        self.progress.setMaximumWidth(320)
        self.musts = QLabel()
        self.musts.setWordWrap(True)
        self.musts.setIndent(6)  # clear of the red bar its "must" role draws on its left
        progress.addWidget(self.progress)
        progress.addWidget(self.musts, 1)
        layout.addLayout(progress)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_checklist(), self.tr("Checklist"))
        self.brief = QTextBrowser()
        self.brief.setOpenExternalLinks(False)
        self.brief.setAccessibleName(self.tr("Meeting brief"))
        self.tabs.addTab(self.brief, self.tr("Brief"))
        self.tabs.addTab(self._build_details(), self.tr("Details"))
        layout.addWidget(self.tabs, 1)

    def _build_checklist(self) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 4, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = ChecklistModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIconSize(BADGE_SIZE)  # the must-items' badges
        self.tree.setAccessibleName(self.tr("Checklist"))
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        splitter.addWidget(self.tree)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName(self.tr("About the selected item"))
        self.detail.setPlaceholderText(self.tr("Select an item to read where it came from and what it says."))
        splitter.addWidget(self.detail)
        splitter.setSizes([420, 120])
        column.addWidget(splitter, 1)
        self.empty = QLabel(
            self.tr(
                "Nothing to prepare yet. Choose templates and attendees under Details, "
                "or add your own items below."
            )
        )
        set_role(self.empty, "empty-state")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.empty)
        adding = QHBoxLayout()
        self.new_item = QLineEdit()
        self.new_item.setPlaceholderText(self.tr("Add your own item…"))
        self.new_item.setAccessibleName(self.tr("New checklist item"))
        self.new_must = QCheckBox(self.tr("Must"))
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove from this meeting"))
        self.remove_button.setEnabled(False)
        adding.addWidget(self.new_item, 1)
        adding.addWidget(self.new_must)
        adding.addWidget(self.add_button)
        adding.addWidget(self.remove_button)
        column.addLayout(adding)
        return holder

    def _build_details(self) -> QWidget:
        holder = QWidget()
        grid = QGridLayout(holder)
        self.form = RecordForm("meeting", DETAIL_FIELDS, ref_choices=self._ref_choices)
        grid.addWidget(self.form, 0, 0, 2, 1)
        self.theirs = checkable_list(self.tr("Their attendees"))
        self.ours = checkable_list(self.tr("Our attendees"))
        self.templates = checkable_list(self.tr("Checklist templates"))
        for row, (label, widget) in enumerate(
            ((self.tr("Their attendees"), self.theirs), (self.tr("Our attendees"), self.ours))
        ):
            box = QVBoxLayout()
            box.addWidget(QLabel(label))
            box.addWidget(widget)
            grid.addLayout(box, row, 1)
        box = QVBoxLayout()
        box.addWidget(QLabel(self.tr("Checklist templates")))
        box.addWidget(self.templates)
        grid.addLayout(box, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(holder)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        return area

    def _connect_signals(self) -> None:
        self.model.sig_tick_requested.connect(self._on_model_tick_requested)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.new_item.returnPressed.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.ready_button.clicked.connect(self._on_ready_clicked)
        self.back_button.clicked.connect(self._on_back_clicked)
        self.log_button.clicked.connect(self._on_log_clicked)
        # Slots without parameters of their own: clicked(bool) must not reach export_pdf's `path`.
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        self.ics_button.clicked.connect(self._on_ics_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.form.sig_save_requested.connect(self._on_form_save_requested)
        for widget, field in (
            (self.theirs, "contact_ids"),
            (self.ours, "colleague_ids"),
            (self.templates, "template_ids"),
        ):
            widget.itemChanged.connect(lambda _item, w=widget, f=field: self._save_list(f, w))

    # --- loading -------------------------------------------------------------------------------

    def show_meeting(self, meeting_id: str) -> None:
        if meeting_id != self.meeting_id:
            self.page = None
            self.model.set_items(())
            self.detail.clear()
        self.meeting_id = meeting_id
        self.reload()

    def reload(self) -> None:
        if self.meeting_id is None:
            return
        if self._ticket is not None:
            self.edits.worker.cancel(self._ticket)
        self._ticket = self.edits.worker.submit(
            partial(operations.meeting_page, meeting_id=self.meeting_id),
            self._on_page_loaded,
            self._on_page_failed,
        )

    def _on_page_loaded(self, loaded: operations.LoadedMeeting) -> None:
        self._ticket = None
        changes, page, markdown = loaded.changes, loaded.page, loaded.brief
        if page.meeting.id != self.meeting_id:
            return
        self.page = page
        meeting = page.meeting
        self.title.setText(str(meeting["title"]))
        where = f" · {page.site_name}" if page.site_name else ""
        status = choice_label(str(meeting["status"] or "planned"))
        self.subtitle.setText(
            f"{page.client_name}{where} · "
            f"{format_when(meeting['starts_at'], meeting['ends_at'], all_day=meeting['all_day'])} · {status}"
        )
        current = self.tree.currentIndex()
        current_id = self.model.data(current, ChecklistModel.IdRole) if current.isValid() else None
        self.model.set_items(page.items, close=self._is_close(meeting))
        self.tree.expandAll()
        if current_id:
            self.tree.setCurrentIndex(self.model.index_of(current_id))
        self.tree.setVisible(bool(page.items))
        self.empty.setVisible(not page.items)
        self._show_readiness()
        scroll = self.brief.verticalScrollBar().value()
        set_safe_markdown(self.brief.document(), markdown)
        self.brief.verticalScrollBar().setValue(scroll)
        self.form.load(meeting)
        fill_checkable(self.theirs, page.people, set(meeting["contact_ids"] or ()))
        fill_checkable(self.ours, page.colleagues, set(meeting["colleague_ids"] or ()))
        fill_checkable(self.templates, page.templates, set(meeting["template_ids"] or ()))
        held = meeting["status"] in ("held", "cancelled")
        self.log_button.setEnabled(page.logged is None and meeting["status"] != "cancelled")
        self.log_button.setToolTip(
            self.tr("Logged on {0}").format(page.logged["date"]) if page.logged is not None else ""
        )
        self.ready_button.setVisible(not held)
        if changes:
            self.edits.announce_derived(changes)

    @staticmethod
    def _is_close(meeting) -> bool:
        """The meeting is still to come (or under way) and starts within MUST_URGENT_HOURS."""
        import datetime as dt

        if meeting["status"] in ("held", "cancelled") or not meeting["starts_at"]:
            return False
        from companion.model.values import local_time, moved

        now = dt.datetime.now().astimezone()
        starts = local_time(meeting["starts_at"])
        ends = local_time(meeting["ends_at"]) if meeting["ends_at"] else starts
        return moved(starts, -dt.timedelta(hours=MUST_URGENT_HOURS)) <= now <= max(starts, ends)

    def _show_readiness(self) -> None:
        page = self.page
        if page is None:
            return
        state = page.readiness
        self.progress.setValue(state.percent)
        ready = page.meeting["status"] == "ready"
        self.ready_button.setText(self.tr("Back to planned") if ready else self.tr("Mark ready"))
        if state.open_musts:
            count = len(state.open_musts)
            self.musts.setText(
                self.tr("1 must-item still open")
                if count == 1
                else self.tr("{0} must-items still open").format(count)
            )
            self.musts.setToolTip("\n".join(f"• {i['text']}" for i in state.open_musts[:15]))
            # Red only when the meeting is close; until then it is a plain count of what is left.
            set_role(self.musts, "must" if self.model.close else None)
        else:
            self.musts.setText(self.tr("Every must-item is ticked.") if state.total else "")
            self.musts.setToolTip("")
            set_role(self.musts, "muted")
        self.ready_button.setEnabled(ready or state.can_be_ready)
        self.ready_button.setToolTip(
            "" if state.can_be_ready or ready else self.tr("Tick every must-item first")
        )

    def _on_page_failed(self, failure: Failure) -> None:
        self._ticket = None
        if isinstance(failure.error, NotFoundError):
            self.meeting_id = None
            self.sig_closed.emit()
        else:
            self.edits.sig_failed.emit(failure)

    def on_changed(self, changes: ChangeSet) -> None:
        shown_here = kinds_shown_on("meeting")
        if self.meeting_id and any(c.kind in shown_here for c in changes.changes):
            self.reload()

    # --- editing -------------------------------------------------------------------------------

    def _on_model_tick_requested(self, item_id: str, done: bool) -> None:
        self.edits.run(
            partial(operations.tick_item, item_id=item_id, done=done),
            on_error=lambda failure: (self.reload(), self.edits.sig_failed.emit(failure)),
        )

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model.item_at(current)
        self.remove_button.setEnabled(item is not None)
        if item is None:
            self.detail.clear()
            return
        source = choice_label(str(item["source"] or "manual"))
        text = f"**{item['text']}**\n\n{item['detail'] or ''}\n\n*{self.tr('From')}: {source}*"
        set_safe_markdown(self.detail.document(), text)

    def _on_add_clicked(self) -> None:
        text = self.new_item.text().strip()
        if not text or self.meeting_id is None:
            self.new_item.setFocus()
            return
        meeting_id, must = self.meeting_id, self.new_must.isChecked()

        def added(_changes) -> None:
            self.new_item.clear()  # only once it is saved: a refusal keeps what was typed
            self.new_must.setChecked(False)

        self.edits.run(
            partial(operations.add_item, meeting_id=meeting_id, text=text, must=must), on_done=added
        )

    def _on_remove_clicked(self) -> None:
        item = self.model.item_at(self.tree.currentIndex())
        if item is not None:
            self.edits.run(partial(operations.remove_item, item_id=item.id))

    def _on_ready_clicked(self) -> None:
        if self.page is None:
            return
        status = "planned" if self.page.meeting["status"] == "ready" else "ready"
        self.edits.update("meeting", self.page.meeting.id, {"status": status})

    def _on_form_save_requested(self, kind: str, record_id: str, values: dict) -> None:
        def refused(failure: Failure) -> None:
            if isinstance(failure.error, ValidationError) and self.form.show_save_error(failure.error):
                return
            self.edits.sig_failed.emit(failure)

        self.edits.update(
            kind,
            record_id,
            values,
            on_done=lambda _c: [self.form.clear_error(n) for n in values],
            on_error=refused,
        )

    def _on_back_clicked(self) -> None:
        if self.page is not None:
            self.sig_client_requested.emit(str(self.page.meeting["client_id"]))

    def _on_log_clicked(self) -> None:
        if self.meeting_id is not None:
            self.sig_log_requested.emit(self.meeting_id)

    def _save_list(self, field: str, widget: QListWidget) -> None:
        if self.page is not None:
            self.edits.update("meeting", self.page.meeting.id, {field: checked_ids(widget) or None})

    def _on_delete_clicked(self) -> None:
        if self.page is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete meeting?"),
            self.tr("Delete “{0}” and its checklist? Undo (Ctrl+Z) brings it back.").format(
                self.page.meeting["title"]
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.edits.delete("meeting", self.page.meeting.id, cascade=True)

    # --- export --------------------------------------------------------------------------------

    def _suggested_name(self, suffix: str) -> str:
        title = str(self.page.meeting["title"]) if self.page else "meeting"
        safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title).strip()[:80] or "meeting"
        return f"{safe}.{suffix}"

    def _on_pdf_clicked(self) -> None:
        self.export_pdf()

    def _on_ics_clicked(self) -> None:
        self.export_ics()

    def export_pdf(self, path: str | None = None, page_size: str = "a4") -> None:
        """Asks where (unless given), then writes the brief as a print-ready PDF."""
        if self.meeting_id is None:
            return
        if path is None:
            path, chosen = QFileDialog.getSaveFileName(
                self,
                self.tr("Save the brief as PDF"),
                in_documents(self._suggested_name("pdf")),
                self.tr("PDF, A4 (*.pdf);;PDF, Letter (*.pdf)"),
            )
            if not path:
                return
            page_size = "letter" if "Letter" in chosen else "a4"

        def write(result) -> None:
            # Drawn here: QPdfWriter and fonts belong to the GUI thread.
            from companion.render.pdf import write_pdf

            title, markdown = result
            self._write(path, lambda target: write_pdf(markdown, target, page_size=page_size, title=title))

        self.edits.worker.submit(partial(operations.brief, meeting_id=self.meeting_id), write)

    def export_ics(self, path: str | None = None) -> None:
        if self.meeting_id is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Add to calendar"),
                in_documents(self._suggested_name("ics")),
                self.tr("iCalendar (*.ics)"),
            )
            if not path:
                return
        self.edits.worker.submit(
            partial(operations.meeting_calendar, meeting_id=self.meeting_id),
            lambda data: self._write(path, partial(_write_bytes, data=data)),
        )

    def _write(self, path: str, write) -> None:
        """Writes a file the person chose; a disk that refuses is said, not raised."""
        from companion.model.errors import CompanionError

        try:
            write(Path(path))
        except CompanionError as exc:  # WriteFailed says the path, the reason and that the old file stays
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
            return
        self.sig_exported.emit(str(path))


def _write_bytes(path: Path, *, data: bytes) -> None:
    """The file written whole or not at all, the one there before kept on failure."""
    from companion.model.files import write_whole

    write_whole(path, lambda part: part.write_bytes(data))
