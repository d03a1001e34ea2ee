"""Home (Ctrl+H): the worklist, read again after the changes it shows, and what its items offer: open,
done (through the services, undoable), snooze (on this laptop), and for an early warning accept (it
becomes a risk) or dismiss, both undoable.

Which colleague the person is lives in the window's settings (ui.ini, beside the workspace: one person
per laptop), asked once on home. Snoozes live in the workspace's own bookkeeping (core.attention.snooze):
per laptop like ui.ini, never synced, but read where the worklist is counted, so a snoozed person among
100,000 leaves the count too, and they go with the workspace file when it is backed up or restored.
"""

from __future__ import annotations

from functools import partial

from companion.ui.common.feature import Feature
from companion.ui.home.page import HomePage

# ui.ini keys: the colleague the person is, and whether "Mine" is on.
ME_KEY = "home/colleague"
MINE_KEY = "home/mine"
# The kinds whose changes can change the worklist.
SHOWN_KINDS = frozenset(
    {
        "client",
        "colleague",
        "contact",
        "position",
        "interaction",
        "follow_up",
        "site",
        "meeting",
        "meeting_checklist_item",
        # account plans: their actions, risks, contracts and reviews, and what raises early warnings
        "account_plan",
        "objective",
        "action",
        "risk",
        "contract",
        "competitor",
        "competitor_tie",
        "warning_decision",
        # deals and campaigns: next steps due, the targets of running campaigns, and the deals' gaps
        # (an economic buyer's support in the deal is read from its people)
        "opportunity",
        "opportunity_contact",
        "campaign",
        "campaign_target",
        # reviews with the client: when the next one is due (its cadence is the client's)
        "review",
    }
)
# A review due opens its client on this section (the scorecard, where reviews are held and recorded).
REVIEW_SECTION = "scorecard"


class HomeFeature(Feature):
    """The home page, the first page of the window."""

    def install(self) -> None:
        self.page = HomePage()
        self.window.add_page(self.page)
        self.action = self.window.add_action(
            "home", "Home", "Ctrl+H", self.show, icon="home", help="Home: what needs attention"
        )
        self._loading = False  # a read is on its way
        self._again = False  # something changed while it was: read once more when it is back
        self._limits: dict[str, int] = {}  # groups listed beyond the first PER_REASON
        settings = self.window.settings
        self.page.me = str(settings.value(ME_KEY, "") or "") or None
        self.page.mine_button.setChecked(
            settings.value(MINE_KEY, False, type=bool) and self.page.me is not None
        )
        self._connect_signals()
        # The worklist waits until the window is up: it needs the services, which load behind it.
        self.window.after_first_paint(self.reload)

    def _connect_signals(self) -> None:
        self.page.sig_item_activated.connect(self._on_page_item_activated)
        self.page.sig_more_requested.connect(self._on_page_more_requested)
        self.page.sig_done_requested.connect(self._on_page_done_requested)
        self.page.sig_snooze_requested.connect(self._on_page_snooze_requested)
        self.page.sig_wake_requested.connect(self._on_page_wake_requested)
        self.page.sig_accept_requested.connect(self._on_page_accept_requested)
        self.page.sig_dismiss_requested.connect(self._on_page_dismiss_requested)
        self.page.sig_filters_changed.connect(self._on_page_filters_changed)
        self.page.sig_me_chosen.connect(self._on_page_me_chosen)
        self.page.sig_client_choices_wanted.connect(self._on_page_client_choices_wanted)

    def show(self) -> None:
        self.window.show_page(self.page)
        self.reload()

    # --- reading -------------------------------------------------------------------------------

    def filters(self):
        from companion.core.attention import Filters

        page = self.page
        return Filters(
            mine=page.me if page.mine else None,
            client_id=page.client_id,
            with_snoozed=page.with_snoozed,
            limits=dict(self._limits),
        )

    def reload(self) -> None:
        """Reads the worklist again (once at a time: a change meanwhile reads it once more after)."""
        if self._loading:
            self._again = True
            return
        from companion.ui.home import operations  # here, not at start-up

        self._loading, self._again = True, False
        self.window.worker.submit(
            partial(operations.load_worklist, filters=self.filters()),
            self._on_worklist_loaded,
            self._on_worklist_failed,
        )

    def _on_worklist_loaded(self, worklist) -> None:
        self._loading = False
        if self._again:
            self.reload()
            return
        self.page.set_worklist(worklist.attention, worklist.colleagues, self.page.me)

    def _on_worklist_failed(self, failure) -> None:
        self._loading = False
        self.page.set_failed()
        self.window.show_failure(failure)

    def on_changed(self, changes, kinds) -> None:
        if kinds & SHOWN_KINDS:
            self._reload_when_shown()

    def on_team_changes(self) -> None:
        self._reload_when_shown()

    def _reload_when_shown(self) -> None:
        # Hidden, home is read when shown next (`show` reads it): a team's worklist is not free to count.
        if self.window.showing(self.page):
            self.reload()

    # --- the person's choices ------------------------------------------------------------------

    def _on_page_item_activated(self, item) -> None:
        if item.reason == "reviews_due":
            self.window.open_client(item.client_id, REVIEW_SECTION)
            return
        self.window.open_record(*item.target)

    def _on_page_more_requested(self, reason: str) -> None:
        from companion.core.attention import PER_REASON

        self._limits[reason] = self._limits.get(reason, PER_REASON) + PER_REASON
        self.reload()

    def _on_page_done_requested(self, item) -> None:
        from companion.ui.home import operations

        self.window.edits.run(partial(operations.mark_done, kind=item.kind, record_id=item.record_id))

    def _on_page_accept_requested(self, item) -> None:
        from companion.ui.home import operations

        self.window.edits.run(partial(operations.accept_warning, key=item.record_id))

    def _on_page_dismiss_requested(self, item) -> None:
        from companion.ui.home import operations

        self.window.edits.run(partial(operations.dismiss_warning, key=item.record_id))

    def _on_page_snooze_requested(self, item, days: int) -> None:
        from companion.ui.home import operations

        job = partial(operations.snooze, kind=item.kind, record_id=item.record_id, days=days)
        self.window.worker.submit(job, partial(self._on_snoozed, item))

    def _on_snoozed(self, item, until: str) -> None:
        import datetime as dt

        day = dt.date.fromisoformat(until)
        self.window.statusBar().showMessage(
            self.tr("Snoozed “{0}” until {1}").format(item.title, f"{day:%a %d %b}"), 5000
        )
        self.reload()

    def _on_page_wake_requested(self, item) -> None:
        from companion.ui.home import operations

        job = partial(operations.wake, kind=item.kind, record_id=item.record_id)
        self.window.worker.submit(job, self._on_woken)

    def _on_woken(self, _result) -> None:
        self.reload()

    def _on_page_filters_changed(self) -> None:
        self.window.settings.setValue(MINE_KEY, self.page.mine)
        self._limits.clear()
        self.reload()

    def _on_page_me_chosen(self, colleague_id: str) -> None:
        self.window.settings.setValue(ME_KEY, colleague_id)
        self.page.me = colleague_id
        self.page.banner.hide()
        if self.page.mine_button.isChecked():
            self._on_page_filters_changed()
        else:
            self.page.mine_button.setChecked(True)  # saves it and reads again (sig_filters_changed)

    def _on_page_client_choices_wanted(self) -> None:
        from companion.ui.home import operations

        self.window.worker.submit(operations.client_choices, self.page.set_client_choices)
