"""One policy for every way in: a site's dress code changed at the command line or in the window's Sites
section brings an upcoming meeting's checklist up to date the same way."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from companion.core import meetings
from companion.ui.common.worker import DbWorker
from companion.ui.shell.main_window import MainWindow
from tests.cli.test_cli import ok
from tests.ui.helpers import TIMEOUT, wait_idle

CLIENT = "0193a3c2-0000-7000-8000-0000000000a1"
SITE = "0193a3c2-0000-7000-8000-0000000000a2"
PERSON = "0193a3c2-0000-7000-8000-0000000000a3"
NEW_DRESS_CODE = "Suit and tie; no trainers"


def _build(data_dir) -> str:
    """The same workspace, record for record, in each data folder: a client, its site, a person, and
    a meeting there next week with its composed checklist."""
    ws = open_workspace(workspace_path(data_dir))
    try:
        ws.create(kind="client", id=CLIENT, values={"name": "Halvorsen Offshore"})
        site = {"client_id": CLIENT, "name": "Ågotnes base", "dress_code": "Work clothes and S3 boots"}
        ws.create(kind="site", id=SITE, values=site)
        ws.create(kind="contact", id=PERSON, values={"name": "Ingrid Dahl", "motivators": "Uptime"})
        ws.create(kind="position", values={"contact_id": PERSON, "client_id": CLIENT, "title": "CFO"})
        starts = (dt.datetime.now().astimezone() + dt.timedelta(days=7)).replace(microsecond=0)
        planned = meetings.plan_meeting(
            ws,
            values={
                "client_id": CLIENT, "site_id": SITE, "title": "Quay walk", "starts_at": starts.isoformat(),
                "contact_ids": [PERSON],
            },
        )  # fmt: skip
        return planned.created_id
    finally:
        ws.close()


def _checklist(ws, meeting_id) -> list[tuple]:
    items = ws.list(kind="meeting_checklist_item", where={"meeting_id": meeting_id})
    return sorted(
        (str(i["origin"]), i["text"], i["detail"], bool(i["must"]), bool(i["done"]), bool(i["removed"]))
        for i in items
    )


@pytest.fixture
def folders(tmp_path):
    by_cli, in_window = tmp_path / "cli", tmp_path / "window"
    return by_cli, _build(by_cli), in_window, _build(in_window)


def test_a_dress_code_changed_at_the_command_line_or_in_the_window_updates_the_checklist_alike(
    qtbot, folders, tmp_path
):
    by_cli, cli_meeting, in_window, window_meeting = folders

    # The command line: `companion set site …`, nothing else.
    ok(by_cli, "set", "site", SITE, f"dress_code={NEW_DRESS_CODE}")

    # The window: the client's Sites section, typing into the dress code field.
    workspace = open_workspace(workspace_path(in_window))
    worker = DbWorker(workspace)
    window = MainWindow(worker, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.sig_ready, timeout=TIMEOUT):
            window.show()
        qtbot.waitUntil(lambda: window.settled, timeout=TIMEOUT)
        window.open_client(CLIENT, "sites")
        page = window.clients.page
        qtbot.waitUntil(lambda: page.sites.list.count() == 1, timeout=TIMEOUT)
        page.sites.list.setCurrentRow(0)
        dress_code = page.sites.form.editors["dress_code"].widget
        qtbot.waitUntil(lambda: dress_code.toPlainText().startswith("Work clothes"), timeout=TIMEOUT)
        dress_code.setFocus()
        dress_code.selectAll()
        with qtbot.waitSignal(window.edits.sig_changed, timeout=TIMEOUT):
            qtbot.keyClicks(dress_code, NEW_DRESS_CODE)  # saved after a pause in typing
        wait_idle(qtbot, window)
        in_the_window = _checklist(worker.workspace, window_meeting)
    finally:
        window.close()
        worker.stop()
        workspace.close()

    at_the_command_line_ws = open_workspace(workspace_path(by_cli))
    try:
        at_the_command_line = _checklist(at_the_command_line_ws, cli_meeting)
    finally:
        at_the_command_line_ws.close()

    dress = [row for row in at_the_command_line if row[1] == "Dress code"]
    assert dress and dress[0][2] == NEW_DRESS_CODE, "the command line's edit reached the checklist"
    assert in_the_window == at_the_command_line
