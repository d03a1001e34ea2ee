"""Interchange: a contact gains a birthday and a home address (what address books hold), a meeting
can be all day (a calendar's day-long event).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("birthday", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("address", sa.Text(), nullable=True))
    with op.batch_alter_table("meeting", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("all_day", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contact") as batch_op:
        batch_op.drop_column("address")
        batch_op.drop_column("birthday")
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.drop_column("all_day")
