"""Markdown to a print-ready PDF (A4 or Letter) with QTextDocument and QPdfWriter: QtGui only.

Pages are drawn into memory and checked to be a finished PDF before anything touches the disk; the file
is then written whole or not at all (model/files.py), so a failure is never reported as success.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from companion.model.files import write_failed, write_whole
from companion.render.links import set_safe_markdown

PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
_MARGIN_MM = 15
_BODY_POINTS = 9.5


def ensure_gui_application() -> QGuiApplication:
    """Fonts need a QGuiApplication; from the command line it runs without a screen."""
    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication([sys.argv[0] if sys.argv else "companion", "-platform", "offscreen"])
    return app  # type: ignore[return-value]


def check_page_size(page_size: str) -> None:
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)}, not {page_size!r}")


def pdf_writer(device: QIODevice, *, page_size: str, title: str) -> QPdfWriter:
    """A 300-dpi writer onto `device` for A4 or Letter portrait pages with the house margins."""
    check_page_size(page_size)
    ensure_gui_application()
    writer = QPdfWriter(device)
    writer.setTitle(title)
    writer.setCreator("Companion")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE_SIZES[page_size]),
            QPageLayout.Orientation.Portrait,
            QMarginsF(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM, _MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    return writer


def document_for(writer: QPdfWriter, *, points: float = _BODY_POINTS) -> QTextDocument:
    """A text document laid out in the writer's own pixels, so fonts measure as they will print."""
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    font = QFont()
    font.setPointSizeF(points)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    return document


def is_finished_pdf(data: bytes) -> bool:
    """A PDF whose painter began and ended: its header first and its end-of-file mark last."""
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def write_drawn_pdf(path: Path, draw: Callable[[QPdfWriter], object], *, page_size: str, title: str) -> Path:
    """Runs `draw` on a writer into memory, checks a whole PDF came out, then writes it whole to `path`.
    A painter that did not begin or end (QPdfWriter says nothing of it) is WriteFailed, never success."""
    path = Path(path)
    check_page_size(page_size)
    buffer = QBuffer()
    if not buffer.open(QIODevice.OpenModeFlag.WriteOnly):
        raise write_failed(path, "no memory to draw the PDF in")
    writer = pdf_writer(buffer, page_size=page_size, title=title)
    try:
        draw(writer)
    finally:
        del writer  # the PDF is finished when its painter ends; the writer goes before the buffer
    data = bytes(buffer.data().data())
    buffer.close()
    if not is_finished_pdf(data):
        raise write_failed(path, "the PDF could not be drawn")
    return write_whole(path, lambda part: part.write_bytes(data))


def print_markdown(writer: QPdfWriter, markdown: str) -> None:
    """Lays the Markdown out on the writer's pages and prints it."""
    document = document_for(writer)
    set_safe_markdown(document, markdown)
    # On the printable area itself: print_() adds no margins of its own.
    document.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size().toSizeF())
    document.print_(writer)


def write_pdf(markdown: str, path: Path, *, page_size: str = "a4", title: str = "") -> Path:
    """Lays the Markdown out on pages of `page_size` ("a4" or "letter") and writes the PDF whole."""
    return write_drawn_pdf(
        path, lambda writer: print_markdown(writer, markdown), page_size=page_size, title=title
    )
