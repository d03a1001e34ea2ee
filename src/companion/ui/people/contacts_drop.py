"""Files dropped on a view that takes contacts (the people directory, a client's People, the client list)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Signal
from PySide6.QtWidgets import QWidget

# What an address book or a CRM exports contacts as: vCards, or a table of them.
CONTACTS_SUFFIXES = (".vcf", ".vcard", ".csv")


def dropped_files(mime: QMimeData) -> list[str]:
    """The local files a drag carries (a link to a web page is no file)."""
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


def is_contacts_file(path: str) -> bool:
    """Whether a file is a vCard or CSV file, by its name (its content is read, and refused, later)."""
    return Path(path).suffix.lower() in CONTACTS_SUFFIXES


class ContactsDrop(QObject):
    """Watches a widget for files dragged over and dropped on it: any local file is taken (one that holds no
    contacts is refused in words by whoever imports it), anything else is left to the widget."""

    sig_dropped = Signal(list, QPoint)
    """Files were dropped: (their paths, where in the widget)."""
    sig_hovered = Signal(QPoint)
    """Files are dragged over the widget, here (the client list marks the client under them)."""
    sig_left = Signal()
    """The drag left the widget, or was dropped."""

    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.watch(widget)

    def watch(self, widget: QWidget) -> None:
        """Takes files dropped on this widget too (one inside the first that would take drops itself)."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            files = dropped_files(event.mimeData())
            if not files:
                return False
            event.acceptProposedAction()
            where = event.position().toPoint()
            if kind == QEvent.Type.Drop:
                self.sig_left.emit()
                self.sig_dropped.emit(files, where)
            else:
                self.sig_hovered.emit(where)
            return True
        if kind == QEvent.Type.DragLeave:
            self.sig_left.emit()
        return False
