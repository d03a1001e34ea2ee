"""Account plans: plans, SWOT, objectives, measures and their readings, actions, risks, contracts,
competitors (their presence at clients and people's ties to them), and decisions on early warnings.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
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


def upgrade() -> None:
    op.create_table(
        "account_plan",
        *_sync_columns(),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("period_from", sa.Text(), nullable=True),
        sa.Column("period_to", sa.Text(), nullable=True),
        sa.Column("type", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("strategy", sa.Text(), nullable=True),
        sa.Column("shared", sa.Boolean(), nullable=True),
        sa.Column("shared_with_ids", sa.JSON(), nullable=True),
        sa.Column("next_review", sa.Text(), nullable=True),
        _reference("account_plan", "client_id", "client"),
        sa.PrimaryKeyConstraint("id", name="pk_account_plan"),
    )
    op.create_index("ix_account_plan_client_id", "account_plan", ["client_id"])
    op.create_index("ix_account_plan_updated_at", "account_plan", ["updated_at"])
    op.create_table(
        "swot_item",
        *_sync_columns(),
        sa.Column("plan_id", sa.Text(), nullable=True),
        sa.Column("quadrant", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("about", sa.Text(), nullable=True),
        sa.Column("candid", sa.Boolean(), nullable=True),
        _reference("swot_item", "plan_id", "account_plan"),
        sa.PrimaryKeyConstraint("id", name="pk_swot_item"),
    )
    op.create_index("ix_swot_item_plan_id", "swot_item", ["plan_id"])
    op.create_index("ix_swot_item_updated_at", "swot_item", ["updated_at"])
    op.create_table(
        "objective",
        *_sync_columns(),
        sa.Column("plan_id", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("perspective", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Text(), nullable=True),
        sa.Column("stakeholder_id", sa.Text(), nullable=True),
        sa.Column("due", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        _reference("objective", "plan_id", "account_plan"),
        _reference("objective", "owner_id", "colleague"),
        _reference("objective", "stakeholder_id", "contact"),
        sa.PrimaryKeyConstraint("id", name="pk_objective"),
    )
    op.create_index("ix_objective_plan_id", "objective", ["plan_id"])
    op.create_index("ix_objective_owner_id", "objective", ["owner_id"])
    op.create_index("ix_objective_stakeholder_id", "objective", ["stakeholder_id"])
    op.create_index("ix_objective_updated_at", "objective", ["updated_at"])
    op.create_table(
        "measure",
        *_sync_columns(),
        sa.Column("objective_id", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("direction", sa.Text(), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        _reference("measure", "objective_id", "objective"),
        sa.PrimaryKeyConstraint("id", name="pk_measure"),
    )
    op.create_index("ix_measure_objective_id", "measure", ["objective_id"])
    op.create_index("ix_measure_updated_at", "measure", ["updated_at"])
    op.create_table(
        "measure_reading",
        *_sync_columns(),
        sa.Column("measure_id", sa.Text(), nullable=True),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _reference("measure_reading", "measure_id", "measure"),
        sa.PrimaryKeyConstraint("id", name="pk_measure_reading"),
    )
    op.create_index("ix_measure_reading_measure_id", "measure_reading", ["measure_id"])
    op.create_index("ix_measure_reading_updated_at", "measure_reading", ["updated_at"])
    op.create_table(
        "competitor",
        *_sync_columns(),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("strengths", sa.Text(), nullable=True),
        sa.Column("weaknesses", sa.Text(), nullable=True),
        sa.Column("our_answer", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_competitor"),
    )
    op.create_index("ix_competitor_updated_at", "competitor", ["updated_at"])
    op.create_table(
        "competitor_presence",
        *_sync_columns(),
        sa.Column("competitor_id", sa.Text(), nullable=True),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("footprint", sa.Text(), nullable=True),
        _reference("competitor_presence", "competitor_id", "competitor"),
        _reference("competitor_presence", "client_id", "client"),
        sa.PrimaryKeyConstraint("id", name="pk_competitor_presence"),
    )
    op.create_index("ix_competitor_presence_competitor_id", "competitor_presence", ["competitor_id"])
    op.create_index("ix_competitor_presence_client_id", "competitor_presence", ["client_id"])
    op.create_index("ix_competitor_presence_updated_at", "competitor_presence", ["updated_at"])
    op.create_table(
        "competitor_tie",
        *_sync_columns(),
        sa.Column("competitor_id", sa.Text(), nullable=True),
        sa.Column("contact_id", sa.Text(), nullable=True),
        sa.Column("tie", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        _reference("competitor_tie", "competitor_id", "competitor"),
        _reference("competitor_tie", "contact_id", "contact"),
        sa.PrimaryKeyConstraint("id", name="pk_competitor_tie"),
    )
    op.create_index("ix_competitor_tie_competitor_id", "competitor_tie", ["competitor_id"])
    op.create_index("ix_competitor_tie_contact_id", "competitor_tie", ["contact_id"])
    op.create_index("ix_competitor_tie_updated_at", "competitor_tie", ["updated_at"])
    op.create_table(
        "risk",
        *_sync_columns(),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("likelihood", sa.Integer(), nullable=True),
        sa.Column("impact", sa.Integer(), nullable=True),
        sa.Column("trigger", sa.Text(), nullable=True),
        sa.Column("mitigation", sa.Text(), nullable=True),
        sa.Column("contingency", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Text(), nullable=True),
        sa.Column("contact_ids", sa.JSON(), nullable=True),
        sa.Column("competitor_id", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("next_review", sa.Text(), nullable=True),
        sa.Column("warning", sa.Text(), nullable=True),
        _reference("risk", "client_id", "client"),
        _reference("risk", "owner_id", "colleague"),
        _reference("risk", "competitor_id", "competitor"),
        sa.PrimaryKeyConstraint("id", name="pk_risk"),
    )
    op.create_index("ix_risk_client_id", "risk", ["client_id"])
    op.create_index("ix_risk_owner_id", "risk", ["owner_id"])
    op.create_index("ix_risk_competitor_id", "risk", ["competitor_id"])
    op.create_index("ix_risk_updated_at", "risk", ["updated_at"])
    op.create_table(
        "action",
        *_sync_columns(),
        sa.Column("objective_id", sa.Text(), nullable=True),
        sa.Column("risk_id", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Text(), nullable=True),
        sa.Column("contact_id", sa.Text(), nullable=True),
        sa.Column("due", sa.Text(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=True),
        _reference("action", "objective_id", "objective"),
        _reference("action", "risk_id", "risk"),
        _reference("action", "owner_id", "colleague"),
        _reference("action", "contact_id", "contact"),
        sa.PrimaryKeyConstraint("id", name="pk_action"),
    )
    op.create_index("ix_action_objective_id", "action", ["objective_id"])
    op.create_index("ix_action_risk_id", "action", ["risk_id"])
    op.create_index("ix_action_owner_id", "action", ["owner_id"])
    op.create_index("ix_action_contact_id", "action", ["contact_id"])
    op.create_index("ix_action_updated_at", "action", ["updated_at"])
    op.create_table(
        "contract",
        *_sync_columns(),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("starts", sa.Text(), nullable=True),
        sa.Column("ends", sa.Text(), nullable=True),
        sa.Column("notice_by", sa.Text(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("obligations", sa.Text(), nullable=True),
        sa.Column("renewal_status", sa.Text(), nullable=True),
        _reference("contract", "client_id", "client"),
        sa.PrimaryKeyConstraint("id", name="pk_contract"),
    )
    op.create_index("ix_contract_client_id", "contract", ["client_id"])
    op.create_index("ix_contract_updated_at", "contract", ["updated_at"])
    op.create_table(
        "warning_decision",
        *_sync_columns(),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("warning", sa.Text(), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("risk_id", sa.Text(), nullable=True),
        _reference("warning_decision", "client_id", "client"),
        _reference("warning_decision", "risk_id", "risk"),
        sa.PrimaryKeyConstraint("id", name="pk_warning_decision"),
    )
    op.create_index("ix_warning_decision_client_id", "warning_decision", ["client_id"])
    op.create_index("ix_warning_decision_risk_id", "warning_decision", ["risk_id"])
    op.create_index("ix_warning_decision_updated_at", "warning_decision", ["updated_at"])
    # Lists come ordered by title, a page at a time (as for every kind in 0001).
    op.execute("CREATE INDEX ix_title_account_plan ON account_plan (lower(title), id)")
    op.execute("CREATE INDEX ix_title_swot_item ON swot_item (lower(text), id)")
    op.execute("CREATE INDEX ix_title_objective ON objective (lower(title), id)")
    op.execute("CREATE INDEX ix_title_measure ON measure (lower(name), id)")
    op.execute("CREATE INDEX ix_title_measure_reading ON measure_reading (lower(date), id)")
    op.execute("CREATE INDEX ix_title_competitor ON competitor (lower(name), id)")
    op.execute("CREATE INDEX ix_title_competitor_presence ON competitor_presence (lower(footprint), id)")
    op.execute("CREATE INDEX ix_title_competitor_tie ON competitor_tie (lower(tie), id)")
    op.execute("CREATE INDEX ix_title_risk ON risk (lower(title), id)")
    op.execute("CREATE INDEX ix_title_action ON action (lower(text), id)")
    op.execute("CREATE INDEX ix_title_contract ON contract (lower(title), id)")
    op.execute("CREATE INDEX ix_title_warning_decision ON warning_decision (lower(warning), id)")


def downgrade() -> None:
    op.drop_table("warning_decision")
    op.drop_table("contract")
    op.drop_table("action")
    op.drop_table("risk")
    op.drop_table("competitor_tie")
    op.drop_table("competitor_presence")
    op.drop_table("competitor")
    op.drop_table("measure_reading")
    op.drop_table("measure")
    op.drop_table("objective")
    op.drop_table("swot_item")
    op.drop_table("account_plan")
