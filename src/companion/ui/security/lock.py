"""Locking the window: Ctrl+L, or after the idle minutes the user or an admin sets (settings'
ui.lock_after_minutes). Locked, the window shows nothing of the workspace, its actions and shortcuts are
off and its other windows hidden, until the unlock passphrase is typed: the workspace's own passphrase
when it has one, else one the person chooses the first time (kept as a salted scrypt hash)."""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from companion.ui.common.theme import app_icon, set_role

ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
HASH_KEY = "lock/passphrase_scrypt"
CHECK_EVERY_MS = 5000


def _scrypt(passphrase: str, salt: bytes) -> bytes:
    # ~50 ms: slow enough to make guessing from a copied settings file costly, quick enough to unlock.
    import hashlib  # on use: hashlib loads OpenSSL, which start-up does not otherwise need

    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=32)


class UnlockSecret:
    """The chosen unlock passphrase, as a salted scrypt hash in the window's settings (never the text)."""

    def __init__(self, settings: QSettings):
        self.settings = settings

    def is_set(self) -> bool:
        return bool(self.settings.value(HASH_KEY, ""))

    def choose(self, passphrase: str) -> None:
        import secrets

        salt = secrets.token_bytes(16)
        self.settings.setValue(HASH_KEY, f"{salt.hex()}${_scrypt(passphrase, salt).hex()}")
        self.settings.sync()

    def matches(self, passphrase: str) -> bool:
        stored = str(self.settings.value(HASH_KEY, ""))
        if "$" not in stored:
            return False
        salt, expected = stored.split("$", 1)
        import hmac

        return hmac.compare_digest(_scrypt(passphrase, bytes.fromhex(salt)).hex(), expected)


class LockScreen(QWidget):
    """What the locked window shows: no client, no name, only the way back in."""

    sig_unlock = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lock_screen")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(icon)
        title = QLabel(self.tr("Companion is locked"))
        set_role(title, "heading")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.hint, "muted")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("Passphrase"))
        self.passphrase.setAccessibleName(self.tr("Unlock passphrase"))
        self.passphrase.setMinimumWidth(280)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.problem = QLabel()
        set_role(self.problem, "error")
        self.problem.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.problem.setVisible(False)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.passphrase)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        for widget in (title, self.hint):
            column.addWidget(widget)
        column.addLayout(row)
        column.addWidget(self.problem)
        outer.addLayout(column)
        outer.addStretch(2)
        self.unlock_button.clicked.connect(self._submit)
        self.passphrase.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        self.sig_unlock.emit(self.passphrase.text())

    def refuse(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(True)
        self.passphrase.selectAll()
        self.passphrase.setFocus()


class LockController(QObject):
    """Watches for input anywhere in the app; locks the window on request or when idle too long."""

    sig_locked = Signal()
    sig_unlocked = Signal()

    def __init__(self, window: QMainWindow, settings: QSettings, workspace_passphrase):
        super().__init__(window)
        self.window = window
        self.secret = UnlockSecret(settings)
        # () -> the workspace's passphrase, or None when its key is in the keyring (or it is plain).
        self.workspace_passphrase = workspace_passphrase
        self.idle_limit_s = 0.0
        self.last_activity = time.monotonic()
        self.screen: LockScreen | None = None
        self._saved: dict = {}
        self.timer = QTimer(self, interval=CHECK_EVERY_MS)
        self.timer.timeout.connect(self._check_idle)
        self._filtering = False

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def can_lock(self) -> bool:
        """A passphrase exists to unlock with: the workspace's own, or the chosen one."""
        return self.workspace_passphrase() is not None or self.secret.is_set()

    def set_idle_minutes(self, minutes: int) -> None:
        self.idle_limit_s = float(minutes) * 60
        if minutes > 0:
            self.timer.start()
        else:
            self.timer.stop()
        self._watch()

    def _watch(self) -> None:
        """Watches the app's events only while idle locking is on or the window is locked: a filter on
        every event costs each keystroke and scroll step a Python call."""
        wanted = self.idle_limit_s > 0 or self.locked
        if wanted and not self._filtering:
            self.last_activity = time.monotonic()
            QApplication.instance().installEventFilter(self)
        elif not wanted and self._filtering:
            QApplication.instance().removeEventFilter(self)
        self._filtering = wanted

    def eventFilter(self, watched, event) -> bool:
        if event.type() in ACTIVITY:
            self.last_activity = time.monotonic()
        if self.locked and event.type() == QEvent.Type.Show and self._opens_over_the_lock(watched):
            # A window that opens while locked (a failure's message, a sync dialog) may show data: it
            # waits, hidden, until the unlock.
            self._saved["others"].append(watched)
            QTimer.singleShot(0, watched.hide)
        # Locked, no shortcut reaches an action (search, new client, the pack…): they are swallowed here.
        return self.locked and event.type() == QEvent.Type.Shortcut

    def _opens_over_the_lock(self, widget) -> bool:
        return (
            isinstance(widget, QWidget)
            and widget.isWindow()
            and widget is not self.window
            and widget.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
            and widget not in self._saved["others"]
        )

    def _check_idle(self) -> None:
        idle = time.monotonic() - self.last_activity
        if 0 < self.idle_limit_s <= idle and not self.locked and self.can_lock():
            self.lock()

    def lock(self) -> bool:
        """Hides everything of the workspace; False when there is no passphrase to unlock with yet."""
        if self.locked:
            return True
        if not self.can_lock():
            return False
        window = self.window
        others = [
            w for w in QApplication.topLevelWidgets() if w is not window and w.isVisible() and w.isWindow()
        ]
        bars = (window.menuBar(), window.statusBar(), *window.findChildren(QToolBar))
        self._saved = {
            "focus": QApplication.focusWidget(),
            "central": window.takeCentralWidget(),
            "others": others,
            "bars": [(bar, bar.isVisible()) for bar in bars],
        }
        for widget in [*others, *bars]:
            widget.hide()
        self.screen = LockScreen()
        self.screen.hint.setText(
            self.tr("Type the workspace's passphrase to go on.")
            if self.workspace_passphrase() is not None
            else self.tr("Type your unlock passphrase to go on.")
        )
        self.screen.sig_unlock.connect(self.unlock)
        window.setCentralWidget(self.screen)
        self.screen.passphrase.setFocus()
        self._watch()
        self.sig_locked.emit()
        return True

    def _matches(self, passphrase: str) -> bool:
        own = self.workspace_passphrase()
        if own is not None:
            import hmac

            return hmac.compare_digest(passphrase.encode("utf-8"), own.encode("utf-8"))
        return self.secret.matches(passphrase)

    def unlock(self, passphrase: str) -> bool:
        if self.screen is None:
            return True
        if not passphrase or not self._matches(passphrase):
            self.screen.refuse(self.tr("That is not the passphrase. Companion stays locked."))
            return False
        window = self.window
        window.takeCentralWidget().deleteLater()
        window.setCentralWidget(self._saved["central"])
        for bar, visible in self._saved["bars"]:
            bar.setVisible(visible)
        for widget in self._saved["others"]:
            if shiboken6.isValid(widget):  # one closed and deleted meanwhile stays gone
                widget.show()
        window.activateWindow()
        focus = self._saved["focus"]
        (focus if focus is not None and focus.isVisible() else window).setFocus()  # back where they were
        self.screen = None
        self._saved = {}
        self.last_activity = time.monotonic()
        self._watch()
        self.sig_unlocked.emit()
        return True
