"""The Sales page: the workspace's pipeline, the proposition library, cohorts and campaigns, a tab each."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from companion.ui.common.edits import EditController
from companion.ui.common.tabbed_page import TabbedPage
from companion.ui.sales.campaigns_view import CampaignsTab
from companion.ui.sales.cohorts_view import CohortsTab
from companion.ui.sales.pipeline_view import PipelineTab
from companion.ui.sales.propositions_view import PropositionsTab

PIPELINE, PROPOSITIONS, COHORTS, CAMPAIGNS = "pipeline", "propositions", "cohorts", "campaigns"


class SalesPage(TabbedPage):
    """Four tabs, each read when first shown and again after the changes it shows."""

    def __init__(self, edits: EditController, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits = edits
        self.pipeline = PipelineTab(edits)
        self.propositions = PropositionsTab(edits)
        self.cohorts = CohortsTab(edits)
        self.campaigns = CampaignsTab(edits)
        self.lay_out(
            self.tr("Sales"),
            [
                (PIPELINE, self.tr("Pipeline"), self.pipeline),
                (PROPOSITIONS, self.tr("Propositions"), self.propositions),
                (COHORTS, self.tr("Cohorts"), self.cohorts),
                (CAMPAIGNS, self.tr("Campaigns"), self.campaigns),
            ],
        )
