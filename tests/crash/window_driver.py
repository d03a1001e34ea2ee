"""The real window, offscreen, making the edit script's edits or syncing, until it is killed."""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """python -m tests.crash.window_driver DATA_DIR (edits SEED START CLIENT_ID | sync | settle): once the
    window is up, makes the script's edits from step START one after another through the window's edit
    controller and its Undo, saying "ready" on standard output once the first is written (edits: the kill
    then falls among the edits, however long a loaded machine takes to settle the window); or says "ready"
    and syncs once by Sync now and ends (sync), or ends once the window has settled (settle)."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from companion.app.config import workspace_path
    from companion.app.opener import open_workspace
    from companion.ui.common.worker import DbWorker
    from companion.ui.shell.main_window import MainWindow
    from tests.crash import script

    data_dir, mode = Path(argv[0]), argv[1]
    path = workspace_path(data_dir)
    # Read before the window opens: the edits go on from what the workspace holds.
    notes = script.notes_of(path)
    app = QApplication([])
    worker = DbWorker(open_workspace(path))
    window = MainWindow(worker, QSettings(str(data_dir / "ui.ini"), QSettings.Format.IniFormat))
    failures: list[str] = []

    def fail(failure) -> None:
        failures.append(str(getattr(failure, "message", failure)))
        app.exit(1)

    window.edits.sig_failed.connect(fail)

    def edit() -> None:
        seed, start, client_id = int(argv[2]), int(argv[3]), argv[4]
        steps = script.window_steps(seed, start, {title: note for title, (_id, note) in notes.items()})
        ids = {title: note_id for title, (note_id, _note) in notes.items()}

        def next_step(*_args) -> None:
            step, _after, _entries = next(steps)
            if step.op == "add":

                def added(changes, title=step.title) -> None:
                    ids[title] = changes.created_id
                    later()

                values = {"title": step.title, "body": step.body, "privacy": "team", "client_id": client_id}
                window.edits.create("note", values, on_done=added)
            elif step.op == "set":
                window.edits.update("note", ids[step.title], {"body": step.body}, on_done=later)
            elif step.op == "delete":
                window.edits.delete("note", ids[step.title], on_done=later)
            else:
                window.undo_action.trigger()  # Ctrl+Z: answered by sig_done("undone", …)

        def later(*_args) -> None:
            if not announced:  # the first edit is written
                announced.append(True)
                print("ready", flush=True)
            QTimer.singleShot(0, next_step)

        announced: list[bool] = []

        window.edits.sig_done.connect(lambda deed, _label: later() if deed == "undone" else None)
        next_step()

    def sync() -> None:
        feature = window.sync
        if feature.controller is None or not feature.controller.state.get("server"):
            QTimer.singleShot(10, sync)  # not settled yet, or the connection not read yet
            return
        feature.controller.sig_synced.connect(
            lambda summary: (print(summary.line(), *summary.messages), app.exit(0))
        )
        feature.controller.sig_failed.connect(fail)
        feature.sync_action.trigger()  # F5

    def settle() -> None:
        if not window.settled:
            QTimer.singleShot(10, settle)
            return
        app.exit(0)

    def ready() -> None:
        if mode != "edits":
            print("ready", flush=True)
        {"edits": edit, "sync": sync, "settle": settle}[mode]()

    window.sig_ready.connect(ready)
    window.show()
    code = app.exec()
    window.close()  # stops the features' own threads (sync's)
    for failure in failures:
        print(failure, file=sys.stderr)
    worker.stop()
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
