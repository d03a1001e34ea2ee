"""`companion --self-test`: proves an installed (or frozen) build works end to end, without a screen.

A workspace in a temporary folder gets the demo; the main window is built offscreen and must become
ready; a search must find a demo person; a meeting brief must come out as a PDF. Each step says what
it checked; the first failure names its step and the exit status is 1.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

READY_TIMEOUT_MS = 60_000


def _step(name: str, check: Callable[[], str]) -> None:
    started = time.perf_counter()
    detail = check()
    print(f"ok   {name}: {detail} ({(time.perf_counter() - started) * 1000:.0f} ms)", flush=True)


def run() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from companion.app.opener import open_with_key
    from companion.app.workspace_keys import WorkspaceKey
    from companion.core.demo import load_demo

    # Encrypted, as a new workspace is (SQLCipher must be in the build); the key lives only in memory.
    key = WorkspaceKey.random()
    with tempfile.TemporaryDirectory(prefix="companion-self-test-") as tmp:
        folder = Path(tmp)
        state: dict[str, object] = {}
        try:

            def open_workspace() -> str:
                state["ws"] = ws = open_with_key(folder / "workspace.sqlite", key)
                load_demo(ws)
                return f"{ws.count(kind='client')} clients, {ws.count(kind='contact')} people, encrypted"

            _step("workspace", open_workspace)
            ws = state["ws"]

            def build_window() -> str:
                from companion.ui.common import theme
                from companion.ui.common.worker import DbWorker
                from companion.ui.shell.application import ui_settings
                from companion.ui.shell.main_window import MainWindow

                app = QApplication.instance() or QApplication(sys.argv[:1])
                theme.apply(app)
                worker = DbWorker(None, opener=lambda: open_with_key(folder / "workspace.sqlite", key))
                window = MainWindow(worker, ui_settings(folder))
                ready: list[bool] = []
                window.sig_ready.connect(lambda: (ready.append(True), app.quit()))
                QTimer.singleShot(READY_TIMEOUT_MS, app.quit)
                window.show()
                app.exec()
                worker.stop()
                if worker.workspace is not None:
                    worker.workspace.close()
                window.close()
                if not ready:
                    raise RuntimeError(f"the window was not ready within {READY_TIMEOUT_MS // 1000} s")
                return f"{window.width()}×{window.height()} offscreen, ready"

            _step("main window", build_window)

            def search() -> str:
                hits = ws.search(text="ingrid")
                if not hits:
                    raise RuntimeError("searching the demo for 'ingrid' found nothing")
                return f"'ingrid' → {hits[0].title}"

            _step("search", search)

            def brief_pdf() -> str:
                from companion.core.meetings import recompose
                from companion.render.brief import brief_document
                from companion.render.pdf import write_pdf

                meetings = ws.list(kind="meeting")
                if not meetings:
                    raise RuntimeError("the demo has no meeting to brief")
                recompose(ws, meeting_id=meetings[0].id)
                title, markdown = brief_document(ws, meeting_id=meetings[0].id)
                path = write_pdf(markdown, folder / "brief.pdf", title=title)
                data = path.read_bytes()
                if not data.startswith(b"%PDF") or len(data) < 2000:
                    raise RuntimeError(f"{path.name} is not a PDF ({len(data)} bytes)")
                return f"'{title}', {len(data):,} bytes"

            _step("brief as PDF", brief_pdf)

            def contacts_and_calendars() -> str:
                # The libraries a frozen build may leave out unnoticed: vobject, phonenumbers' data of each
                # region (loaded by name), rapidfuzz, recurring-ical-events.
                from companion.core.contact_import import cards_for_export, preview_import
                from companion.interchange.contacts_file import read_contacts, write_vcf
                from companion.interchange.ics import meetings_feed, parse_ics

                path = write_vcf(folder / "people.vcf", cards_for_export(ws), version="3.0")
                preview = preview_import(ws, cards=read_contacts(path).cards, region="NO")
                if any(row.status != "same" for row in preview.rows):
                    raise RuntimeError("the people exported as vCards did not read back as themselves")
                feed = parse_ics(meetings_feed(ws), source="feed.ics", window_days=30)
                if not feed.events:
                    raise RuntimeError("the meetings feed read back holds no meeting")
                return f"{len(preview.rows)} people through vCard, {len(feed.events)} meetings through .ics"

            _step("contacts and calendars", contacts_and_calendars)
        except Exception as exc:  # every failure is the answer: which step, and why
            print(f"FAIL {exc.__class__.__name__}: {exc}", flush=True)
            return 1
        finally:
            if "ws" in state:
                state["ws"].close()  # type: ignore[union-attr]
    print("self-test passed", flush=True)
    return 0
