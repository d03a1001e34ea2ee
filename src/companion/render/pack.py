"""The induction pack on paper and on the web: a PDF with contents, page numbers and a confidential header
on every page, and one self-contained HTML file. QtGui only (QTextDocument lays the text out).

Files are written whole or not at all (model/files.py)."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import QFont, QImage, QPainter, QPdfWriter, QTextDocument

from companion.core.pack import ORG_CHART_IMAGE, Pack
from companion.model.files import write_failed, write_whole
from companion.render.links import set_safe_markdown
from companion.render.pdf import document_for, ensure_gui_application, write_drawn_pdf

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)
_BAND_MM = 8  # header and footer, inside the margins

_CSS = """
body { font-family: 'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif; max-width: 52em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #1d2430; }
header { border-bottom: 1px solid #c8ced8; margin-bottom: 1em; }
nav ol { columns: 2; }
.confidential { background: #fdecec; color: #8a1c1c; border-left: 4px solid #c62828;
                padding: .4em .8em; font-weight: bold; }
img { max-width: 100%; height: auto; }
section { margin-top: 2em; }
.stamp { color: #5c6675; font-style: italic; }
"""


def section_html(markdown: str) -> str:
    """One section's Markdown as an HTML fragment (Qt's own Markdown reader, as the screen uses)."""
    document = set_safe_markdown(QTextDocument(), markdown)
    found = _BODY.search(document.toHtml())
    return found.group(1).strip() if found else html.escape(markdown)


def _stamp(pack: Pack, version: int | None) -> str:
    parts = [f"Version {version}" if version else "", f"content {pack.content_hash}"]
    if pack.candid:
        parts.append("with candid assessments")
    return " · ".join(p for p in parts if p)


def pack_html(pack: Pack, *, version: int | None, images: dict[str, bytes] | None = None) -> str:
    """A self-contained HTML file: styles inline, the org chart embedded, contents linked to sections."""
    ensure_gui_application()
    name = html.escape(pack.client_name)
    toc = "".join(f'<li><a href="#{s.key}">{html.escape(s.title)}</a></li>' for s in pack.sections)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Induction pack: {name}</title><style>{_CSS}</style></head><body>",
        f'<header><h1>Induction pack: {name}</h1><p class="stamp">{html.escape(_stamp(pack, version))}</p></header>',
        f'<nav aria-label="Contents"><h2>Contents</h2><ol>{toc}</ol></nav>',
    ]
    for section in pack.sections:
        banner = (
            f'<p class="confidential">Confidential — {name}: do not share outside the team.</p>'
            if section.confidential
            else ""
        )
        parts.append(
            f'<section id="{section.key}"><h2>{html.escape(section.title)}</h2>{banner}'
            f"{section_html(section.markdown)}</section>"
        )
    parts.append("</body></html>")
    page = "\n".join(parts)
    for image_name, data in (images or {}).items():
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        page = page.replace(f'src="{image_name}"', f'src="{uri}" alt="Org chart"')
    return page


def _document_html(pack: Pack, version: int | None, pages: dict[str, int], image_width: int | None) -> str:
    name = html.escape(pack.client_name)
    rows = "".join(
        f"<tr><td>{html.escape(s.title)}</td><td align='right'>{pages.get(s.key, 0)}</td></tr>"
        for s in pack.sections
    )
    parts = [
        f"<h1>Induction pack: {name}</h1><p><i>{html.escape(_stamp(pack, version))}</i></p>",
        f"<h2>Contents</h2><table width='100%' cellspacing='0' cellpadding='2'>{rows}</table>",
    ]
    for section in pack.sections:
        # Each section starts on a page of its own, so its page number is where a reader finds it.
        banner = (
            f"<p style='color:#8a1c1c; background:#fdecec'><b>CONFIDENTIAL — {name}: "
            "do not share outside the team.</b></p>"
            if section.confidential
            else ""
        )
        body = section_html(section.markdown)
        if image_width:
            body = body.replace(f'src="{ORG_CHART_IMAGE}"', f'src="{ORG_CHART_IMAGE}" width="{image_width}"')
        parts.append(f"<h2 style='page-break-before: always'>{html.escape(section.title)}</h2>{banner}{body}")
    return "".join(parts)


def _heading_pages(document: QTextDocument, pack: Pack, page_height: float) -> dict[str, int]:
    """The page each section's heading landed on (1-based)."""
    titles = [s.title for s in pack.sections]
    found: dict[str, int] = {}
    layout = document.documentLayout()
    block = document.begin()
    index = 0
    while block.isValid() and index < len(titles):
        if block.blockFormat().headingLevel() == 2 and block.text() == titles[index]:
            found[pack.sections[index].key] = int(layout.blockBoundingRect(block).top() // page_height) + 1
            index += 1
        block = block.next()
    return found


def write_pack_pdf(
    pack: Pack,
    path: Path,
    *,
    version: int | None,
    images: dict[str, bytes] | None = None,
    page_size: str = "a4",
) -> Path:
    """A4 or Letter: a contents page with page numbers, a confidential header and page numbers on every page.
    Written whole or not at all; a painter that cannot begin or end is WriteFailed naming the path."""
    path = Path(path)

    def draw(writer: QPdfWriter) -> None:
        _draw_pack(writer, pack, path=path, version=version, images=images)

    return write_drawn_pdf(path, draw, page_size=page_size, title=f"Induction pack: {pack.client_name}")


def write_pack_html(
    pack: Pack, path: Path, *, version: int | None, images: dict[str, bytes] | None = None
) -> Path:
    """The pack as one self-contained HTML file, written whole or not at all."""
    page = pack_html(pack, version=version, images=images)
    return write_whole(Path(path), lambda part: part.write_text(page, encoding="utf-8"))


def _draw_pack(
    writer: QPdfWriter, pack: Pack, *, path: Path, version: int | None, images: dict[str, bytes] | None
) -> None:
    paint = writer.pageLayout().paintRectPixels(writer.resolution())
    band = _BAND_MM / 25.4 * writer.resolution()
    body = QSizeF(paint.width(), paint.height() - 2 * band)
    document = document_for(writer, points=10)
    document.setPageSize(body)
    image_width = None
    chart = (images or {}).get(ORG_CHART_IMAGE)
    if chart:
        image = QImage.fromData(chart)
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(ORG_CHART_IMAGE), image)
        # <img width> counts CSS pixels (96 to the inch) whatever the device: fit the text width, and
        # most of a page's height, since a picture cannot break across pages.
        css = 96 / writer.resolution()
        fit_height = body.height() * 0.8 * image.width() / max(1, image.height())
        image_width = int(min(body.width(), fit_height) * css)
    # Twice: the contents page needs the page numbers the first layout found.
    document.setHtml(_document_html(pack, version, {}, image_width))
    pages = _heading_pages(document, pack, body.height())
    document.setHtml(_document_html(pack, version, pages, image_width))
    count = document.pageCount()
    painter = QPainter()
    # A device that cannot be opened leaves the painter inactive, and Qt would only complain once per
    # call ("Painter not active") while drawing nothing: stop before the first page instead.
    if not painter.begin(writer):
        raise write_failed(path, "the PDF could not be started")
    small = QFont(document.defaultFont())
    small.setPointSizeF(8)
    try:
        for page in range(count):
            if page and not writer.newPage():
                raise write_failed(path, f"page {page + 1} of the PDF could not be started")
            painter.setFont(small)
            header = QRectF(0, 0, body.width(), band * 0.8)
            footer = QRectF(0, paint.height() - band * 0.8, body.width(), band * 0.8)
            painter.drawText(
                header,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                f"Confidential — {pack.client_name}",
            )
            painter.drawText(
                footer,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                f"Page {page + 1} of {count}",
            )
            painter.save()
            painter.translate(QPointF(0, band - page * body.height()))
            document.drawContents(painter, QRectF(0, page * body.height(), body.width(), body.height()))
            painter.restore()
    finally:
        ended = painter.end()
    if not ended:
        raise write_failed(path, "the PDF could not be finished")
