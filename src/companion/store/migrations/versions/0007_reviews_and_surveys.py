"""Reviews and satisfaction: reviews held with a client, success-factor ratings, surveys with their
questions, responses and answers; clients gain a review cadence; an action may be agreed in a review;
a risk may be shared with the client.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 20:50:00
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
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


def _add_reference(table: str, title: str, column: str, target: str) -> None:
    # SQLite cannot add a named reference to a table: the table is rebuilt (upgrade() turns reference
    # checks off meanwhile), and its lower(title) index, which reflection cannot see, is made again.
    with warnings.catch_warnings(), op.batch_alter_table(table, recreate="always") as batch_op:
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        batch_op.add_column(sa.Column(column, sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            f"fk_{table}_{column}", target, [column], ["id"], deferrable=True, initially="DEFERRED"
        )
        batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_title_{table} ON {table} (lower({title}), id)")


def upgrade() -> None:
    with op.batch_alter_table("client", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("review_every_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("risk", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("shareable", sa.Boolean(), nullable=True))
    op.create_table(
        "review",
        *_sync_columns(),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("held_on", sa.Text(), nullable=True),
        sa.Column("period_from", sa.Text(), nullable=True),
        sa.Column("period_to", sa.Text(), nullable=True),
        sa.Column("meeting_id", sa.Text(), nullable=True),
        sa.Column("our_rating", sa.Integer(), nullable=True),
        sa.Column("their_rating", sa.Integer(), nullable=True),
        sa.Column("went_well", sa.Text(), nullable=True),
        sa.Column("went_badly", sa.Text(), nullable=True),
        sa.Column("internal_notes", sa.Text(), nullable=True),
        sa.Column("next_review", sa.Text(), nullable=True),
        _reference("review", "client_id", "client"),
        _reference("review", "meeting_id", "meeting"),
        sa.PrimaryKeyConstraint("id", name="pk_review"),
    )
    op.create_index("ix_review_client_id", "review", ["client_id"])
    op.create_index("ix_review_meeting_id", "review", ["meeting_id"])
    op.create_index("ix_review_updated_at", "review", ["updated_at"])
    op.create_table(
        "success_factor_rating",
        *_sync_columns(),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("factor", sa.Text(), nullable=True),
        sa.Column("period_from", sa.Text(), nullable=True),
        sa.Column("period_to", sa.Text(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        _reference("success_factor_rating", "client_id", "client"),
        sa.PrimaryKeyConstraint("id", name="pk_success_factor_rating"),
    )
    op.create_index("ix_success_factor_rating_client_id", "success_factor_rating", ["client_id"])
    op.create_index("ix_success_factor_rating_updated_at", "success_factor_rating", ["updated_at"])
    op.create_table(
        "survey",
        *_sync_columns(),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("introduction", sa.Text(), nullable=True),
        sa.Column("starts", sa.Text(), nullable=True),
        sa.Column("ends", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_survey"),
    )
    op.create_index("ix_survey_updated_at", "survey", ["updated_at"])
    op.create_table(
        "survey_question",
        *_sync_columns(),
        sa.Column("survey_id", sa.Text(), nullable=True),
        sa.Column("type", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        _reference("survey_question", "survey_id", "survey"),
        sa.PrimaryKeyConstraint("id", name="pk_survey_question"),
    )
    op.create_index("ix_survey_question_survey_id", "survey_question", ["survey_id"])
    op.create_index("ix_survey_question_updated_at", "survey_question", ["updated_at"])
    op.create_table(
        "survey_response",
        *_sync_columns(),
        sa.Column("survey_id", sa.Text(), nullable=True),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("contact_id", sa.Text(), nullable=True),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("channel", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("meeting_id", sa.Text(), nullable=True),
        _reference("survey_response", "survey_id", "survey"),
        _reference("survey_response", "client_id", "client"),
        _reference("survey_response", "contact_id", "contact"),
        _reference("survey_response", "meeting_id", "meeting"),
        sa.PrimaryKeyConstraint("id", name="pk_survey_response"),
    )
    op.create_index("ix_survey_response_survey_id", "survey_response", ["survey_id"])
    op.create_index("ix_survey_response_client_id", "survey_response", ["client_id"])
    op.create_index("ix_survey_response_contact_id", "survey_response", ["contact_id"])
    op.create_index("ix_survey_response_meeting_id", "survey_response", ["meeting_id"])
    op.create_index("ix_survey_response_updated_at", "survey_response", ["updated_at"])
    op.create_table(
        "survey_answer",
        *_sync_columns(),
        sa.Column("response_id", sa.Text(), nullable=True),
        sa.Column("question_id", sa.Text(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        _reference("survey_answer", "response_id", "survey_response"),
        _reference("survey_answer", "question_id", "survey_question"),
        sa.PrimaryKeyConstraint("id", name="pk_survey_answer"),
    )
    op.create_index("ix_survey_answer_response_id", "survey_answer", ["response_id"])
    op.create_index("ix_survey_answer_question_id", "survey_answer", ["question_id"])
    op.create_index("ix_survey_answer_updated_at", "survey_answer", ["updated_at"])
    # Lists come ordered by title, a page at a time (as for every kind in 0001).
    op.execute("CREATE INDEX ix_title_review ON review (lower(title), id)")
    op.execute("CREATE INDEX ix_title_success_factor_rating ON success_factor_rating (lower(factor), id)")
    op.execute("CREATE INDEX ix_title_survey ON survey (lower(title), id)")
    op.execute("CREATE INDEX ix_title_survey_question ON survey_question (lower(text), id)")
    op.execute("CREATE INDEX ix_title_survey_response ON survey_response (lower(comment), id)")
    op.execute("CREATE INDEX ix_title_survey_answer ON survey_answer (lower(text), id)")
    _add_reference("action", "text", "review_id", "review")


def downgrade() -> None:
    with warnings.catch_warnings(), op.batch_alter_table("action", recreate="always") as batch_op:
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        batch_op.drop_index("ix_action_review_id")
        batch_op.drop_constraint("fk_action_review_id", type_="foreignkey")
        batch_op.drop_column("review_id")
    op.execute("CREATE INDEX IF NOT EXISTS ix_title_action ON action (lower(text), id)")
    for table in (
        "survey_answer",
        "survey_response",
        "survey_question",
        "survey",
        "success_factor_rating",
        "review",
    ):
        op.drop_table(table)
    with op.batch_alter_table("client") as batch_op:
        batch_op.drop_column("review_every_days")
    with op.batch_alter_table("risk") as batch_op:
        batch_op.drop_column("shareable")
