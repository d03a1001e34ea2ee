"""Records belong to their team (keyed by team and id), history says whose, and pushes leave marks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 10:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("record", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint("pk_record", type_="primary")
        batch_op.create_primary_key("pk_record", ["team_id", "id"])
    op.add_column("history", sa.Column("team_id", sa.String(length=36), nullable=True))
    # Until now an id named one record in the whole server: its team is that record's.
    op.execute(
        "UPDATE history SET team_id = (SELECT record.team_id FROM record WHERE record.id = history.record_id)"
    )
    op.execute("DELETE FROM history WHERE team_id IS NULL")
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.alter_column("team_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.drop_index("ix_history_record_field_seq")
        batch_op.create_index(
            "ix_history_team_record_field_seq", ["team_id", "record_id", "field", "seq"], unique=False
        )
    op.create_table(
        "team_mark",
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("mark", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_team_mark_team_id")),
        sa.PrimaryKeyConstraint("team_id", "seq", name=op.f("pk_team_mark")),
    )


def downgrade() -> None:
    op.drop_table("team_mark")
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_index("ix_history_team_record_field_seq")
        batch_op.create_index("ix_history_record_field_seq", ["record_id", "field", "seq"], unique=False)
        batch_op.drop_column("team_id")
    with op.batch_alter_table("record", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint("pk_record", type_="primary")
        batch_op.create_primary_key("pk_record", ["id"])
