"""Reader mode: a client's induction pack to read calmly, with contents, progress, search and sign-off."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFont, QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core import induction
from companion.core.changes import ChangeSet
from companion.core.pack import ORG_CHART_IMAGE, pack_markdown
from companion.model.errors import NotFoundError
from companion.model.kinds import kinds_shown_on
from companion.render.links import set_safe_markdown
from companion.ui.common.edits import EditController
from companion.ui.common.elided_label import ElidedLabel
from companion.ui.common.theme import set_role, stance_color
from companion.ui.common.worker import Failure
from companion.ui.induction import operations

# Reading type: larger than the rest of the app.
READING_POINTS = 13
SCREEN_CHART_WIDTH = 960
# A section counts as read after this long in view, by its length: a brisk skim, never under a few seconds.
READING_WORDS_PER_SECOND = 12
MIN_READING_SECONDS = 3.0
READING_TICK_MS = 1000
STATUS_TEXT = {"cleared": "Cleared", "reread": "Must re-read", "never": "Never read"}
STATUS_STANCE = {"cleared": "champion", "reread": "sceptic", "never": "unknown"}


class PackReaderPage(QWidget):
    """Read-only: nothing here edits the knowledge, except signing off and the author's candid choice."""

    sig_client_requested = Signal(str)
    """Back to the client's page (its id)."""
    sig_exported = Signal(str)
    """A PDF or HTML file of the pack was written (its path)."""

    def __init__(self, edits: EditController, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.settings = settings
        self.client_id: str | None = None
        self.view: induction.ReaderView | None = None
        self._ticket: int | None = None
        self._sections: list[tuple[str, float]] = []  # (title, top) in document order
        self._read: set[int] = set()
        # Seconds each section has been on screen: a section counts as read once its end was reached and
        # it was in view long enough to read it (READING_WORDS_PER_SECOND), not merely scrolled past.
        self._seen: dict[int, float] = {}
        self.clock = time.monotonic
        self._last_look: float | None = None
        self._last_range: tuple[float, float] | None = None
        self._reached: set[int] = set()  # sections whose end has been in view
        self._ticker = QTimer(self, interval=READING_TICK_MS)
        self._ticker.timeout.connect(self._mark_read)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        header = QHBoxLayout()
        self.title = ElidedLabel()
        set_role(self.title, "heading")
        self.back_button = QPushButton(self.tr("Client"))
        self.back_button.setAccessibleName(self.tr("Back to the client"))
        self.pdf_button = QPushButton(self.tr("PDF…"))
        self.pdf_button.setToolTip(self.tr("Save the pack as a PDF"))
        self.html_button = QPushButton(self.tr("HTML…"))
        self.html_button.setToolTip(self.tr("Save the pack as one web page"))
        header.addWidget(self.title, 1)
        for button in (self.back_button, self.pdf_button, self.html_button):
            header.addWidget(button)
        layout.addLayout(header)
        line = QHBoxLayout()
        self.version = QLabel()
        set_role(self.version, "muted")
        line.addWidget(self.version, 1)
        self.candid = QCheckBox(self.tr("Include candid assessments"))
        self.candid.setToolTip(
            self.tr("Stance, influence, personality, politics and how to handle difficult people")
        )
        line.addWidget(self.candid)
        line.addWidget(QLabel(self.tr("Reading as")))
        self.reader = QComboBox()
        self.reader.setAccessibleName(self.tr("Reading as"))
        self.reader.setMinimumContentsLength(14)
        line.addWidget(self.reader)
        self.add_me_button = QPushButton(self.tr("I'm not listed…"))
        self.add_me_button.setToolTip(self.tr("Add yourself as a reader (a new colleague)"))
        line.addWidget(self.add_me_button)
        self.sign_button = QPushButton(self.tr("I have read this version"))
        line.addWidget(self.sign_button)
        layout.addLayout(line)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find in this pack…"))
        self.search.setAccessibleName(self.tr("Find in this pack"))
        self.search.setClearButtonEnabled(True)
        column.addWidget(self.search)
        self.search_state = QLabel()
        set_role(self.search_state, "muted")
        column.addWidget(self.search_state)
        self.contents = QListWidget()
        self.contents.setAccessibleName(self.tr("Contents"))
        column.addWidget(self.contents, 1)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Sections read"))
        self.progress.setFormat(self.tr("%v of %m sections read"))
        column.addWidget(self.progress)
        splitter.addWidget(left)
        self.text = QTextBrowser()
        self.text.setAccessibleName(self.tr("Induction pack"))
        self.text.setOpenExternalLinks(True)
        font = QFont(self.text.font())
        font.setPointSize(READING_POINTS)
        self.text.document().setDefaultFont(font)
        splitter.addWidget(self.text)
        self.side = QTabWidget()
        self.changes = QTextBrowser()
        self.changes.setAccessibleName(self.tr("What changed since you last read"))
        self.side.addTab(self.changes, self.tr("What changed"))
        self.readers = QTreeWidget()
        self.readers.setHeaderLabels([self.tr("Colleague"), self.tr("Status"), self.tr("Read")])
        self.readers.setRootIsDecorated(False)
        self.readers.setAccessibleName(self.tr("Who is cleared"))
        self.side.addTab(self.readers, self.tr("Who is cleared"))
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([230, 720, 320])
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.contents.currentRowChanged.connect(self._on_contents_row_changed)
        self.text.verticalScrollBar().valueChanged.connect(lambda _v: self._mark_read())
        self.search.returnPressed.connect(self.find_next)
        self.search.textChanged.connect(lambda _t: self.search_state.clear())
        self.sign_button.clicked.connect(self.sign_off)
        self.reader.activated.connect(self._on_reader_activated)
        self.add_me_button.clicked.connect(self._on_add_me_clicked)
        self.candid.clicked.connect(self._on_candid_clicked)
        self.back_button.clicked.connect(
            lambda: self.client_id and self.sig_client_requested.emit(self.client_id)
        )
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.html_button.clicked.connect(lambda: self.export("html"))

    # --- loading -------------------------------------------------------------------------------

    def me(self) -> str | None:
        value = self.settings.value("me", "")
        return str(value) if value else None

    def show_pack(self, client_id: str) -> None:
        if client_id != self.client_id:
            self._read.clear()
            self._seen.clear()
            self._reached.clear()
            self.view = None
        self.client_id = client_id
        self.reload()

    def reload(self) -> None:
        if self.client_id is None:
            return
        if self._ticket is not None:
            self.edits.worker.cancel(self._ticket)
        client_id, me = self.client_id, self.me()
        self._ticket = self.edits.worker.submit(
            partial(operations.reader_view, client_id=client_id, colleague_id=me),
            self._on_view_loaded,
            self._on_view_failed,
        )

    def _on_view_loaded(self, view: induction.ReaderView) -> None:
        self._ticket = None
        if view.state.pack.client_id != self.client_id:
            return
        changed_version = self.view is None or self.view.state.version.id != view.state.version.id
        self.view = view
        pack, version = view.state.pack, int(view.state.version["number"])
        self.title.setText(self.tr("Induction pack — {0}").format(pack.client_name))
        material = self.tr(", a material change") if view.state.version["material"] and version > 1 else ""
        self.version.setText(
            self.tr("Version {0}{1} · {2}").format(
                version, material, self.tr("recorded {0}").format(str(view.state.version.created_at)[:10])
            )
        )
        self.candid.setChecked(pack.candid)
        self._fill_readers(view)
        if changed_version:
            self._show_text(view)
        set_safe_markdown(self.changes.document(), induction.changes_markdown(view))
        self._fill_clearance(view)
        self._update_sign_button()
        if view.state.changes:
            self.edits.announce_derived(view.state.changes)

    def _on_view_failed(self, failure: Failure) -> None:
        self._ticket = None
        if not isinstance(failure.error, NotFoundError):
            self.edits.sig_failed.emit(failure)

    def _show_text(self, view: induction.ReaderView) -> None:
        document = self.text.document()
        scroll = self.text.verticalScrollBar().value()
        set_safe_markdown(
            self.text.document(), pack_markdown(view.state.pack, version=int(view.state.version["number"]))
        )
        if view.state.pack.has_org_chart:
            from companion.ui.people.org_picture import pack_images

            chart = pack_images(list(view.people), candid=view.state.pack.candid).get(ORG_CHART_IMAGE)
            if chart:
                image = QImage.fromData(chart)
                width = min(SCREEN_CHART_WIDTH, self.text.viewport().width() - 48)
                if image.width() > width > 0:
                    image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
                # After the text: setting new text drops the document's resources.
                document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(ORG_CHART_IMAGE), image)
                document.markContentsDirty(0, document.characterCount())
        self.text.verticalScrollBar().setValue(scroll)
        self._index_sections()

    def _index_sections(self) -> None:
        """Where each section starts, for the contents and for counting what has been read."""
        document = self.text.document()
        layout = document.documentLayout()
        titles = [s.title for s in self.view.state.pack.sections] if self.view else []
        found: list[tuple[str, float]] = []
        block = document.begin()
        while block.isValid():
            if (
                block.blockFormat().headingLevel() == 2
                and len(found) < len(titles)
                and block.text() == titles[len(found)]
            ):
                found.append((block.text(), layout.blockBoundingRect(block).top()))
            block = block.next()
        self._sections = found
        self.contents.blockSignals(True)
        self.contents.clear()
        for title, _top in found:
            self.contents.addItem(QListWidgetItem(title))
        self.contents.blockSignals(False)
        self.progress.setRange(0, max(1, len(found)))
        self._mark_read()

    def _fill_readers(self, view: induction.ReaderView) -> None:
        self.reader.blockSignals(True)
        self.reader.clear()
        self.reader.addItem(self.tr("— choose —"), None)
        for colleague_id, name in view.colleagues:
            self.reader.addItem(name, colleague_id)
        self.reader.setCurrentIndex(max(0, self.reader.findData(view.colleague_id)))
        self.reader.blockSignals(False)

    def _fill_clearance(self, view: induction.ReaderView) -> None:
        self.readers.clear()
        for status in view.readers:
            item = QTreeWidgetItem(
                [status.name, self.tr(STATUS_TEXT[status.status]), str(status.read_version or "—")]
            )
            item.setToolTip(0, status.explanation)
            item.setToolTip(1, status.explanation)
            item.setForeground(1, stance_color(STATUS_STANCE[status.status]))
            self.readers.addTopLevelItem(item)
        self.readers.resizeColumnToContents(0)

    # --- reading -------------------------------------------------------------------------------

    def _on_contents_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._sections):
            self.text.verticalScrollBar().setValue(int(self._sections[row][1]))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._last_look = self.clock()
        self._ticker.start()

    def hideEvent(self, event) -> None:
        self._ticker.stop()
        self._last_look = None
        super().hideEvent(event)

    def _spans(self, height: float) -> list[tuple[float, float]]:
        """Where each section starts and ends in the document."""
        tops = [top for _title, top in self._sections]
        return list(zip(tops, [*tops[1:], height], strict=True))

    def reading_seconds(self, index: int) -> float:
        """How long a section must be in view to count as read: by its words, a skimming pace."""
        sections = self.view.state.pack.sections if self.view else ()
        words = len(sections[index].markdown.split()) if index < len(sections) else 0
        return max(MIN_READING_SECONDS, words / READING_WORDS_PER_SECOND)

    def _mark_read(self) -> None:
        """A section counts as read once the reader has scrolled to its end and had it in view long
        enough to read it."""
        if not self._sections:
            self.progress.setValue(0)
            return
        bar = self.text.verticalScrollBar()
        height = self.text.document().size().height()
        top = bar.value()
        seen_to = height if bar.value() >= bar.maximum() else top + self.text.viewport().height()
        now = self.clock()
        if self._last_look is not None and self._last_range is not None:
            # The time since the last look was spent on what was in view then.
            looked, (was_top, was_bottom) = max(0.0, now - self._last_look), self._last_range
            for index, (start, end) in enumerate(self._spans(height)):
                if start < was_bottom and end > was_top:
                    self._seen[index] = self._seen.get(index, 0.0) + looked
        self._last_look = now if self.isVisible() else None
        self._last_range = (top, seen_to)
        for index, (_start, end) in enumerate(self._spans(height)):
            if seen_to >= end - 4:
                self._reached.add(index)
            if index in self._reached and self._seen.get(index, 0.0) >= self.reading_seconds(index):
                self._read.add(index)
        for index in range(self.contents.count()):
            item = self.contents.item(index)
            mark = "✓ " if index in self._read else ""
            item.setText(mark + self._sections[index][0])
        self.progress.setValue(len(self._read))
        self._update_sign_button()

    def all_read(self) -> bool:
        return bool(self._sections) and len(self._read) == len(self._sections)

    def find_next(self) -> bool:
        """Finds the search text after the cursor, wrapping round once; says when there is none."""
        text = self.search.text().strip()
        if not text:
            return False
        if self.text.find(text):
            self.search_state.setText("")
            return True
        cursor = self.text.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.text.setTextCursor(cursor)
        found = self.text.find(text)
        self.search_state.setText("" if found else self.tr("Not in this pack"))
        return found

    # --- signing off and choosing ----------------------------------------------------------------

    def _update_sign_button(self) -> None:
        view = self.view
        me = self.me()
        signed = (
            view is not None
            and view.last_signed is not None
            and int(view.last_signed["version"]) == int(view.state.version["number"])
        )
        self.sign_button.setEnabled(bool(view and me and self.all_read() and not signed))
        if signed:
            self.sign_button.setText(self.tr("Signed off"))
            self.sign_button.setToolTip(
                self.tr("You signed this version on {0}").format(str(view.last_signed["signed_at"])[:10])
            )
        else:
            self.sign_button.setText(self.tr("I have read this version"))
            hint = "" if me else self.tr("Choose who is reading first. ")
            hint += "" if self.all_read() else self.tr("Read every section to the end first.")
            self.sign_button.setToolTip(hint)

    def _on_reader_activated(self, _index: int) -> None:
        colleague_id = self.reader.currentData()
        self.settings.setValue("me", colleague_id or "")
        self.reload()

    def _on_add_me_clicked(self) -> None:
        name, ok = QInputDialog.getText(
            self, self.tr("Add yourself as a reader"), self.tr("Your name, as colleagues know you:")
        )
        if ok and name.strip():
            self.edits.run(partial(operations.add_reader, name=name.strip()), on_done=self._on_reader_added)

    def _on_reader_added(self, changes: ChangeSet) -> None:
        if changes.created_id:
            self.settings.setValue("me", changes.created_id)
            self.reload()

    def sign_off(self) -> None:
        view, me = self.view, self.me()
        if view is None or me is None:
            return
        client_id, content_hash = view.state.pack.client_id, view.state.pack.content_hash
        self.edits.run(
            partial(operations.sign_off, client_id=client_id, colleague_id=me, content_hash=content_hash),
            on_error=lambda failure: (self.reload(), self.edits.sig_failed.emit(failure)),
        )

    def _on_candid_clicked(self, checked: bool) -> None:
        if self.client_id is not None:
            self.edits.update("client", self.client_id, {"pack_candid": checked})

    def on_changed(self, changes: ChangeSet) -> None:
        shown_here = kinds_shown_on("pack")
        if self.client_id and any(c.kind in shown_here for c in changes.changes):
            self.reload()

    # --- export --------------------------------------------------------------------------------

    def export(self, kind: str, path: str | None = None, page_size: str = "a4") -> None:
        """Asks where (unless given), then writes the pack as a PDF or a self-contained HTML file."""
        view = self.view
        if view is None:
            return
        if path is None:
            filters = {
                "pdf": self.tr("PDF, A4 (*.pdf);;PDF, Letter (*.pdf)"),
                "html": self.tr("Web page (*.html)"),
            }
            safe = "".join(
                ch if ch.isalnum() or ch in " -_" else "_" for ch in view.state.pack.client_name
            ).strip()
            path, chosen = QFileDialog.getSaveFileName(
                self,
                self.tr("Save the induction pack"),
                f"{safe or 'pack'} induction pack.{kind}",
                filters[kind],
            )
            if not path:
                return
            page_size = "letter" if "Letter" in chosen else "a4"
        from companion.model.errors import CompanionError
        from companion.render.pack import write_pack_html, write_pack_pdf
        from companion.ui.people.org_picture import pack_images

        pack = view.state.pack
        images = pack_images(list(view.people), candid=pack.candid) if pack.has_org_chart else {}
        version = int(view.state.version["number"])
        try:
            if kind == "pdf":
                write_pack_pdf(
                    view.state.pack, Path(path), version=version, images=images, page_size=page_size
                )
            else:
                write_pack_html(view.state.pack, Path(path), version=version, images=images)
        except CompanionError as exc:  # WriteFailed says the path, the reason and that the old file stays
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
            return
        self.sig_exported.emit(str(path))
