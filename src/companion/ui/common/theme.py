"""The app's look: Fusion with a light and a dark palette, their style sheets, line icons and status colours.

Use it like this::

    theme.apply(app)                      # "auto" (or "system") follows the system; or "light" / "dark"
    button.setIcon(theme.icon("add"))     # tinted for the current scheme, sharp on high-DPI screens
    theme.set_icon(action, "sync")        # the same, and re-tinted by itself when the scheme changes
    theme.set_role(label, "heading")      # style-sheet roles: heading, subheading, muted, error, badge,
                                          # must, empty-state; QFrame "card"
    theme.manager().sig_scheme_changed.connect(self._on_theme_scheme_changed)

Widgets that paint colours themselves (stance_color, severity_color, …) should repaint on
``sig_scheme_changed``; widgets that only use the palette and the style sheet follow by themselves.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QDir, QObject, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QProxyStyle,
    QStyledItemDelegate,
    QStyleFactory,
    QWidget,
)

from companion.app import config

LIGHT = "light"
DARK = "dark"
AUTO = "auto"
SYSTEM = "system"  # the settings' word for AUTO (companion.app.settings "ui.theme")
SCHEMES = (LIGHT, DARK)


# The property set_icon() leaves on an action or button, so a scheme change can find it again.
_ICON_PROPERTY = "companionIcon"


class UnknownIconError(LookupError):
    """No resources/icons/<name>.svg: the message lists the names there are."""


@dataclass(frozen=True)
class _Colors:
    """Every colour of one scheme: the palette, and the status colours drawn by widgets."""

    window: str
    base: str
    alternate_base: str
    text: str
    button: str
    highlight: str
    highlighted_text: str
    link: str
    link_visited: str
    placeholder: str
    tooltip_base: str
    tooltip_text: str
    light: str
    midlight: str
    mid: str
    dark: str
    shadow: str
    disabled_text: str
    disabled_base: str
    disabled_button: str
    disabled_highlight: str
    inactive_highlight: str
    muted: str
    warning: str
    error: str
    stances: dict[str, str]
    severities: dict[str, str]


_COLORS = {
    LIGHT: _Colors(
        window="#F3F4F6",
        base="#FFFFFF",
        alternate_base="#F7F8FA",
        text="#1F2328",
        button="#F9FAFB",
        highlight="#2F6FDE",
        highlighted_text="#FFFFFF",
        link="#1F5FCC",
        link_visited="#6E44C2",
        placeholder="#8A9099",
        tooltip_base="#FFFFFF",
        tooltip_text="#1F2328",
        light="#FFFFFF",
        midlight="#E8EAED",
        mid="#C6CBD2",
        dark="#9AA1AA",
        shadow="#5F6670",
        disabled_text="#A3A9B1",
        disabled_base="#F3F4F6",
        disabled_button="#EEF0F2",
        disabled_highlight="#B9C3D3",
        inactive_highlight="#4C79C9",
        muted="#5F6670",
        warning="#B35900",
        error="#C62828",
        stances={
            "champion": "#1A7F37",
            "supporter": "#5C8F14",
            "neutral": "#9A6A00",
            "sceptic": "#C2530A",
            "opponent": "#C62828",
            "unknown": "#6E7781",
        },
        severities={"must": "#C62828", "should": "#9A6A00"},
    ),
    DARK: _Colors(
        window="#25282D",
        base="#1C1E22",
        alternate_base="#222529",
        text="#E6E8EB",
        button="#2E3238",
        highlight="#2F6BD0",
        highlighted_text="#FFFFFF",
        link="#6CA6FF",
        link_visited="#B393F0",
        placeholder="#7D848E",
        tooltip_base="#2E3238",
        tooltip_text="#E6E8EB",
        light="#3C4148",
        midlight="#33373D",
        mid="#484D55",
        dark="#16181B",
        shadow="#0E0F11",
        disabled_text="#6B717A",
        disabled_base="#23262A",
        disabled_button="#2A2D32",
        disabled_highlight="#3A4250",
        inactive_highlight="#3A5A8C",
        muted="#9BA3AD",
        warning="#F0A341",
        error="#FF7B72",
        stances={
            "champion": "#4CC572",
            "supporter": "#A3C94A",
            "neutral": "#E3B341",
            "sceptic": "#F0883E",
            "opponent": "#FF6B6B",
            "unknown": "#9BA3AD",
        },
        severities={"must": "#FF7B72", "should": "#E3B341"},
    ),
}


def _check_scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise ValueError(f"unknown colour scheme {scheme!r}: use one of {', '.join(SCHEMES)}")
    return scheme


def palette(scheme: str) -> QPalette:
    """The full Fusion palette of "light" or "dark"."""
    c = _COLORS[_check_scheme(scheme)]
    pal = QPalette()
    role = QPalette.ColorRole
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
        for r, value in (
            (role.Window, c.window),
            (role.WindowText, c.text),
            (role.Base, c.base),
            (role.AlternateBase, c.alternate_base),
            (role.Text, c.text),
            (role.Button, c.button),
            (role.ButtonText, c.text),
            (role.BrightText, "#FFFFFF"),
            (role.Highlight, c.highlight),
            (role.HighlightedText, c.highlighted_text),
            (role.Accent, c.highlight),
            (role.Link, c.link),
            (role.LinkVisited, c.link_visited),
            (role.PlaceholderText, c.placeholder),
            (role.ToolTipBase, c.tooltip_base),
            (role.ToolTipText, c.tooltip_text),
            (role.Light, c.light),
            (role.Midlight, c.midlight),
            (role.Mid, c.mid),
            (role.Dark, c.dark),
            (role.Shadow, c.shadow),
        ):
            pal.setColor(group, r, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText, role.PlaceholderText):
        pal.setColor(disabled, r, QColor(c.disabled_text))
    pal.setColor(disabled, role.Base, QColor(c.disabled_base))
    pal.setColor(disabled, role.Button, QColor(c.disabled_button))
    pal.setColor(disabled, role.Highlight, QColor(c.disabled_highlight))
    pal.setColor(QPalette.ColorGroup.Inactive, role.Highlight, QColor(c.inactive_highlight))
    return pal


_QSS_BASE_POINT_SIZE = 9.0  # the system font size the .qss files' font sizes are written for
_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")


def style_sheet(scheme: str, base_point_size: float | None = None) -> str:
    """resources/styles/<scheme>.qss, its font sizes scaled from 9 pt to the application's font size."""
    text = (config.resources_dir() / "styles" / f"{_check_scheme(scheme)}.qss").read_text(encoding="utf-8")
    if base_point_size is None:
        base_point_size = QGuiApplication.font().pointSizeF() if QGuiApplication.instance() else -1
    if base_point_size <= 0:
        return text
    factor = base_point_size / _QSS_BASE_POINT_SIZE
    return _FONT_SIZE.sub(lambda m: f"font-size: {float(m.group(1)) * factor:.1f}pt", text)


