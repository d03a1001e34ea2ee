"""Starts the desktop app: Qt application, theme, workspace on its thread, first-run welcome, main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from companion.model.errors import CompanionError, DamagedWorkspace
from companion.ui.common import theme


def chosen_theme(data_dir: Path) -> str:
    """The theme of the settings (Edit → Settings, or an admin's): "system", "light" or "dark"."""
    from companion.app import settings as managed_settings

    return str(managed_settings.load(data_dir).value("ui.theme"))


def ui_settings(data_dir: Path) -> QSettings:
    """Window layout, role, pinned and recent clients: kept beside the workspace they belong to."""
    return QSettings(str(data_dir / "ui.ini"), QSettings.Format.IniFormat)


def run(*, data_dir: Path, workspace_file: Path, quit_after_ready: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Companion")
    app.setOrganizationName("Companion")
    app.setApplicationDisplayName("Companion")
    theme.apply(app, chosen_theme(data_dir))

    from companion.app.opener import first_paint
    from companion.ui.clients.feature import marked_clients
    from companion.ui.clients.list_panel import FIRST_PAINT_COLUMNS, FIRST_SCREEN_ROWS
    from companion.ui.common.worker import DbWorker
    from companion.ui.security.unlock import Cancelled, workspace_key
    from companion.ui.shell.main_window import MainWindow

    settings = ui_settings(data_dir)
    while True:
        try:
            key = workspace_key(workspace_file)
            # An up-to-date workspace paints from the driver alone; SQLAlchemy loads on the worker meanwhile.
            # It reads what the first screen shows: the first clients by name, the pinned and recent ones.
            snapshot = first_paint(
                workspace_file,
                client_fields=FIRST_PAINT_COLUMNS,
                key=key,
                first=FIRST_SCREEN_ROWS,
                also=marked_clients(settings),
            )
            workspace = None if snapshot is not None else _open(workspace_file, key)
            break
        except Cancelled:
            return 0
        except DamagedWorkspace as exc:
            # Said in words, with the way back: a backup restored or what can be read recovered opens now.
            print(f"companion: {exc}", file=sys.stderr)
            from companion.ui.shell.damaged_workspace import resolve as resolve_damage  # only when damaged

            if quit_after_ready or not resolve_damage(exc):
                return 1
        except CompanionError as exc:
            print(f"companion: {exc}", file=sys.stderr)
            if not quit_after_ready:
                QMessageBox.critical(None, "Companion", str(exc))
            return 1

    worker = DbWorker(workspace, opener=lambda: _open(workspace_file, key))
    with theme.sheet_held(app):
        window = MainWindow(worker, settings, first_paint=snapshot)
    if quit_after_ready:
        window.sig_ready.connect(lambda: QTimer.singleShot(0, app.quit))
    window.show()
    if not quit_after_ready and not settings.value("first_run_done", False, type=bool):
        window.sig_ready.connect(lambda: welcome(window, settings))
    elif not quit_after_ready and settings.value("role", "") == "new_staff":
        window.sig_ready.connect(lambda: _start_page(window, "new_staff"))
    code = app.exec()
    worker.stop()
    if worker.workspace is not None:
        worker.workspace.close()
    settings.sync()  # written now: the process may end without running destructors
    return code


def _open(path: Path, key):
    from companion.app.opener import open_with_key

    return open_with_key(path, key)


def welcome(window, settings: QSettings) -> None:
    """Asks the role (it chooses the start page) and offers the demo, but only into a workspace that
    holds no records yet (never into one restored, synced or filled from the command line)."""
    from companion.ui.shell import operations

    window.worker.submit(
        operations.holds_records,
        lambda held: _ask_welcome(window, settings, offer_demo=not held),
    )


def _ask_welcome(window, settings: QSettings, *, offer_demo: bool) -> None:
    from companion.app import settings as managed_settings
    from companion.ui.shell.first_run import WelcomeDialog

    managed = managed_settings.load(Path(settings.fileName()).parent)
    dialog = WelcomeDialog(
        window,
        role=str(managed.value("ui.default_role")),
        role_locked=managed.lock_reason("ui.default_role") is not None,
        offer_demo=offer_demo,
    )

    def done() -> None:
        role = dialog.role
        settings.setValue("first_run_done", True)
        settings.setValue("role", role)
        if not dialog.wants_demo:
            _start_page(window, role)
            return
        from companion.ui.shell import operations

        def refused(failure) -> None:
            window.show_failure(failure)
            _start_page(window, role)

        # The start page follows once the demo's clients are in the list (new staff open a pack).
        window.edits.run(
            operations.load_demo,
            on_done=lambda _changes: _once_clients_listed(window, lambda: _start_page(window, role)),
            on_error=refused,
        )

    dialog.accepted.connect(done)
    dialog.open()


def _once_clients_listed(window, then) -> None:
    """Runs `then` once the client list shows clients (after the demo, the list reloads on its own)."""

    def check() -> None:
        if window.clients.rows:
            window.sig_client_list_loaded.disconnect(check)
            then()

    window.sig_client_list_loaded.connect(check)


def _start_page(window, role: str) -> None:
    """New staff start in reader mode, on a client's induction pack; everyone else at home."""
    if role == "new_staff" and window.clients.rows:
        window.induction.open_current_pack()
    else:
        window.show_home()
