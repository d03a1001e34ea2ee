"""Opportunities and campaigns: propositions, cohorts, campaigns and their targets, opportunities and
the people in them; sub-groups gain a function; risks and actions may belong to an opportunity.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 19:00:00
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _sync_columns() -> list[sa.Column]:
    # Written out (not imported) so this migration never changes after release.
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.Column("row_seq", sa.Integer(), server_default="0", nullable=False),
    ]


def _reference(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}", initially="DEFERRED", deferrable=True
    )


def _add_opportunity_reference(table: str, title: str) -> None:
    # SQLite cannot add a named reference to a table: the table is rebuilt (upgrade() turns reference
    # checks off meanwhile), and its lower(title) index, which reflection cannot see, is made again.
    with warnings.catch_warnings(), op.batch_alter_table(table, recreate="always") as batch_op:
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        batch_op.add_column(sa.Column("opportunity_id", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            f"fk_{table}_opportunity_id",
            "opportunity",
            ["opportunity_id"],
            ["id"],
            deferrable=True,
            initially="DEFERRED",
        )
        batch_op.create_index(f"ix_{table}_opportunity_id", ["opportunity_id"], unique=False)
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_title_{table} ON {table} (lower({title}), id)")


def upgrade() -> None:
    with op.batch_alter_table("sub_group", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("function", sa.Text(), nullable=True))
    op.create_table(
        "proposition",
        *_sync_columns(),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("pain", sa.Text(), nullable=True),
        sa.Column("outcomes", sa.Text(), nullable=True),
        sa.Column("proof", sa.Text(), nullable=True),
        sa.Column("fit_industries", sa.JSON(), nullable=True),
        sa.Column("fit_tags", sa.JSON(), nullable=True),
        sa.Column("fit_functions", sa.JSON(), nullable=True),
        sa.Column("fit_roles", sa.JSON(), nullable=True),
        sa.Column("objections", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Text(), nullable=True),
        sa.Column("sponsor_id", sa.Text(), nullable=True),
        sa.Column("approved_on", sa.Text(), nullable=True),
        sa.Column("ready_finance", sa.Text(), nullable=True),
        sa.Column("ready_finance_note", sa.Text(), nullable=True),
        sa.Column("ready_it", sa.Text(), nullable=True),
        sa.Column("ready_it_note", sa.Text(), nullable=True),
        sa.Column("ready_logistics", sa.Text(), nullable=True),
        sa.Column("ready_logistics_note", sa.Text(), nullable=True),
        sa.Column("ready_production", sa.Text(), nullable=True),
        sa.Column("ready_production_note", sa.Text(), nullable=True),
        sa.Column("ready_service", sa.Text(), nullable=True),
        sa.Column("ready_service_note", sa.Text(), nullable=True),
        _reference("proposition", "owner_id", "colleague"),
        _reference("proposition", "sponsor_id", "colleague"),
        sa.PrimaryKeyConstraint("id", name="pk_proposition"),
    )
    op.create_index("ix_proposition_owner_id", "proposition", ["owner_id"])
    op.create_index("ix_proposition_sponsor_id", "proposition", ["sponsor_id"])
    op.create_index("ix_proposition_updated_at", "proposition", ["updated_at"])
    op.create_table(
        "cohort",
        *_sync_columns(),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=True),
        sa.Column("industries", sa.JSON(), nullable=True),
        sa.Column("statuses", sa.JSON(), nullable=True),
        sa.Column("owner_ids", sa.JSON(), nullable=True),
        sa.Column("field_name", sa.Text(), nullable=True),
        sa.Column("field_value", sa.Text(), nullable=True),
        sa.Column("added_ids", sa.JSON(), nullable=True),
        sa.Column("excluded_ids", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_cohort"),
    )
    op.create_index("ix_cohort_updated_at", "cohort", ["updated_at"])
    op.create_table(
        "campaign",
        *_sync_columns(),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("proposition_id", sa.Text(), nullable=True),
        sa.Column("cohort_id", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Text(), nullable=True),
        sa.Column("starts", sa.Text(), nullable=True),
        sa.Column("ends", sa.Text(), nullable=True),
        sa.Column("talk_track", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        _reference("campaign", "proposition_id", "proposition"),
        _reference("campaign", "cohort_id", "cohort"),
        _reference("campaign", "owner_id", "colleague"),
        sa.PrimaryKeyConstraint("id", name="pk_campaign"),
    )
    op.create_index("ix_campaign_proposition_id", "campaign", ["proposition_id"])
    op.create_index("ix_campaign_cohort_id", "campaign", ["cohort_id"])
    op.create_index("ix_campaign_owner_id", "campaign", ["owner_id"])
    op.create_index("ix_campaign_updated_at", "campaign", ["updated_at"])
    op.create_table(
        "opportunity",
        *_sync_columns(),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("sub_group_id", sa.Text(), nullable=True),
        sa.Column("proposition_id", sa.Text(), nullable=True),
        sa.Column("campaign_id", sa.Text(), nullable=True),
        sa.Column("stage", sa.Text(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("expected_close", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Text(), nullable=True),
        sa.Column("competitor_ids", sa.JSON(), nullable=True),
        sa.Column("compelling_event", sa.Text(), nullable=True),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("next_step_due", sa.Text(), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=True),
        sa.Column("metrics_status", sa.Text(), nullable=True),
        sa.Column("metrics_note", sa.Text(), nullable=True),
        sa.Column("economic_buyer_id", sa.Text(), nullable=True),
        sa.Column("economic_buyer_status", sa.Text(), nullable=True),
        sa.Column("economic_buyer_note", sa.Text(), nullable=True),
        sa.Column("decision_criteria_status", sa.Text(), nullable=True),
        sa.Column("decision_criteria_note", sa.Text(), nullable=True),
        sa.Column("decision_process_status", sa.Text(), nullable=True),
        sa.Column("decision_process_note", sa.Text(), nullable=True),
        sa.Column("paper_process_status", sa.Text(), nullable=True),
        sa.Column("paper_process_note", sa.Text(), nullable=True),
        sa.Column("pain_status", sa.Text(), nullable=True),
        sa.Column("pain_note", sa.Text(), nullable=True),
        sa.Column("champion_id", sa.Text(), nullable=True),
        sa.Column("champion_status", sa.Text(), nullable=True),
        sa.Column("champion_note", sa.Text(), nullable=True),
        sa.Column("competition_status", sa.Text(), nullable=True),
        sa.Column("competition_note", sa.Text(), nullable=True),
        _reference("opportunity", "client_id", "client"),
        _reference("opportunity", "sub_group_id", "sub_group"),
        _reference("opportunity", "proposition_id", "proposition"),
        _reference("opportunity", "campaign_id", "campaign"),
        _reference("opportunity", "owner_id", "colleague"),
        _reference("opportunity", "economic_buyer_id", "contact"),
        _reference("opportunity", "champion_id", "contact"),
        sa.PrimaryKeyConstraint("id", name="pk_opportunity"),
    )
    op.create_index("ix_opportunity_client_id", "opportunity", ["client_id"])
    op.create_index("ix_opportunity_sub_group_id", "opportunity", ["sub_group_id"])
    op.create_index("ix_opportunity_proposition_id", "opportunity", ["proposition_id"])
    op.create_index("ix_opportunity_campaign_id", "opportunity", ["campaign_id"])
    op.create_index("ix_opportunity_owner_id", "opportunity", ["owner_id"])
    op.create_index("ix_opportunity_economic_buyer_id", "opportunity", ["economic_buyer_id"])
    op.create_index("ix_opportunity_champion_id", "opportunity", ["champion_id"])
    op.create_index("ix_opportunity_updated_at", "opportunity", ["updated_at"])
    op.create_table(
        "opportunity_contact",
        *_sync_columns(),
        sa.Column("opportunity_id", sa.Text(), nullable=True),
        sa.Column("contact_id", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("support", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _reference("opportunity_contact", "opportunity_id", "opportunity"),
        _reference("opportunity_contact", "contact_id", "contact"),
        sa.PrimaryKeyConstraint("id", name="pk_opportunity_contact"),
    )
    op.create_index("ix_opportunity_contact_opportunity_id", "opportunity_contact", ["opportunity_id"])
    op.create_index("ix_opportunity_contact_contact_id", "opportunity_contact", ["contact_id"])
    op.create_index("ix_opportunity_contact_updated_at", "opportunity_contact", ["updated_at"])
    op.create_table(
        "campaign_target",
        *_sync_columns(),
        sa.Column("campaign_id", sa.Text(), nullable=True),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("contact_id", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("next_step_due", sa.Text(), nullable=True),
        sa.Column("opportunity_id", sa.Text(), nullable=True),
        sa.Column("route_via_id", sa.Text(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("approach", sa.Text(), nullable=True),
        _reference("campaign_target", "campaign_id", "campaign"),
        _reference("campaign_target", "client_id", "client"),
        _reference("campaign_target", "contact_id", "contact"),
        _reference("campaign_target", "opportunity_id", "opportunity"),
        _reference("campaign_target", "route_via_id", "contact"),
        sa.PrimaryKeyConstraint("id", name="pk_campaign_target"),
    )
    op.create_index("ix_campaign_target_campaign_id", "campaign_target", ["campaign_id"])
    op.create_index("ix_campaign_target_client_id", "campaign_target", ["client_id"])
    op.create_index("ix_campaign_target_contact_id", "campaign_target", ["contact_id"])
    op.create_index("ix_campaign_target_opportunity_id", "campaign_target", ["opportunity_id"])
    op.create_index("ix_campaign_target_route_via_id", "campaign_target", ["route_via_id"])
    op.create_index("ix_campaign_target_updated_at", "campaign_target", ["updated_at"])
    # Lists come ordered by title, a page at a time (as for every kind in 0001).
    op.execute("CREATE INDEX ix_title_proposition ON proposition (lower(title), id)")
    op.execute("CREATE INDEX ix_title_cohort ON cohort (lower(name), id)")
    op.execute("CREATE INDEX ix_title_campaign ON campaign (lower(name), id)")
    op.execute("CREATE INDEX ix_title_opportunity ON opportunity (lower(title), id)")
    op.execute("CREATE INDEX ix_title_opportunity_contact ON opportunity_contact (lower(role), id)")
    op.execute("CREATE INDEX ix_title_campaign_target ON campaign_target (lower(status), id)")
    _add_opportunity_reference("risk", "title")
    _add_opportunity_reference("action", "text")


def _drop_opportunity_reference(table: str, title: str) -> None:
    with warnings.catch_warnings(), op.batch_alter_table(table, recreate="always") as batch_op:
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        batch_op.drop_index(f"ix_{table}_opportunity_id")
        batch_op.drop_constraint(f"fk_{table}_opportunity_id", type_="foreignkey")
        batch_op.drop_column("opportunity_id")
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_title_{table} ON {table} (lower({title}), id)")


def downgrade() -> None:
    _drop_opportunity_reference("action", "text")
    _drop_opportunity_reference("risk", "title")
    op.drop_table("campaign_target")
    op.drop_table("opportunity_contact")
    op.drop_table("opportunity")
    op.drop_table("campaign")
    op.drop_table("cohort")
    op.drop_table("proposition")
    with op.batch_alter_table("sub_group") as batch_op:
        batch_op.drop_column("function")
