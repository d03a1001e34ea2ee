"""Sales (Ctrl+Shift+S): the workspace's pipeline, propositions, cohorts and campaigns; and beside the page,
a campaign's work list in place of the client list (the campaign-centric mode, Ctrl+Shift+W).

Which campaign the work list showed last, and whether the left column showed it, live in the window's
settings (ui.ini): the window opens on them again.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from companion.ui.common.tabbed_page import TabbedPageFeature
from companion.ui.sales.side_panel import CAMPAIGN, CLIENTS, SidePanel

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor builds them
    from companion.core.campaigns import TargetRow
    from companion.ui.sales.page import SalesPage
    from companion.ui.sales.work_list import WorkListPanel

CAMPAIGN_KEY = "sales/campaign"
# Which list the left column showed when the window closed: it opens on it again.
MODE_KEY = "sales/mode"
# The kinds whose changes the work list shows (names, roles, stances and routes come from people).
WORK_LIST_KINDS = frozenset(
    {"campaign", "campaign_target", "client", "contact", "position", "relationship", "opportunity"}
)
# The left column is widened to this in the campaign mode, so the work list's columns are in sight.
WORK_LIST_WIDTH = 470


class SalesFeature(TabbedPageFeature):
    """The Sales page and the campaign work list beside it."""

    # The tab that lists each kind the page shows whole (the names of `SalesPage`'s tabs).
    TAB_OF_KIND: ClassVar[dict[str, str]] = {
        "proposition": "propositions",
        "cohort": "cohorts",
        "campaign": "campaigns",
    }

    def __init__(self, window):
        super().__init__(window)
        self.side: SidePanel | None = None
        self._work_list: WorkListPanel | None = None
        self._asked = 0  # the latest work list asked for: an older answer is dropped
        self._client_width: int | None = None  # the client list's width, given back when it returns

    def install(self) -> None:
        w = self.window
        self.action = w.add_action(
            "sales", "Sales", "Ctrl+Shift+S", self.show, icon="sales", menu="&Sales",
            help="Sales: pipeline, propositions, cohorts and campaigns",
        )  # fmt: skip
        self.work_list_action = w.add_action(
            "work_list", "Campaign work list", "Ctrl+Shift+W", self._on_work_list_triggered, menu="&Sales",
            help="A campaign's work list in place of the client list (again: the clients)",
        )  # fmt: skip
        self.side = SidePanel(w.clients.list_panel)
        self.side.sig_mode_chosen.connect(self._on_side_mode_chosen)

    # --- the page ------------------------------------------------------------------------------

    def make_page(self) -> SalesPage:
        from companion.ui.sales.page import SalesPage

        page = SalesPage(self.window.edits)
        page.pipeline.sig_deal_opened.connect(self._on_deal_opened)
        page.propositions.sig_new_requested.connect(self.new_proposition)
        page.propositions.sig_edit_requested.connect(self.edit_proposition)
        page.cohorts.sig_new_requested.connect(self.new_cohort)
        page.cohorts.sig_edit_requested.connect(self.edit_cohort)
        page.cohorts.sig_client_opened.connect(self.window.open_client)
        page.cohorts.client_names = self.window.clients.names
        page.campaigns.sig_new_requested.connect(self.new_campaign)
        page.campaigns.sig_edit_requested.connect(self.edit_campaign)
        page.campaigns.sig_work_list_requested.connect(self.show_work_list)
        return page

    def on_changed(self, changes, kinds) -> None:
        super().on_changed(changes, kinds)
        if self._work_list is not None and kinds & WORK_LIST_KINDS and self.side.current_mode() == CAMPAIGN:
            if "campaign" in kinds:
                self._read_campaigns()
            else:
                self._read_work_list()

    def on_team_changes(self) -> None:
        super().on_team_changes()
        if self._work_list is not None and self.side.current_mode() == CAMPAIGN:
            self._read_campaigns()

    def on_settled(self) -> None:
        if self.window.settings.value(MODE_KEY, CLIENTS) == CAMPAIGN:
            self.show_work_list()

    def _on_deal_opened(self, opportunity_id: str) -> None:
        self.window.open_record("opportunity", opportunity_id)

    # --- records' forms ------------------------------------------------------------------------

    def _choices(self, names: dict[str, list[tuple[str, str]]]):
        colleagues = self.window.clients.colleagues

        def choices(field):
            if field.ref_kind == "colleague":
                return colleagues
            if field.ref_kind == "client":
                return self.window.clients.names()
            return names.get(field.ref_kind or "", [])

        return choices

    def new_proposition(self):
        from companion.ui.common.record_dialog import NewRecordDialog
        from companion.ui.sales.propositions_view import PROPOSITION_FIELDS

        dialog = NewRecordDialog(
            self.window.edits, "proposition", fields=PROPOSITION_FIELDS, initial={"status": "draft"},
            ref_choices=self._choices({}), parent=self.window,
        )  # fmt: skip
        dialog.open()
        return dialog

    def edit_proposition(self, proposition_id: str):
        from companion.ui.common.edit_dialog import EditRecordDialog
        from companion.ui.sales.propositions_view import PROPOSITION_FIELDS

        dialog = EditRecordDialog(
            self.window.edits, "proposition", proposition_id, fields=PROPOSITION_FIELDS,
            ref_choices=self._choices({}), parent=self.window,
        )  # fmt: skip
        dialog.open()
        return dialog

    def new_cohort(self):
        from companion.ui.sales.cohort_dialog import CohortDialog

        dialog = CohortDialog(self.window.edits, None, ref_choices=self._choices({}), parent=self.window)
        dialog.open()
        return dialog

    def edit_cohort(self, record):
        from companion.ui.sales.cohort_dialog import CohortDialog

        dialog = CohortDialog(self.window.edits, record, ref_choices=self._choices({}), parent=self.window)
        dialog.open()
        return dialog

    def _campaign_choices(self, *, new: bool):
        """A campaign's form's choices: a new campaign is offered the propositions not retired."""
        listed = self.page.campaigns.campaigns
        if listed is None:
            return self._choices({})
        propositions = listed.propositions if new else listed.every_proposition
        return self._choices({"proposition": propositions, "cohort": listed.cohorts})

    def new_campaign(self):
        """The campaign's form; saved with its targets drawn (on the database thread, one undoable change
        with the campaign) unless the person unticked the offer."""
        from companion.ui.sales.campaigns_view import NewCampaignDialog

        dialog = NewCampaignDialog(
            self.window.edits, initial={"status": "planned"}, ref_choices=self._campaign_choices(new=True),
            parent=self.window,
        )  # fmt: skip
        dialog.open()
        return dialog

    def edit_campaign(self, campaign_id: str):
        from companion.ui.common.edit_dialog import EditRecordDialog
        from companion.ui.sales.campaigns_view import CAMPAIGN_FIELDS

        dialog = EditRecordDialog(
            self.window.edits, "campaign", campaign_id, fields=CAMPAIGN_FIELDS,
            ref_choices=self._campaign_choices(new=False), parent=self.window,
        )  # fmt: skip
        dialog.open()
        return dialog

    # --- the work list beside the page ---------------------------------------------------------------

    @property
    def work_list(self) -> WorkListPanel:
        if self._work_list is None:
            from companion.ui.sales.work_list import WorkListPanel

            panel = WorkListPanel()
            panel.sig_campaign_chosen.connect(self._on_work_list_campaign_chosen)
            panel.sig_target_chosen.connect(self._on_work_list_target_chosen)
            panel.sig_log_requested.connect(self.log_approach)
            panel.sig_status_requested.connect(self.set_status)
            panel.sig_opportunity_requested.connect(self.open_opportunity)
            self._work_list = panel
        return self._work_list

    def show_work_list(self, campaign_id: str | None = None) -> None:
        """The campaign mode: the work list in place of the client list, on this campaign (or the last)."""
        if campaign_id:
            self.window.settings.setValue(CAMPAIGN_KEY, campaign_id)
        self.window.settings.setValue(MODE_KEY, CAMPAIGN)
        if self.side.current_mode() != CAMPAIGN:
            self._client_width = self.window.splitter.sizes()[0]
            self.side.show_mode(CAMPAIGN, self.work_list)
            self._widen(max(WORK_LIST_WIDTH, self._client_width))
        self._read_campaigns()

    def show_clients(self) -> None:
        self.window.settings.setValue(MODE_KEY, CLIENTS)
        if self.side.current_mode() == CLIENTS:
            return
        self.side.show_mode(CLIENTS)
        if self._client_width:
            self._widen(self._client_width)

    def _widen(self, width: int) -> None:
        sizes = self.window.splitter.sizes()
        total = sum(sizes)
        self.window.splitter.setSizes([width, max(total - width, 0)])

    def _on_side_mode_chosen(self, mode: str) -> None:
        if mode == CAMPAIGN:
            self.show_work_list()
        else:
            self.show_clients()

    def _on_work_list_triggered(self) -> None:
        if self.side.current_mode() == CAMPAIGN:
            self.show_clients()
        else:
            self.show_work_list()

    def _current_campaign(self) -> str | None:
        return str(self.window.settings.value(CAMPAIGN_KEY, "") or "") or None

    def _read_campaigns(self) -> None:
        from companion.ui.sales import operations

        self.window.worker.submit(operations.campaign_choices, self._on_campaigns_read)

    def _on_campaigns_read(self, choices: list[tuple[str, str, str]]) -> None:
        self.work_list.set_campaigns(choices, self._current_campaign())
        chosen = self.work_list.chosen_campaign()
        if chosen:
            self._read_work_list(chosen)

    def _on_work_list_campaign_chosen(self, campaign_id: str) -> None:
        self.window.settings.setValue(CAMPAIGN_KEY, campaign_id)
        self._read_work_list(campaign_id)

    def _read_work_list(self, campaign_id: str | None = None) -> None:
        from companion.ui.sales import operations

        campaign_id = campaign_id or self.work_list.chosen_campaign()
        if not campaign_id:
            return
        self._asked += 1
        asked = self._asked
        self.window.worker.submit(
            partial(operations.work_list, campaign_id=campaign_id),
            lambda listed: self._on_work_list_read(asked, listed),
        )

    def _on_work_list_read(self, asked: int, listed) -> None:
        if asked == self._asked:
            self.work_list.set_work_list(listed)

    def _on_work_list_target_chosen(self, target: TargetRow) -> None:
        self.window.open_client(target.client_id, "people")
        if target.contact_id:
            self.window.clients.page.show_person(target.contact_id)

    # --- what a target offers ----------------------------------------------------------------------

    def log_approach(self, target: TargetRow):
        from companion.ui.sales.target_dialogs import LogApproachDialog

        dialog = LogApproachDialog(self.window.edits, target, parent=self.window)
        dialog.open()
        return dialog

    def set_status(self, target: TargetRow):
        from companion.ui.sales.target_dialogs import TargetStatusDialog

        dialog = TargetStatusDialog(self.window.edits, target, parent=self.window)
        dialog.open()
        return dialog

    def open_opportunity(self, target: TargetRow) -> None:
        """A deal opened at the target's client, from this campaign; its client's page opens on its deals."""
        from companion.ui.sales import operations

        def opened(_changes) -> None:
            self.window.open_client(target.client_id, "deals")

        self.window.edits.run(partial(operations.open_opportunity, target_id=target.id), on_done=opened)
