"""The Sales page's small pictures: a proposition's readiness strip and a campaign's progress bar."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap

from companion.model.kinds import DEPARTMENTS, TARGET_STATUSES
from companion.model.labels import choice_label
from companion.ui.common.theme import accent_color, level_color, muted_text_color, stance_color

STRIP_SIZE = QSize(96, 14)
BAR_SIZE = QSize(110, 14)


def readiness_color(level: object) -> QColor:
    """Ready green, in progress amber, blocked red; not said: grey."""
    return level_color({"ready": "good", "in_progress": "watch", "blocked": "bad"}.get(str(level), ""))


def status_color(status: str) -> QColor:
    """A campaign target's status: grey to approach, blue approached, warming to green, red declined."""
    if status == "approached":
        return accent_color()
    stance = {
        "meeting_set": "neutral",
        "interested": "supporter",
        "opportunity": "champion",
        "declined": "opponent",
        "not_relevant": "sceptic",
    }.get(status, "unknown")
    return stance_color(stance)


def _canvas(size: QSize, dpr: float) -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(size * dpr)
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def readiness_strip(levels: Sequence[object], *, dpr: float = 1.0) -> QPixmap:
    """One block per department (DEPARTMENTS' order), coloured by its readiness; unsaid ones outlined."""
    pixmap, painter = _canvas(STRIP_SIZE, dpr)
    gap = 3.0
    width = (STRIP_SIZE.width() - gap * (len(DEPARTMENTS) - 1)) / len(DEPARTMENTS)
    for number, level in enumerate(levels):
        box = QRectF(number * (width + gap) + 0.5, 1.5, width - 1, STRIP_SIZE.height() - 3)
        if level:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(readiness_color(level))
        else:
            painter.setPen(QPen(muted_text_color(), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box, 2, 2)
    painter.end()
    return pixmap


def _tr(text: str) -> str:
    return QCoreApplication.translate("SalesPictures", text)


def readiness_words(values: Mapping[str, object]) -> str:
    """Each department's readiness and note, one per line (the strip's tooltip)."""
    lines = []
    for key, label in DEPARTMENTS:
        level = values.get(f"ready_{key}")
        note = values.get(f"ready_{key}_note")
        said = _tr(choice_label(str(level))).lower() if level else _tr("not said")
        lines.append(f"{_tr(label)}: {said}" + (f" — {note}" if note else ""))
    return "\n".join(lines)


def progress_bar(counts: Mapping[str, int], *, dpr: float = 1.0) -> QPixmap:
    """The targets as one bar, a stretch per status in TARGET_STATUSES' order; empty: an outline."""
    pixmap, painter = _canvas(BAR_SIZE, dpr)
    total = sum(counts.values())
    outline = QRectF(0.5, 1.5, BAR_SIZE.width() - 1, BAR_SIZE.height() - 3)
    if total:
        x = outline.left()
        painter.setPen(Qt.PenStyle.NoPen)
        for status in TARGET_STATUSES:
            n = counts.get(status, 0)
            if n:
                width = outline.width() * n / total
                painter.setBrush(status_color(status))
                painter.drawRect(QRectF(x, outline.top(), width, outline.height()))
                x += width
    painter.setPen(QPen(muted_text_color(), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(outline)
    painter.end()
    return pixmap


def status_legend(labels: Mapping[str, str]) -> str:
    """The progress bar's key as rich text: a square in each status's colour before its (translated) name."""
    return " &nbsp; ".join(
        f"<span style='color: {status_color(status).name()}'>■</span>&nbsp;{html.escape(labels[status])}"
        for status in TARGET_STATUSES
    )


def progress_words(counts: Mapping[str, int]) -> str:
    """ "12 targets: 7 to approach, 3 approached, 2 declined" (the bar's tooltip and caption)."""
    total = sum(counts.values())
    if not total:
        return _tr("No targets drawn yet")
    parts = [f"{counts[s]} {_tr(choice_label(s)).lower()}" for s in TARGET_STATUSES if counts.get(s)]
    said = _tr("1 target: {0}") if total == 1 else _tr("{1} targets: {0}")
    return said.format(", ".join(parts), total)
