"""The review pack's PDF (render/review.py), read back with poppler: the internal version carries its marker
and everything, the client's none of the internal text; each trend is drawn into it as an image."""

from __future__ import annotations

import subprocess
import unicodedata

from companion.core.review_document import build_review_document
from companion.render.review import write_review_pdf
from tests.core.test_review_document import INTERNAL_ONLY, SECRET, SHARED, TODAY, build_review


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    # Ligatures and line wrapping are the typesetter's business, not the content's.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_images(path) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True)
    return sum(1 for line in listing.stdout.splitlines()[2:] if line.split()[2] == "image")


def test_the_internal_and_the_client_pdf(workspace, tmp_path):
    ids = build_review(workspace)
    internal = build_review_document(workspace, client_id=ids["client"], today=TODAY)
    shared = build_review_document(workspace, client_id=ids["client"], for_client=True, today=TODAY)
    internal_pdf = write_review_pdf(internal, tmp_path / "internal.pdf")
    shared_pdf = write_review_pdf(shared, tmp_path / "shared.pdf", page_size="letter")

    text = pdf_text(internal_pdf)
    assert "Review pack: Halvorsen Offshore — Q3 business review" in text
    assert "INTERNAL — not for the client" in text and SECRET in text
    for words in (*SHARED, *INTERNAL_ONLY, "Next review: 2027-01-03", "One focal point"):
        assert words in text, words

    shared_text = pdf_text(shared_pdf)
    assert "Prepared for Halvorsen Offshore" in shared_text
    for words in SHARED:
        assert words in shared_text, words
    for words in (*INTERNAL_ONLY, "Internal assessment", "not for the client"):
        assert words not in shared_text, words

    # Every figure with a trend is drawn, in both versions; Letter pages for the client's.
    assert len(internal.charts) >= 4
    assert pdf_images(internal_pdf) == len(internal.charts) == pdf_images(shared_pdf)
    info = subprocess.run(["pdfinfo", str(shared_pdf)], capture_output=True, check=True, text=True).stdout
    assert "612 x 792" in info
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
