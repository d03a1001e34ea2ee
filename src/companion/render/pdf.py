"""Markdown to a print-ready PDF (A4 or Letter) with QTextDocument and QPdfWriter: QtGui only."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

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


def pdf_writer(path: Path, *, page_size: str, title: str) -> QPdfWriter:
    """A 300-dpi writer for A4 or Letter portrait pages with the house margins."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)}, not {page_size!r}")
    ensure_gui_application()
    writer = QPdfWriter(str(path))
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


def write_pdf(markdown: str, path: Path, *, page_size: str = "a4", title: str = "") -> Path:
    """Lays the Markdown out on pages of `page_size` ("a4" or "letter") and writes the PDF."""
    path = Path(path)
    writer = pdf_writer(path, page_size=page_size, title=title)
    document = document_for(writer)
    set_safe_markdown(document, markdown)
    # On the printable area itself: print_() adds no margins of its own.
    document.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size().toSizeF())
    document.print_(writer)
    del writer  # the file is finished when the writer goes
    return path
