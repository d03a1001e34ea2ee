"""The trend chart read back pixel by pixel: its size at a device pixel ratio, the line in the status's
colour, the last reading marked where the scale puts it, the zero baseline only when the scale spans zero."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from companion.render.charts import DARK_STATUS_COLOURS, STATUS_COLOURS, status_colour, trend_chart

SIZE = QSize(120, 40)
POINTS = [("2026-01-01", 10.0), ("2026-04-01", 30.0), ("2026-07-01", 20.0), ("2026-10-01", 50.0)]


def _colours(image: QImage) -> set[str]:
    """The opaque colours drawn (antialiased edges left out: only nearly solid pixels), each rounded to the
    nearest of the status colours when within a step or two of it (premultiplied alpha rounds a channel)."""
    known = [QColor(c) for c in (*STATUS_COLOURS.values(), *DARK_STATUS_COLOURS.values())]
    found = set()
    for x in range(image.width()):
        for y in range(image.height()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() <= 250:
                continue
            near = next((k for k in known if _distance(k, pixel) <= 3), pixel)
            found.add(near.name())
    return found


def _distance(one: QColor, other: QColor) -> int:
    return max(abs(one.red() - other.red()), abs(one.green() - other.green()), abs(one.blue() - other.blue()))


def test_the_line_and_its_last_point_are_drawn_in_the_status_colour_at_its_size():
    image = trend_chart(POINTS, low=0, high=50, size=SIZE, dpr=2.0, status="poor")
    assert (image.width(), image.height()) == (240, 80)
    assert image.devicePixelRatio() == 2.0
    assert _colours(image) == {STATUS_COLOURS["poor"].lower()}
    # The last reading is the scale's top, at the right: its mark fills the top right corner's row.
    top_right = [image.pixelColor(x, y) for x in range(200, 240) for y in range(0, 16)]
    assert any(p.alpha() > 250 for p in top_right)
    bottom_right = [image.pixelColor(x, y) for x in range(200, 240) for y in range(64, 80)]
    assert not any(p.alpha() > 0 for p in bottom_right)


def test_dark_colours_and_no_data_grey():
    image = trend_chart(POINTS, low=0, high=50, size=SIZE, dark=True, status="good")
    assert _colours(image) == {DARK_STATUS_COLOURS["good"].lower()}
    assert status_colour(None) == QColor(STATUS_COLOURS["unknown"])
    assert status_colour("nonsense", dark=True) == QColor(DARK_STATUS_COLOURS["unknown"])


def test_a_zero_baseline_only_when_the_scale_spans_zero():
    flat_high = [("2026-01-01", 80.0), ("2026-02-01", 80.0)]
    spanning = trend_chart(flat_high, low=-100, high=100, size=SIZE, status="good")
    positive = trend_chart(flat_high, low=0, high=100, size=SIZE, status="good")
    middle = SIZE.height() // 2

    def faint_in_middle(image: QImage) -> bool:
        return any(
            0 < image.pixelColor(x, y).alpha() < 120 for x in range(10, 110) for y in (middle - 1, middle)
        )

    assert faint_in_middle(spanning)
    assert not faint_in_middle(positive)


def test_nothing_to_draw_leaves_it_transparent_and_one_reading_is_a_point():
    empty = trend_chart([], low=0, high=10, size=SIZE)
    assert not _colours(empty) and empty.pixelColor(60, 20).alpha() == 0
    single = trend_chart([("2026-10-01", 5.0)], low=0, high=10, size=SIZE, status="watch")
    assert _colours(single) == {STATUS_COLOURS["watch"].lower()}


def test_a_tall_chart_says_when_its_first_and_last_readings_were():
    tall = trend_chart(POINTS, low=0, high=50, size=QSize(300, 120), status="good")
    short = trend_chart(POINTS, low=0, high=50, size=SIZE, status="good")

    def greyish(image: QImage) -> bool:
        """Ink in the muted grey of the dates (the line is green: red and blue well below its green)."""
        for x in range(image.width()):
            for y in range(image.height()):
                pixel = image.pixelColor(x, y)
                if pixel.alpha() > 200 and abs(pixel.red() - pixel.green()) < 20 and pixel.blue() > 80:
                    return True
        return False

    assert greyish(tall)
    assert not greyish(short)
