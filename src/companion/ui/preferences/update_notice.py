"""Help → Check for updates, and the status-bar notice when the team lists a newer signed release
(companion.app.updates; off unless the settings turn it on)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.app import settings, updates
from companion.model.errors import CompanionError
from companion.ui.common.theme import set_role


class UpdateChecker(QObject):
    """Runs one check off the window's thread (it may wait on the network) and reports back."""

    sig_checked = Signal(object)
    """An updates.UpdateCheck."""
    sig_failed = Signal(str)
    """Why the listing could not be read or believed."""

    def __init__(self, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.data_dir = data_dir
        self.running = False

    def enabled(self) -> bool:
        """The person (or their administrator) asked to be told about new releases."""
        return bool(settings.load(self.data_dir).value("updates.check"))

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        loaded = settings.load(self.data_dir)
        threading.Thread(target=self._run, args=(loaded,), name="update-check", daemon=True).start()

    def _run(self, loaded: settings.Settings) -> None:
        # Signals emitted here reach the window's thread queued: this object lives there.
        try:
            result = updates.check(loaded)
        except CompanionError as exc:
            self.running = False
            self.sig_failed.emit(str(exc))
            return
        except Exception as exc:  # a listing nobody foresaw must not take the app down
            self.running = False
            self.sig_failed.emit(f"The update check failed: {exc}")
            return
        self.running = False
        self.sig_checked.emit(result)


class UpdateNotice(QToolButton):
    """Sits in the status bar once a newer signed release is listed; a click shows where it is."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setObjectName("update_notice")
        set_role(self, "badge")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.result: updates.UpdateCheck | None = None
        self.setVisible(False)
        self.clicked.connect(self.show_details)

    def show_result(self, result: updates.UpdateCheck) -> None:
        self.result = result
        self.setText(self.tr("Companion {0} is available").format(result.release.version))
        self.setToolTip(result.summary())
        self.setVisible(result.newer)

    def show_details(self) -> UpdateDialog | None:
        if self.result is None:
            return None
        dialog = UpdateDialog(None, self.window())
        dialog.show_result(self.result)
        dialog.open()
        return dialog


class UpdateDialog(QDialog):
    """What the check found: the newer signed release, the installer for this system and its checksum,
    or why nothing can be said. Nothing is downloaded or installed from here."""

    def __init__(self, checker: UpdateChecker | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check for updates"))
        self.setMinimumWidth(560)
        self.release: updates.Release | None = None
        layout = QVBoxLayout(self)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        set_role(self.headline, "heading")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = QPushButton(self.tr("Open the release location"))
        self.copy_button = QPushButton(self.tr("Copy checksum"))
        for button in (self.open_button, self.copy_button):
            button.setVisible(False)
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self._open_location)
        self.copy_button.clicked.connect(self._copy_checksum)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if checker is not None:
            self.headline.setText(self.tr("Checking the team's release listing…"))
            checker.sig_checked.connect(self.show_result)
            checker.sig_failed.connect(self.show_failure)
            checker.start()

    def show_result(self, result: updates.UpdateCheck) -> None:
        import html  # here, not at start-up (the notice is made there; this dialog on demand)

        self.release = result.release
        version = result.release.version
        self.headline.setText(
            self.tr("Companion {0} is available").format(version)
            if result.newer
            else self.tr("Companion {0} is up to date").format(result.current)
        )
        installers = result.release.installers()
        rows = [
            self.tr("You have {0}; the newest release your team lists is {1}, signed with its release key {2}.")
            .format(result.current, version, result.release.signed_by)
        ]  # fmt: skip
        if result.newer and installers:
            best = installers[0]
            rows.append(
                self.tr("Installer for this computer: <b>{0}</b><br>at {1}<br>SHA-256 {2}").format(
                    html.escape(best),
                    html.escape(result.release.location(best)),
                    result.release.checksums[best],
                )
            )
            rows.append(
                self.tr("Companion does not install it by itself: close Companion, then install it as "
                        "your administrator describes. Your workspace is kept.")
            )  # fmt: skip
        elif result.newer:
            rows.append(self.tr("The release holds no installer for this kind of computer."))
        self.details.setText("<br><br>".join(rows))
        self.open_button.setVisible(result.newer and bool(installers))
        self.copy_button.setVisible(result.newer and bool(installers))
        self.adjustSize()

    def show_failure(self, message: str) -> None:
        import html

        self.release = None
        self.headline.setText(self.tr("Could not check for updates"))
        self.details.setText(html.escape(message))
        self.open_button.setVisible(False)
        self.copy_button.setVisible(False)
        self.adjustSize()

    def _best(self) -> str | None:
        installers = self.release.installers() if self.release else []
        return installers[0] if installers else None

    def _open_location(self) -> None:
        if self.release is None:
            return
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        feed = self.release.feed
        url = QUrl(feed) if "://" in feed else QUrl.fromLocalFile(feed)
        QDesktopServices.openUrl(url)

    def _copy_checksum(self) -> None:
        if (best := self._best()) is not None:
            QGuiApplication.clipboard().setText(f"{self.release.checksums[best]}  {best}")
