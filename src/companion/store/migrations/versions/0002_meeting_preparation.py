"""Meeting preparation: composed checklist items remember their origin; interactions link to a meeting.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 01:40:00
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Written out (not imported) so this migration never changes after release: search_name rowids
# carry the doc number in their low 40 bits (store/search_index.py).
DOC_MASK = (1 << 40) - 1


def upgrade() -> None:
    with op.batch_alter_table("meeting_checklist_item", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("section", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("detail", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("origin", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("removed", sa.Boolean(), nullable=True))
    # SQLite cannot add a named reference to a table: the table is rebuilt (upgrade() turns
    # reference checks off meanwhile), and its lower(summary) index, which reflection cannot see,
    # is made again.
    with warnings.catch_warnings(), op.batch_alter_table("interaction", recreate="always") as batch_op:
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        batch_op.add_column(sa.Column("meeting_id", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            "fk_interaction_meeting_id",
            "meeting",
            ["meeting_id"],
            ["id"],
            deferrable=True,
            initially="DEFERRED",
        )
        batch_op.create_index("ix_interaction_meeting_id", ["meeting_id"], unique=False)
    op.execute("CREATE INDEX IF NOT EXISTS ix_title_interaction ON interaction (lower(summary), id)")
    # Checklist items are no longer searched (they repeat their sources): drop their full text.
    docs = "SELECT doc FROM search_doc WHERE kind = 'meeting_checklist_item'"
    op.execute(f"DELETE FROM search_text WHERE rowid IN ({docs})")
    op.execute(f"DELETE FROM search_name WHERE (rowid & {DOC_MASK}) IN ({docs})")


def downgrade() -> None:
    with warnings.catch_warnings(), op.batch_alter_table("interaction", recreate="always") as batch_op:
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        batch_op.drop_index("ix_interaction_meeting_id")
        batch_op.drop_constraint("fk_interaction_meeting_id", type_="foreignkey")
        batch_op.drop_column("meeting_id")
    op.execute("CREATE INDEX IF NOT EXISTS ix_title_interaction ON interaction (lower(summary), id)")
    with op.batch_alter_table("meeting_checklist_item") as batch_op:
        for name in ("removed", "origin", "detail", "section"):
            batch_op.drop_column(name)
