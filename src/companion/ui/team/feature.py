"""The team: Edit → Team… keeps the list of colleagues."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.ui.common.feature import Feature

if TYPE_CHECKING:
    from companion.ui.team.dialog import TeamDialog


class TeamFeature(Feature):
    """Who is on our side: the colleagues that ownership and "mine" are chosen among."""

    def install(self) -> None:
        self.team_action = self.window.add_action("team", "Team…", None, self.show_team, menu="&Edit")

    def show_team(self) -> TeamDialog:
        from companion.ui.team.dialog import TeamDialog  # built when first asked for

        dialog = TeamDialog(self.window.edits, self.window)
        dialog.open()
        return dialog
