"""A review's pack on paper: the Markdown core assembles, with each figure's trend drawn by render/charts.py
and embedded as an image resource, so the window and the PDF draw the same picture. QtGui only.

Files are written whole or not at all (model/files.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QImage, QPdfWriter, QTextDocument

from companion.core.review_document import Chart, ReviewDocument
from companion.render.links import set_safe_markdown
from companion.render.pdf import document_for, write_drawn_pdf

# A chart's size in the document's points-like units (96 to the inch, as Qt lays images out), drawn at the
# printer's resolution so it stays sharp: about 5 cm by 1.3 cm on paper.
CHART_SIZE = QSize(190, 50)
_PRINT_DPI = 300


def chart_image(chart: Chart, *, dpr: float = _PRINT_DPI / 96, dark: bool = False) -> QImage:
    """One figure's trend as the project's small chart."""
    from companion.render.charts import trend_chart  # here: the charts load with the first pack

    return trend_chart(
        list(chart.points),
        low=chart.low,
        high=chart.high,
        size=CHART_SIZE,
        dpr=dpr,
        dark=dark,
        status=chart.status,
    )


def add_charts(document: QTextDocument, charts: tuple[Chart, ...], *, dpr: float = _PRINT_DPI / 96) -> None:
    """Embeds the pack's charts as image resources under the names its Markdown shows."""
    for chart in charts:
        document.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(chart.name), chart_image(chart, dpr=dpr)
        )


def write_review_pdf(document: ReviewDocument, path: Path, *, page_size: str = "a4") -> Path:
    """The review pack as a print-ready PDF (A4 or Letter), its charts in it, written whole or not at all."""

    def draw(writer: QPdfWriter) -> None:
        text = document_for(writer)
        set_safe_markdown(text, document.markdown)
        add_charts(text, document.charts)  # after the Markdown: laying it out clears the resources
        # On the printable area itself: print_() adds no margins of its own.
        text.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size().toSizeF())
        text.print_(writer)

    return write_drawn_pdf(Path(path), draw, page_size=page_size, title=document.title)
