"""Sync in the window: a status-bar indicator with "Sync now", background sync on an interval, the
connect dialog, and the conflicts view where a person picks or merges.

Sync runs on a thread of its own with its own connection to the workspace, so a slow network never
holds up the window's database work.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.model.errors import CompanionError
from companion.ui.common.edits import EditController
from companion.ui.common.theme import set_role
from companion.ui.common.worker import DbWorker, Failure
from companion.ui.sync import operations

# A first sync with more than this many records to move shows a progress dialog.
BIG_SYNC = 2000


class SyncController(QObject):
    """Owns the sync thread, the timer and the indicator; tells the window when data arrived."""

    sig_synced = Signal(object)
    """A sync finished and brought or sent records (a SyncSummary)."""
    sig_progress = Signal(str, int)
    """("push" or "pull", records so far), from the sync thread."""
    sig_failed = Signal(object)
    """A sync the person asked for failed (a Failure)."""

    def __init__(self, workspace_path: Path, reader: DbWorker, parent: QObject | None = None):
        super().__init__(parent)
        self.path = Path(workspace_path)
        self.reader = reader  # the window's database thread: the state is a few quick reads
        self._worker: DbWorker | None = None
        self.indicator = SyncIndicator()
        self.state: dict = {}
        self.running = False
        self.last_synced: str | None = None
        # Every so many minutes: the user's choice, an admin's default or lock (companion.app.settings).
        from companion.app import settings

        minutes = settings.load(self.path.parent).value("sync.interval_minutes")
        self.timer = QTimer(self, interval=int(minutes) * 60 * 1000)
        self.timer.timeout.connect(lambda: self.sync_now(quiet=True))
        self.indicator.sync_button.clicked.connect(lambda: self.sync_now())
        self._dialog: QProgressDialog | None = None
        self.sig_progress.connect(self._on_progress)

    def _open(self):
        from companion.app.opener import another_connection

        return another_connection(self.reader.workspace)

    @property
    def worker(self) -> DbWorker:
        """The sync thread and its own connection: made when first needed (never, without a server)."""
        if self._worker is None:
            self._worker = DbWorker(None, opener=self._open)
        return self._worker

    def start(self) -> None:
        self.refresh()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self._worker is not None:
            self._worker.stop()
            if self._worker.workspace is not None:
                self._worker.workspace.close()

    def refresh(self, then=None) -> None:
        """Reads the sync state again; `then()` runs once it is known."""

        def shown(state: dict) -> None:
            self._on_status(state)
            if then is not None:
                then()

        self.reader.submit(operations.sync_status, shown, lambda _f: None)

    def _on_status(self, state: dict) -> None:
        self.state = state
        self.indicator.show_state(state, running=self.running, last=self.last_synced)

    def sync_now(self, *, quiet: bool = False, allow_deletes: bool = False) -> None:
        """One cycle in the background; `quiet` (the timer) stays silent about an unreachable server."""
        if self.running or not self.state.get("server"):
            return
        self.running = True
        self.indicator.show_state(self.state, running=True, last=self.last_synced)
        if self.state.get("first") and not quiet:
            self._dialog = QProgressDialog(
                self.tr("Syncing with the server…"), "", 0, 0, self.indicator.window()
            )
            self._dialog.setCancelButton(None)
            self._dialog.setMinimumDuration(300)
        job = partial(
            operations.sync,
            allow_deletes=allow_deletes,
            progress=self.sig_progress.emit,  # thread-safe: queued to this thread
        )
        self.worker.submit(job, self._on_synced, lambda failure: self._on_failed(failure, quiet))

    def _on_progress(self, stage: str, count: int) -> None:
        self.indicator.label.setText(
            self.tr("Syncing: {0} sent").format(count)
            if stage == "push"
            else self.tr("Syncing: {0} received").format(count)
        )
        if self._dialog is not None:
            self._dialog.setLabelText(
                self.tr("Sending your records: {0}").format(count)
                if stage == "push"
                else self.tr("Receiving the team's records: {0}").format(count)
            )

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    def _on_synced(self, summary) -> None:
        from PySide6.QtCore import QDateTime

        self.running = False
        self._close_dialog()
        self.last_synced = QDateTime.currentDateTime().toString("HH:mm")
        self.sig_synced.emit(summary)
        self.refresh()

    def _on_failed(self, failure: Failure, quiet: bool) -> None:
        self.running = False
        self._close_dialog()
        self.indicator.show_failure(failure)
        if not quiet:
            self.sig_failed.emit(failure)
        self.refresh()

    # --- connecting and conflicts --------------------------------------------------------------

    def connect_dialog(self, parent: QWidget) -> ConnectDialog:
        dialog = ConnectDialog(self, parent)
        dialog.open()
        return dialog

    def conflicts_dialog(self, parent: QWidget, edits: EditController | None = None) -> ConflictsDialog:
        dialog = ConflictsDialog(self, parent, edits)
        dialog.open()
        return dialog


class SyncIndicator(QWidget):
    """Status bar: not connected, offline, syncing, last synced, pending edits, conflicts."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setAccessibleName(self.tr("Sync state"))
        set_role(self.label, "muted")
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setAccessibleName(self.tr("Sync now"))
        row.addWidget(self.label)
        row.addWidget(self.sync_button)

    def show_state(self, state: dict, *, running: bool, last: str | None) -> None:
        if not state.get("server"):
            self.label.setText(self.tr("Not connected to a server"))
            self.sync_button.setVisible(False)
            return
        self.sync_button.setVisible(True)
        self.sync_button.setEnabled(not running)
        if running:
            self.label.setText(self.tr("Syncing…"))
            return
        parts = [self.tr("Synced at {0}").format(last) if last else self.tr("Not synced yet")]
        if state.get("pending"):
            parts.append(self.tr("{0} edits to send").format(state["pending"]))
        if state.get("conflicts"):
            parts.append(self.tr("{0} conflicts").format(state["conflicts"]))
        aside = state.get("set_aside") or {}
        if aside:
            parts.append(self.tr("{0} records set aside").format(len(aside)))
        self.label.setText(" · ".join(parts))
        # What was set aside, and why: a record the team has that this laptop's rules refuse.
        self.label.setToolTip(
            self.tr("Records from the server this laptop could not store (sync goes on without them):")
            + "".join(f"\n{item['kind']} {record_id}: {item['problem']}" for record_id, item in aside.items())
            if aside
            else ""
        )
        set_role(self.label, "warning" if state.get("conflicts") or aside else "muted")

    def show_failure(self, failure: Failure) -> None:
        error = failure.error
        offline = "did not answer" in str(error)
        self.label.setText(self.tr("Offline: edits are kept") if offline else self.tr("Sync failed"))
        self.label.setToolTip(str(error))
        self.sync_button.setEnabled(True)


