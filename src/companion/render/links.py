"""Markdown laid out with only harmless links: synced text is another person's, so javascript: and file: go."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument, QTextFormat

# A link may open a web page, write a mail or dial; an image may be one we embedded ourselves.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_SCHEMES = frozenset({"data"})


def is_safe_link(target: str) -> bool:
    """True for a web, mail or phone address and for a place in the same page (#section)."""
    if target.startswith("#"):
        return True
    return QUrl(target.strip()).scheme().lower() in LINK_SCHEMES


def is_safe_image(source: str) -> bool:
    """True for an embedded image or one of our own resources (a bare name, no scheme, no path up)."""
    url = QUrl(source.strip())
    if url.scheme():
        return url.scheme().lower() in IMAGE_SCHEMES and source.strip().lower().startswith("data:image/")
    return not source.startswith(("/", "\\")) and ".." not in source


def set_safe_markdown(document: QTextDocument, markdown: str) -> QTextDocument:
    """Lays `markdown` out in `document`, then unlinks what is not a safe link and drops unsafe images."""
    document.setMarkdown(markdown)
    # Gathered first and changed from the end backwards: editing while walking fragments moves them.
    unsafe: list[tuple[int, int, QTextCharFormat]] = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            char_format = fragment.charFormat()
            if _unsafe(char_format):
                unsafe.append((fragment.position(), fragment.length(), char_format))
            iterator += 1
        block = block.next()
    for position, length, char_format in reversed(unsafe):
        cursor = QTextCursor(document)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        if char_format.isImageFormat():
            cursor.removeSelectedText()  # the image character itself
        else:
            cursor.setCharFormat(_plain(char_format))
    return document


def _unsafe(char_format: QTextCharFormat) -> bool:
    if char_format.isImageFormat():
        return not is_safe_image(char_format.toImageFormat().name())
    return char_format.isAnchor() and not is_safe_link(char_format.anchorHref())


def _plain(char_format: QTextCharFormat) -> QTextCharFormat:
    """The same text, no longer a link, and no longer looking like one."""
    plain = QTextCharFormat(char_format)
    plain.setAnchor(False)
    plain.clearProperty(QTextFormat.Property.AnchorHref)
    plain.clearForeground()
    plain.setFontUnderline(False)
    return plain