def _system_scheme(app: QGuiApplication) -> str:
    # Unknown (the offscreen platform, some Linux desktops) counts as light.
    return DARK if app.styleHints().colorScheme() == Qt.ColorScheme.Dark else LIGHT


class _FusionStyle(QProxyStyle):
    """Fusion, plus what its style sheets cannot say: the text inset of spin boxes, and combo box lists
    drawn by the style sheet.

    A style sheet with a border puts a spin box's editor flush against its left border, whatever the
    padding; polish() (once per widget, not per event) gives the editor the inset line edits have.
    A combo box's own list delegate ignores the sheet's item rules and drew the chosen entry white on
    white: polish() gives it a styled delegate, which follows them (highlight, hover, padding).
    """

    _SPIN_BOX_TEXT_INSET = 6

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def polish(self, target):  # QWidget, QPalette or QApplication, like QStyle.polish
        result = super().polish(target)
        if isinstance(target, QAbstractSpinBox) and not (
            isinstance(target, QDateTimeEdit)
            and target.calendarPopup()  # drawn like a combo box: inset already
        ):
            editor = target.findChild(QLineEdit)
            if editor is not None:
                editor.setTextMargins(self._SPIN_BOX_TEXT_INSET, 0, 0, 0)
        elif isinstance(target, QComboBox) and target.itemDelegate().metaObject().className() in (
            "QComboBoxDelegate",
            "QComboMenuDelegate",
        ):
            target.setItemDelegate(QStyledItemDelegate(target))  # only Qt's own: a custom one stays
        return result