class ConnectDialog(QDialog):
    """Joining a server: its address, which team the local records go to, and this laptop's token."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Connect to a sync server"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://sync.example.com")
        from companion.app import settings

        managed = settings.load(controller.path.parent)
        self.server.setText(str(managed.value("sync.server_url") or ""))
        if (reason := managed.lock_reason("sync.server_url")) is not None:
            self.server.setReadOnly(True)
            self.server.setToolTip(reason)
        self.team = QLineEdit()
        self.team.setPlaceholderText(self.tr("The team your records belong to"))
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("The device token your administrator gave you"))
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("Team"), self.team)
        form.addRow(self.tr("Device token"), self.token)
        layout.addLayout(form)
        # Off unless a person says so: over plain http the token and records can be read on the way.
        self.allow_http = QCheckBox(self.tr("Allow plain http (unencrypted: only on a network you trust)"))
        layout.addWidget(self.allow_http)
        hint = QLabel(
            self.tr("Records on this laptop go to this team. The token is kept in the system keyring.")
        )
        hint.setWordWrap(True)
        set_role(hint, "muted")
        layout.addWidget(hint)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        set_role(self.problem, "error")
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Connect"))
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, 240)

    def _on_accepted(self) -> None:
        server, team, token = self.server.text().strip(), self.team.text().strip(), self.token.text().strip()
        if not (server and team and token):
            self.problem.setText(self.tr("Fill in the server, the team and the token."))
            self.problem.show()
            return
        self.buttons.setEnabled(False)

        def refused(failure: Failure) -> None:
            self.buttons.setEnabled(True)
            error = failure.error
            self.problem.setText(
                str(error)
                if isinstance(error, CompanionError)
                else self.tr("Could not connect: {0}").format(error)
            )
            self.problem.show()

        def done(_team_id) -> None:
            self.buttons.setEnabled(True)
            self.accept()
            self.controller.timer.start()
            self.controller.refresh(then=self.controller.sync_now)  # the first sync, with its progress

        self.controller.worker.submit(
            partial(
                operations.connect,
                server=server,
                team_name=team,
                token=token,
                allow_http=self.allow_http.isChecked(),
            ),
            done,
            refused,
        )


class ConflictsDialog(QDialog):
    """Both values (and what they were before), and the choice: keep one, take the other, or merge."""

    def __init__(
        self, controller: SyncController, parent: QWidget | None = None, edits: EditController | None = None
    ):
        super().__init__(parent)
        self.controller = controller
        self.edits = edits  # the window's: a merge of two clients is an edit it can undo
        self.conflicts: list[dict] = []
        self.setWindowTitle(self.tr("Sync conflicts"))
        layout = QVBoxLayout(self)
        self.empty = QLabel(self.tr("No conflicts: every laptop agrees."))
        set_role(self.empty, "empty-state")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty, 1)
        # Everything about one conflict: hidden together while there are none.
        self.details = QWidget()
        column = QVBoxLayout(self.details)
        column.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.details, 1)
        self.empty.hide()  # until the conflicts are read, neither "none" nor an empty list is true
        self.details.hide()
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Conflicts"))
        column.addWidget(self.list, 1)
        form = QFormLayout()
        self.base = QLabel()
        self.kept = QLabel()
        self.other = QLabel()
        for label in (self.base, self.kept, self.other):
            label.setWordWrap(True)
        form.addRow(self.tr("Before"), self.base)
        form.addRow(self.tr("Now"), self.kept)
        form.addRow(self.tr("Other edit"), self.other)
        self.form = form
        column.addLayout(form)
        self.merged = QPlainTextEdit()
        self.merged.setAccessibleName(self.tr("Merged value"))
        self.merged.setPlaceholderText(self.tr("Or write the value to keep"))
        self.merged.setMaximumHeight(90)
        column.addWidget(self.merged)
        choices = QHBoxLayout()
        self.keep_button = QPushButton(self.tr("Keep now"))
        self.other_button = QPushButton(self.tr("Take the other"))
        self.merge_button = QPushButton(self.tr("Use what I wrote"))
        # A client made on two laptops: the same one (merge them) or two that share a name.
        self.same_button = QPushButton(self.tr("Same client: merge them"))
        self.both_button = QPushButton(self.tr("Different clients: keep both"))
        self.value_buttons = (self.keep_button, self.other_button, self.merge_button)
        self.twin_buttons = (self.same_button, self.both_button)
        for button in (*self.value_buttons, *self.twin_buttons):
            choices.addWidget(button)
        choices.addStretch(1)
        column.addLayout(choices)
        closing = QHBoxLayout()
        closing.addStretch(1)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        closing.addWidget(close)
        layout.addLayout(closing)
        self.list.currentRowChanged.connect(self._show_current)
        self.keep_button.clicked.connect(lambda: self._resolve("kept"))
        self.other_button.clicked.connect(lambda: self._resolve("other"))
        self.merge_button.clicked.connect(lambda: self._resolve("merged"))
        self.same_button.clicked.connect(self._merge_twins)
        self.both_button.clicked.connect(lambda: self._resolve("kept"))
        self.resize(640, 480)
        self.reload()

    def reload(self) -> None:
        self.controller.reader.submit(operations.open_conflicts, self._on_loaded)

    def _on_loaded(self, conflicts: list[dict]) -> None:
        self.conflicts = conflicts
        self.list.clear()
        for c in conflicts:
            what = c["title"] or c["kind"]
            if c["reason"] == "possible_duplicate":
                self.list.addItem(
                    QListWidgetItem(
                        self.tr("{0}: possibly the same {1} as {2}").format(
                            what, c["kind_label"].lower(), c["twin"]
                        )
                    )
                )
                continue
            reason = {
                "concurrent_edit": self.tr("edited on two laptops"),
                "edit_after_delete": self.tr("edited after it was deleted elsewhere (kept)"),
                "delete_after_edit": self.tr("deleted while edited elsewhere (kept)"),
                "possible_duplicate": self.tr("possibly the same as another record"),
            }.get(c["reason"], c["reason"])
            self.list.addItem(QListWidgetItem(f"{what} · {c['field']}: {reason}"))
        self.empty.setVisible(not conflicts)
        self.details.setVisible(bool(conflicts))
        if conflicts:
            self.list.setCurrentRow(0)
        self._show_current(self.list.currentRow())

    def _show_current(self, row: int) -> None:
        current = self.conflicts[row] if 0 <= row < len(self.conflicts) else None
        twins = current is not None and current["reason"] == "possible_duplicate"
        shown = {"base": None, "kept": None, "other": None}
        if twins:
            shown["kept"] = self.tr("{0}, made on a laptop").format(current["title"] or current["kept"])
            shown["other"] = self.tr("{0}, on the server first").format(current["twin"] or current["kept"])
        elif current:
            shown = {key: current.get(key) for key in shown}
        self.form.setRowVisible(self.base, not twins)
        self.form.labelForField(self.kept).setText(self.tr("This one") if twins else self.tr("Now"))
        self.form.labelForField(self.other).setText(
            self.tr("Already there") if twins else self.tr("Other edit")
        )
        for label, key in ((self.base, "base"), (self.kept, "kept"), (self.other, "other")):
            value = shown[key]
            label.setText("—" if value is None else value if isinstance(value, str) else json.dumps(value))
        self.merged.setPlainText(
            str(current["kept"]) if current and not twins and isinstance(current.get("kept"), str) else ""
        )
        self.merged.setVisible(not twins)
        for button in self.value_buttons:
            button.setVisible(not twins)
            button.setEnabled(current is not None)
        for button in self.twin_buttons:
            button.setVisible(twins)
        if twins:
            # What was typed twice: a client, or a record of another kind with a duplicate rule.
            self.same_button.setText(self.tr("Same {0}: merge them").format(current["kind_label"].lower()))
            self.both_button.setText(
                self.tr("Different {0}: keep both").format(current["kind_plural"].lower())
            )

    def _merge_twins(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        conflict = self.conflicts[row]
        close_flag = partial(operations.merge_duplicate, conflict=conflict)  # merges first if not done yet
        if self.edits is None:
            self._after_sync(close_flag)
            return
        merge = partial(
            operations.merge_twins,
            kind=conflict["kind"],
            keep_id=str(conflict["other"]),
            duplicate_id=str(conflict["record_id"]),
        )
        self.edits.run(merge, on_done=lambda _changes: self._after_sync(close_flag))

    def _resolve(self, choice: str) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        conflict = self.conflicts[row]
        value = self.merged.toPlainText() if choice == "merged" else conflict.get(choice)

        self._after_sync(partial(operations.resolve, conflict_id=conflict["id"], value=value))

    def _after_sync(self, job) -> None:
        def done(summary) -> None:
            self.controller.sig_synced.emit(summary)
            self.controller.refresh()
            self.reload()

        self.controller.worker.submit(job, done, self.controller.sig_failed.emit)
