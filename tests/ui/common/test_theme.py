"""The look: icons parse and render in both schemes, palettes are light and dark, helpers behave."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel, QSpinBox, QStyleFactory, QWidget

from companion.app import config
from companion.model.kinds import SEVERITIES, STANCES
from companion.ui.common import theme

ICON_DIR = config.resources_dir() / "icons"
ICON_FILES = sorted(ICON_DIR.glob("*.svg"))
SCHEMES = ("light", "dark")
REQUIRED_ICONS = [
    "home",
    "search",
    "client",
    "person",
    "people",
    "org-chart",
    "relationship-map",
    "culture",
    "guideline",
    "site",
    "activity",
    "note",
    "add",
    "edit",
    "delete",
    "undo",
    "redo",
    "pin",
    "unpin",
    "capture",
    "warning",
    "calendar",
    "settings",
    "zoom-in",
    "zoom-out",
    "fit",
    "export",
    "close",
    "chevron-right",
    "filter",
    "shield",
    "shirt",
    "star",
    "alert-person",
    "sync",
]


@pytest.fixture
def app(qapp):
    """The application, put back as it was (style, palette, sheet, scheme) after the test."""
    style_name = qapp.style().name() or "Fusion"
    sheet, palette = qapp.styleSheet(), QPalette(qapp.palette())
    yield qapp
    qapp.styleHints().unsetColorScheme()
    qapp.setStyleSheet(sheet)
    qapp.setStyle(QStyleFactory.create(style_name))
    qapp.setPalette(palette)
    theme._manager = None  # the next test starts from "light", as a new process would


def opaque_pixels(icon: QIcon, size: int, mode: QIcon.Mode = QIcon.Mode.Normal) -> list[QColor]:
    image = icon.pixmap(QSize(size, size), 1.0, mode).toImage()
    return [
        image.pixelColor(x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 0
    ]


def test_every_required_icon_exists():
    assert set(REQUIRED_ICONS) <= set(theme.icon_names())
    assert (ICON_DIR / "app.svg").is_file()
    assert "app" not in theme.icon_names()


@pytest.mark.parametrize("path", ICON_FILES, ids=lambda p: p.stem)
def test_icon_file_is_valid_svg(qapp, path):
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert QSvgRenderer(str(path)).isValid()
    if path.stem != "app":
        # One drawing convention for the line icons: 24×24, 2 px round strokes in currentColor.
        assert root.get("viewBox") == "0 0 24 24"
        assert root.get("stroke") == "currentColor"
        assert root.get("stroke-width") == "2"
        assert root.get("stroke-linecap") == "round"
        assert root.get("fill") == "none"


@pytest.mark.parametrize("name", theme.icon_names())
@pytest.mark.parametrize("scheme", SCHEMES)
def test_icon_renders_in_the_scheme_text_colour(qapp, name, scheme):
    icon = theme.icon(name, scheme)
    assert not icon.isNull()
    for size in (16, 32):
        assert opaque_pixels(icon, size), f"{name} draws nothing at {size} px"
    text = theme.palette(scheme).color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    solid = [c for c in opaque_pixels(icon, 32) if c.alpha() == 255]
    assert solid and all(c.rgb() == text.rgb() for c in solid)
    disabled = [c for c in opaque_pixels(icon, 32, QIcon.Mode.Disabled) if c.alpha() == 255]
    assert disabled and all(c.rgb() != text.rgb() for c in disabled)


def test_icons_are_drawn_for_high_dpi_not_scaled_up(qapp):
    pixmap = theme.icon("home", "light").pixmap(QSize(16, 16), 2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert pixmap.size() == QSize(32, 32)


def test_icons_are_cached_per_name_and_scheme(qapp):
    assert theme.icon("add", "light").cacheKey() == theme.icon("add", "light").cacheKey()
    assert theme.icon("add", "light").cacheKey() != theme.icon("add", "dark").cacheKey()


@pytest.mark.parametrize("name", ["no-such-icon", "app", "../styles/light", ""])
def test_unknown_icon_name_raises(qapp, name):
    with pytest.raises(theme.UnknownIconError, match="no icon named"):
        theme.icon(name)
    assert issubclass(theme.UnknownIconError, LookupError)


def test_app_icon_is_coloured(qapp):
    image = theme.app_icon().pixmap(QSize(64, 64)).toImage()
    centre = image.pixelColor(8, 32)
    assert centre.alpha() == 255 and centre.saturation() > 100


def test_apply_light_and_dark_set_the_palette(app):
    assert theme.apply(app, "light") == "light"
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert app.palette().color(QPalette.ColorRole.WindowText).lightness() < 80
    assert 'QLabel[role="heading"]' in app.styleSheet()

    assert theme.apply(app, "dark") == "dark"
    window = app.palette().color(QPalette.ColorRole.Window)
    assert 15 < window.lightness() < 80  # dark, but not pure black
    assert app.palette().color(QPalette.ColorRole.WindowText).lightness() > 200
    assert theme.current_scheme() == "dark"
    assert theme.manager().requested_scheme() == "dark"


def test_apply_auto_is_light_when_the_system_says_nothing(app):
    assert app.styleHints().colorScheme() == Qt.ColorScheme.Unknown  # the offscreen platform
    assert theme.apply(app) == "light"
    assert theme.manager().requested_scheme() == "auto"


def test_apply_rejects_an_unknown_scheme(app):
    with pytest.raises(ValueError, match="colour scheme"):
        theme.apply(app, "sepia")


def test_scheme_change_is_signalled(app, qtbot):
    theme.apply(app, "light")
    with qtbot.waitSignal(theme.manager().sig_scheme_changed, timeout=1000) as blocker:
        theme.apply(app, "dark")
    assert blocker.args == ["dark"]


def test_auto_follows_the_system_and_a_fixed_choice_does_not(app, qtbot):
    hints = app.styleHints()
    theme.apply(app, "auto")
    with qtbot.waitSignal(theme.manager().sig_scheme_changed, timeout=1000) as blocker:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert blocker.args == ["dark"]
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80

    theme.apply(app, "dark")
    with qtbot.assertNotEmitted(theme.manager().sig_scheme_changed):
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert theme.current_scheme() == "dark"


def test_set_icon_follows_the_scheme(app, qtbot):
    theme.apply(app, "light")
    window = QWidget()
    qtbot.addWidget(window)
    action = QAction(window)
    window.addAction(action)
    theme.set_icon(action, "sync")
    light = theme.palette("light").color(QPalette.ColorRole.WindowText)
    assert max(opaque_pixels(action.icon(), 32), key=QColor.alpha).rgb() == light.rgb()

    theme.apply(app, "dark")
    dark = theme.palette("dark").color(QPalette.ColorRole.WindowText)
    assert max(opaque_pixels(action.icon(), 32), key=QColor.alpha).rgb() == dark.rgb()


def test_spin_box_text_is_inset_like_a_line_edit(app, qtbot):
    theme.apply(app, "light")
    spin = QSpinBox()
    qtbot.addWidget(spin)
    spin.show()
    assert spin.lineEdit().textMargins().left() > 0


def test_set_role_restyles_a_shown_widget(app, qtbot):
    theme.apply(app, "light")
    label = QLabel("Nothing here yet")
    qtbot.addWidget(label)
    label.show()
    theme.set_role(label, "empty-state")
    assert label.property("role") == "empty-state"
    assert label.alignment() & Qt.AlignmentFlag.AlignHCenter


def test_widgets_made_while_the_sheet_is_held_are_styled_when_it_is_set_again(app, qtbot):
    theme.apply(app, "light")
    sheet = app.styleSheet()
    with theme.sheet_held(app):
        assert app.styleSheet() == ""  # nothing is polished by it while the window is built
        heading = QLabel("Clients")
        qtbot.addWidget(heading)
        theme.set_role(heading, "heading")
        theme.apply(app, "dark")  # a scheme chosen meanwhile is the one set on leaving
    assert app.styleSheet() == theme.style_sheet("dark") != sheet
    heading.show()
    plain = QLabel("Clients")
    qtbot.addWidget(plain)
    plain.show()
    assert heading.font().pointSizeF() > plain.font().pointSizeF()  # the sheet's heading size


@pytest.mark.parametrize("scheme", SCHEMES)
def test_stance_colours_differ(qapp, scheme):
    colours = {theme.stance_color(s, scheme).name() for s in STANCES}
    assert len(colours) == len(STANCES)
    assert theme.stance_color("no-such-stance", scheme) == theme.stance_color("unknown", scheme)
    assert theme.stance_color(None, scheme) == theme.stance_color("unknown", scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_status_colours_are_readable_on_the_scheme(qapp, scheme):
    base = theme.palette(scheme).color(QPalette.ColorRole.Base)
    colours = [theme.stance_color(s, scheme) for s in STANCES]
    colours += [theme.severity_color(s, scheme) for s in SEVERITIES]
    colours += [theme.muted_text_color(scheme), theme.warning_color(scheme), theme.error_color(scheme)]
    for colour in colours:
        assert contrast(colour, base) >= 3.0, colour.name()
    assert theme.severity_color("must", scheme) != theme.severity_color("should", scheme)


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_style_sheet_images_exist_and_fonts_scale(scheme):
    sheet = theme.style_sheet(scheme, base_point_size=9)
    images = config.resources_dir() / "styles" / "images"
    for ref in re.findall(r"url\(theme:([^)]+)\)", sheet):
        assert (images / ref).is_file(), ref
    for role in ("heading", "subheading", "muted", "error", "badge", "must", "empty-state", "card"):
        assert f'[role="{role}"]' in sheet
    assert "font-size: 13.0pt" in sheet
    assert "font-size: 26.0pt" in theme.style_sheet(scheme, base_point_size=18)