class ThemeManager(QObject):
    """Holds the chosen scheme, applies it to the application, and follows the system's while on "auto".

    One per process: get it from ``manager()``.
    """

    sig_scheme_changed = Signal(str)
    """The scheme in effect changed ("light" or "dark"): fetch icons and custom colours again."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._requested = AUTO
        self._current = LIGHT
        self._app: QApplication | None = None
        self._styled_app: QApplication | None = None
        self._style: QProxyStyle | None = None
        self._sheet_held = False

    def requested_scheme(self) -> str:
        """What was asked for: "auto", "light" or "dark"."""
        return self._requested

    def current_scheme(self) -> str:
        """The scheme in effect: "light" or "dark" ("light" until apply() is called)."""
        return self._current

    def apply(self, app: QApplication, scheme: str = AUTO) -> str:
        """Use Fusion with the palette and style sheet of `scheme` ("auto" or "system", "light" or "dark");
        returns the one in effect."""
        if scheme == SYSTEM:
            scheme = AUTO
        if scheme != AUTO:
            _check_scheme(scheme)
        if app is not self._app:
            if self._app is not None:
                self._app.styleHints().colorSchemeChanged.disconnect(
                    self._on_style_hints_color_scheme_changed
                )
            app.styleHints().colorSchemeChanged.connect(self._on_style_hints_color_scheme_changed)
            self._app = app
        self._requested = scheme
        # Tell the platform too, so native parts (title bars, dialogs) match where it can.
        hints = app.styleHints()
        if scheme == AUTO:
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(Qt.ColorScheme.Dark if scheme == DARK else Qt.ColorScheme.Light)
        self._set(app, _system_scheme(app) if scheme == AUTO else scheme, force=True)
        return self._current

    @contextlib.contextmanager
    def sheet_held(self, app: QApplication) -> Iterator[None]:
        """Widgets made inside are styled once, when the style sheet is set again on leaving.

        Under a style sheet every widget is polished as it is made and again as it is placed in its
        window: building the main window took twice as long (30 ms more of a 0.3 s start).
        """
        self._sheet_held = True
        app.setStyleSheet("")
        try:
            yield
        finally:
            self._sheet_held = False
            app.setStyleSheet(style_sheet(self._current))

    def _on_style_hints_color_scheme_changed(self, color_scheme: Qt.ColorScheme) -> None:
        if self._requested == AUTO and self._app is not None:
            self._set(self._app, DARK if color_scheme == Qt.ColorScheme.Dark else LIGHT, force=False)

    def _set(self, app: QApplication, scheme: str, *, force: bool) -> None:
        changed = scheme != self._current
        if not (changed or force):
            return
        if self._styled_app is not app:
            self._style = _FusionStyle()  # kept: the application only borrows it
            app.setStyle(self._style)  # before the palette: setStyle resets it to the style's own
            self._styled_app = app
        app.setPalette(palette(scheme))
        # The sheets draw arrows and check marks from url(theme:...): resources/styles/images.
        QDir.setSearchPaths("theme", [str(config.resources_dir() / "styles" / "images")])
        if not self._sheet_held:
            app.setStyleSheet(style_sheet(scheme))
        self._current = scheme
        if changed:
            _refresh_bound_icons(app)
            self.sig_scheme_changed.emit(scheme)


_manager: ThemeManager | None = None


def manager() -> ThemeManager:
    """The process's ThemeManager (made on first use, in the GUI thread)."""
    global _manager
    if _manager is None:
        _manager = ThemeManager()
    return _manager


def apply(app: QApplication, scheme: str = AUTO) -> str:
    """Apply "auto" or "system" (follow the system; light when it says nothing), "light" or "dark"; returns
    the one in effect."""
    return manager().apply(app, scheme)


def sheet_held(app: QApplication):
    """ThemeManager.sheet_held: build a large window inside it, then show it."""
    return manager().sheet_held(app)


def current_scheme() -> str:
    """The scheme in effect: "light" or "dark"."""
    return manager().current_scheme()


# --- icons ------------------------------------------------------------------------------------------

_icon_cache: dict[tuple[str, str], QIcon] = {}


def _icons_dir() -> Path:
    return config.resources_dir() / "icons"


def icon_names() -> list[str]:
    """The names icon() accepts (resources/icons/*.svg, without the coloured application icon)."""
    return sorted(p.stem for p in _icons_dir().glob("*.svg") if p.stem != "app")


def _icon_source(name: str) -> str:
    path = _icons_dir() / f"{name}.svg"
    if "/" in name or "\\" in name or name == "app" or not path.is_file():
        raise UnknownIconError(f"no icon named {name!r}; the icons are: {', '.join(icon_names())}")
    return path.read_text(encoding="utf-8")


def _render(renderer: QSvgRenderer, size: int, dpr: float) -> QPixmap:
    side = round(size * dpr)
    # Starts from zeroed (transparent) memory, and QSvgRenderer antialiases by itself: as few calls into
    # Qt as can be, because with PySide6 6.12 on Python 3.11 every call of a void method drops a
    # reference to None (enough of them abort the interpreter).
    image = QImage(bytes(side * side * 4), side, side, QImage.Format.Format_ARGB32_Premultiplied).copy()
    image.setDevicePixelRatio(dpr)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return QPixmap.fromImage(image)


