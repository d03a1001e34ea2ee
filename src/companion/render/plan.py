"""The account plan on paper and on the web: the Markdown core assembles, through the PDF writer the brief
uses, or as one self-contained HTML file made the way the pack's is. QtGui only.

Files are written whole or not at all (model/files.py).
"""

from __future__ import annotations

import html
from pathlib import Path

from companion.core.plan_document import PlanDocument
from companion.model.files import write_whole
from companion.render.pack import section_html
from companion.render.pdf import ensure_gui_application, write_pdf

_CSS = """
body { font-family: 'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif; max-width: 52em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #1d2430; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #c8ced8; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
h2 { border-bottom: 1px solid #c8ced8; margin-top: 1.6em; }
"""


def plan_html(document: PlanDocument) -> str:
    """One HTML file with its styles inline, from the same Markdown as the PDF."""
    ensure_gui_application()
    return "\n".join(
        (
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{html.escape(document.title)}</title><style>{_CSS}</style></head><body>",
            section_html(document.markdown),
            "</body></html>",
        )
    )


def write_plan_pdf(document: PlanDocument, path: Path, *, page_size: str = "a4") -> Path:
    """The plan as a print-ready PDF (A4 or Letter)."""
    return write_pdf(document.markdown, Path(path), page_size=page_size, title=document.title)


def write_plan_html(document: PlanDocument, path: Path) -> Path:
    page = plan_html(document)
    return write_whole(Path(path), lambda part: part.write_text(page, encoding="utf-8"))
