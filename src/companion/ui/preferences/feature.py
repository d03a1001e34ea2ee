"""Preferences: Settings, update notices, and what the managed settings allow the window (exports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QWidget

from companion.ui.common.feature import Feature
from companion.ui.preferences.update_notice import UpdateChecker, UpdateDialog, UpdateNotice

if TYPE_CHECKING:
    from companion.app.settings import Settings
    from companion.ui.preferences.settings_dialog import SettingsDialog

SAVED_MESSAGE_MS = 5000


class PreferencesFeature(Feature):
    """The settings an admin or the person chose, read where the window needs them."""

    def install(self) -> None:
        w = self.window
        self.settings_action = w.add_action(
            "settings", "Settings…", "Ctrl+,", self.show_settings, menu="&Edit"
        )
        self.updates_action = w.add_action(
            "check_updates", "Check for updates…", None, self.check_for_updates, menu="&Help"
        )
        self.update_checker = UpdateChecker(w.data_dir, self)
        self.update_notice = UpdateNotice()
        self.update_checker.sig_checked.connect(self.update_notice.show_result)
        w.statusBar().addPermanentWidget(self.update_notice)
        # An administrator who locks update checks off takes the menu entry away too.
        self.updates_action.setVisible(not self._updates_locked_off())
        notices = self.managed().notices()
        # Made only when there is something to say: nearly always there is not.
        self.notice = self._notice_banner(notices) if notices else None

    def _fit_notice(self) -> None:
        # A dock shares out the window's spare height; the band keeps only what its wrapped lines need.
        if self.notice is not None and self.notice.isVisible():
            label = self.notice.widget()
            height = label.heightForWidth(self.notice.width()) or label.sizeHint().height()
            self.window.resizeDocks([self.notice], [height], Qt.Orientation.Vertical)

    def managed(self) -> Settings:
        """The managed settings now: built-in defaults, the site's, the person's, an admin's locks."""
        from companion.app import settings

        return settings.load(self.window.data_dir)

    def _notice_banner(self, notices: list[str]) -> QDockWidget:
        """A band across the window under the toolbar, there from the start when the site config cannot
        be read (what is held safe until it is fixed) or the person's settings file was set aside: the
        same lines every command prints first (companion.app.settings.Settings.notices)."""
        from companion.ui.common.theme import set_role

        band = QDockWidget(self.window)
        band.setObjectName("settings_notice")
        band.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        band.setTitleBarWidget(QWidget(band))  # no title, no close button: it goes when the file is fixed
        label = QLabel("\n".join(line[:1].upper() + line[1:] for line in notices))
        label.setWordWrap(True)
        label.setContentsMargins(8, 4, 8, 4)
        set_role(label, "notice-band")
        label.setAccessibleName(self.tr("Settings notice"))
        band.setWidget(label)
        self.window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, band)
        return band

    def on_settled(self) -> None:
        self._fit_notice()
        self._report_problems()
        if self.update_checker.enabled():
            self.update_checker.start()

    def show_settings(self) -> SettingsDialog:
        from companion.ui.preferences.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.window.data_dir, self.window)
        dialog.accepted.connect(self.window.security.arm_idle_lock)
        dialog.open()
        return dialog

    def check_for_updates(self) -> UpdateDialog:
        dialog = UpdateDialog(self.update_checker, self.window)
        dialog.open()
        return dialog

    def _updates_locked_off(self) -> bool:
        loaded = self.managed()
        return loaded.value("updates.check") is False and loaded.lock_reason("updates.check") is not None

    def exports_allowed(self) -> bool:
        return bool(self.managed().value("exports.allowed"))

    def guard_exports(self, *buttons) -> None:
        """Export buttons go when an admin turned exports off (companion.app.settings)."""
        if not self.exports_allowed():
            for button in buttons:
                button.setVisible(False)

    def tell_saved(self, path: str) -> None:
        """A file was written (an export): said in the status bar."""
        self.window.statusBar().showMessage(self.tr("Saved {0}").format(path), SAVED_MESSAGE_MS)

    def _report_problems(self) -> None:
        """A site or user settings file that cannot be read: the app runs on the other layers and
        says which file and line (companion.app.settings)."""
        if self.window.worker.workspace is None:
            return
        from companion.app import settings

        problems = settings.load(self.window.worker.workspace.path.parent).problems
        if problems:
            self.window.statusBar().showMessage(self.tr("Settings: {0}").format(" · ".join(problems)))