class _SvgIconEngine(QIconEngine):
    """Draws a tinted SVG at exactly the size and pixel ratio asked for, when first asked.

    Rendering every size, ratio and mode up front cost ~2 ms an icon at start-up; most are never shown.
    """

    def __init__(self, name: str, sources: dict[QIcon.Mode, bytes]):
        super().__init__()
        self._name = name
        self._sources = sources
        self._renderers: dict[QIcon.Mode, QSvgRenderer] = {}
        self._pixmaps: dict[tuple, QPixmap] = {}

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        mode = mode if mode in self._sources else QIcon.Mode.Normal  # Active looks like Normal
        renderer = self._renderers.get(mode)
        if renderer is None:
            renderer = QSvgRenderer(QByteArray(self._sources[mode]))
            self._renderers[mode] = renderer
        return renderer

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        side = min(size.width(), size.height())
        key = (side, mode, scale)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = _render(self._renderer(mode), side, scale)
            self._pixmaps[key] = pixmap
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        self._renderer(mode).render(painter, QRectF(rect))

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._name, self._sources)

    def iconName(self) -> str:
        return self._name


def icon(name: str, scheme: str | None = None) -> QIcon:
    """The line icon resources/icons/<name>.svg drawn in the scheme's text colour (current scheme by default).

    Normal, Disabled and Selected (on the selection colour) are drawn at whatever size and
    device-pixel ratio a widget asks for, so they stay sharp. Raises UnknownIconError for a name
    without a file, ValueError for a file that is not SVG.
    """
    scheme = _check_scheme(scheme or current_scheme())
    key = (name, scheme)
    if (cached := _icon_cache.get(key)) is not None:
        return cached
    source = _icon_source(name)
    c = _COLORS[scheme]
    sources = {
        mode: source.replace("currentColor", color).encode("utf-8")
        for mode, color in (
            (QIcon.Mode.Normal, c.text),
            (QIcon.Mode.Disabled, c.disabled_text),
            (QIcon.Mode.Selected, c.highlighted_text),
        )
    }
    if not QSvgRenderer(QByteArray(sources[QIcon.Mode.Normal])).isValid():
        raise ValueError(f"resources/icons/{name}.svg is not a valid SVG file")
    result = QIcon(_SvgIconEngine(name, sources))
    _icon_cache[key] = result
    return result


def app_icon() -> QIcon:
    """The coloured application icon (resources/icons/app.svg), for QApplication.setWindowIcon().

    Drawn lazily like the line icons: only the sizes a window manager asks for are ever rendered.
    """
    source = (_icons_dir() / "app.svg").read_bytes()
    return QIcon(_SvgIconEngine("app", {QIcon.Mode.Normal: source}))


def set_icon(target: QAction | QAbstractButton, name: str) -> None:
    """Give an action or button the icon `name`, and keep it tinted for the scheme in effect."""
    target.setProperty(_ICON_PROPERTY, name)
    target.setIcon(icon(name))


def _refresh_bound_icons(app: QApplication) -> None:
    # Found again by property rather than kept in a list, so no deleted object is ever touched. Reaches
    # every widget, the actions added to widgets, and the actions owned by windows.
    targets: dict[int, QObject] = {}
    for widget in app.allWidgets():
        targets[id(widget)] = widget
        for action in widget.actions():
            targets[id(action)] = action
    for window in app.topLevelWidgets():
        for action in window.findChildren(QAction):
            targets[id(action)] = action
    for target in targets.values():
        if name := target.property(_ICON_PROPERTY):
            target.setIcon(icon(name))


# --- roles and colours ------------------------------------------------------------------------------


def set_role(widget: QWidget, role: str | None) -> None:
    """Set the style-sheet role ("heading", "muted", "error", "badge", "card", …) and restyle the widget now."""
    widget.setProperty("role", role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def _colors(scheme: str | None) -> _Colors:
    return _COLORS[_check_scheme(scheme or current_scheme())]


def stance_color(stance: str | None, scheme: str | None = None) -> QColor:
    """Champion green, supporter, neutral amber, sceptic orange, opponent red; unknown or anything else grey."""
    stances = _colors(scheme).stances
    return QColor(stances.get(stance or "unknown", stances["unknown"]))


def severity_color(severity: str | None, scheme: str | None = None) -> QColor:
    """Red for "must", amber for "should"; the muted text colour for anything else."""
    c = _colors(scheme)
    return QColor(c.severities.get(severity or "", c.muted))


def muted_text_color(scheme: str | None = None) -> QColor:
    """Secondary text: hints, counts, dates."""
    return QColor(_colors(scheme).muted)


def warning_color(scheme: str | None = None) -> QColor:
    """Warnings that need attention but are not errors."""
    return QColor(_colors(scheme).warning)


def error_color(scheme: str | None = None) -> QColor:
    """Errors and validation messages."""
    return QColor(_colors(scheme).error)


def accent_color(scheme: str | None = None) -> QColor:
    """The selection and focus colour."""
    return QColor(_colors(scheme).highlight)


def level_color(level: str, scheme: str | None = None) -> QColor:
    """Green for "good", amber for "watch", red for "bad": risks by score, measures against target."""
    stance = {"good": "champion", "watch": "neutral", "bad": "opponent"}.get(level, "unknown")
    return QColor(_colors(scheme).stances[stance])
