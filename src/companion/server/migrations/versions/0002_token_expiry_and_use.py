"""Device tokens may expire, and remember when they were last used.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 08:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("last_used_at", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("token", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
        batch_op.drop_column("expires_at")
