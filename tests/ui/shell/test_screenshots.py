"""Screenshots of every main view, light and dark, at 1366×768, into screenshots/ (kept out of git)."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from companion.core.demo import load_demo
from companion.model.kinds import SECTIONS
from companion.ui.common import theme
from companion.ui.common.edit_dialog import EditRecordDialog
from tests import releases
from tests.ui.helpers import SHOTS, TIMEOUT, laptop_window


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_main_view(qtbot, workspace, tmp_path, monkeypatch, scheme):
    app = QApplication.instance()
    load_demo(workspace)
    window = laptop_window(qtbot, workspace, tmp_path, scheme)
    worker = window.worker

    def idle():
        qtbot.waitUntil(lambda: not worker.is_busy(), timeout=TIMEOUT)
        qtbot.wait(50)

    def shoot(name: str, widget=None) -> None:
        if widget is None:
            assert window.width() <= 1366, f"{name} does not fit a 1366-pixel laptop screen"
        path = SHOTS / f"{name}-{scheme}.png"
        assert (widget or window).grab().save(str(path))
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 300

    try:
        qtbot.waitUntil(lambda: bool(window.home.page.items), timeout=TIMEOUT)  # the demo has things due
        shoot("home")
        client_id = next(c[0] for c in window.clients.rows if c[1].startswith("Halvorsen"))
        for section in SECTIONS:
            window.open_client(client_id, section)
            idle()
            if section == "people":
                people = window.clients.page.people
                assert people.model.rowCount() > 5
                # Someone with ties: the card lists their roles and relationships as records.
                bjorn = next(p for p in window.clients.page.page.people if p.name.startswith("Bjørn"))
                window.clients.page.show_person(bjorn.contact.id)
                idle()
                card = people.card
                qtbot.waitUntil(lambda card=card: card.records.topLevelItemCount() == 2, timeout=TIMEOUT)
                shoot("people-table")
                people.card.records.setCurrentItem(people.card.records.topLevelItem(0).child(0))
                people.card.records.setFocus()
                qtbot.keyClick(people.card.records, Qt.Key.Key_Return)
                qtbot.waitUntil(
                    lambda: any(d.isVisible() for d in window.findChildren(EditRecordDialog)), timeout=TIMEOUT
                )
                role_form = next(d for d in window.findChildren(EditRecordDialog) if d.isVisible())
                idle()
                shoot("role-form", role_form)
                role_form.close()
                people.views.setCurrentWidget(people.org_chart)
                assert people.org_chart.box_count() > 5
                shoot("people-org-chart")
                people.views.setCurrentWidget(people.relationship_map)
                shoot("people-relationship-map")
                people.views.setCurrentWidget(people.table)
            else:
                shoot(f"client-{section}")
        window.show_directory()
        qtbot.waitUntil(lambda: window.people.directory.model.rowCount() > 20, timeout=TIMEOUT)
        shoot("directory")
        directory = window.people.directory
        with qtbot.waitSignal(directory.model.sig_counted, timeout=TIMEOUT):
            qtbot.keyClicks(directory.search, "bjorn")
        idle()
        shoot("directory-searched")
        directory.search.clear()
        team = window.team.show_team()
        qtbot.waitUntil(lambda: team.list.count() >= 5, timeout=TIMEOUT)
        shoot("team", team)
        team.reject()
        window.search.open_palette()
        with qtbot.waitSignal(window.search.palette.sig_results_shown, timeout=TIMEOUT):
            qtbot.keyClicks(window.search.palette.input, "ing")
        shoot("palette", window.search.palette)
        window.search.palette.hide()
        capture = window.clients.quick_capture(client_id)
        idle()
        shoot("quick-capture", capture)
        capture.reject()
        dialog = window.clients.new_client()
        shoot("new-client", dialog)
        dialog.reject()
        # Meetings: the composed checklist, the brief, the details; planning; the templates.
        meeting = next(m for m in window.clients.page.page.meetings if m[0]["status"] == "planned")[0]
        window.open_meeting(meeting.id)
        qtbot.waitUntil(lambda: window.meetings.page.model.rowCount() > 3, timeout=TIMEOUT)
        idle()
        page = window.meetings.page
        page.tree.setCurrentIndex(page.model.index(0, 0, page.model.index(2, 0)))
        shoot("meeting-checklist")
        for index, name in ((1, "meeting-brief"), (2, "meeting-details")):
            page.tabs.setCurrentIndex(index)
            shoot(name)
        page.tabs.setCurrentIndex(0)
        if scheme == "light":  # paper has one scheme: the brief's pages, as pdftoppm draws them
            pdf = tmp_path / "brief.pdf"
            with qtbot.waitSignal(page.sig_exported, timeout=TIMEOUT):
                page.export_pdf(str(pdf))
            subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(SHOTS / "brief-page")], check=True)
            assert (SHOTS / "brief-page-1.png").exists()
        # Reader mode: the induction pack, scrolled a little, with who is cleared beside it.
        window.open_pack(client_id)
        reader = window.induction.reader
        qtbot.waitUntil(lambda: reader.view is not None and reader.contents.count() > 5, timeout=TIMEOUT)
        idle()
        reader.contents.setCurrentRow(1)
        shoot("pack-reader")
        reader.side.setCurrentIndex(1)
        shoot("pack-reader-cleared")
        reader.side.setCurrentIndex(0)
        if scheme == "light":
            pack_pdf = tmp_path / "pack.pdf"
            with qtbot.waitSignal(reader.sig_exported, timeout=TIMEOUT):
                reader.export("pdf", str(pack_pdf))
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", str(pack_pdf), str(SHOTS / "pack-page")], check=True
            )
        plan = window.meetings.plan_meeting(client_id)
        qtbot.waitUntil(lambda: plan.templates.count() >= 4, timeout=TIMEOUT)
        shoot("plan-meeting", plan)
        plan.reject()
        templates = window.meetings.edit_templates()
        qtbot.waitUntil(lambda: templates.item_list.count() > 3, timeout=TIMEOUT)
        shoot("checklist-templates", templates)
        templates.reject()
        # Sync: not connected yet, the connect dialog, and the conflicts view's empty state.
        qtbot.waitUntil(
            lambda: window.sync.controller is not None and bool(window.sync.controller.state), timeout=TIMEOUT
        )
        shoot("sync-not-connected")
        connect = window.sync.connect_server()
        shoot("sync-connect", connect)
        connect.reject()
        conflicts = window.sync.show_conflicts()
        qtbot.waitUntil(lambda: conflicts.empty.isVisible(), timeout=TIMEOUT)
        shoot("sync-conflicts-empty", conflicts)
        conflicts.reject()
        preferences = window.preferences.show_settings()
        shoot("settings", preferences)
        preferences.reject()
        # A newer signed release listed by the team: the status-bar notice and its details.
        site, secret = releases.team_site(tmp_path)
        feed = releases.publish(tmp_path / "share" / "companion", "9.1.0", secret)
        (site / "config.toml").write_text(f'[defaults]\n"updates.feed_url" = "{feed}"\n', encoding="utf-8")
        monkeypatch.setenv("COMPANION_SITE_CONFIG", str(site / "config.toml"))
        update = window.preferences.check_for_updates()
        qtbot.waitUntil(lambda: window.preferences.update_notice.isVisible(), timeout=TIMEOUT)
        shoot("update-available", update)
        update.reject()
        shoot("update-notice")
    finally:
        window.close()
        worker.stop()
        theme.apply(app, "light")
