"""Induction packs: their versions, the sign-offs of those who read them, and the author's candid choice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 02:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
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
    with op.batch_alter_table("client", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("pack_candid", sa.Boolean(), nullable=True))
    op.create_table(
        "pack_version",
        *_sync_columns(),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.Text(), nullable=True),
        sa.Column("candid", sa.Boolean(), nullable=True),
        sa.Column("material", sa.Boolean(), nullable=True),
        sa.Column("sections", sa.JSON(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        _reference("pack_version", "client_id", "client"),
        sa.PrimaryKeyConstraint("id", name="pk_pack_version"),
    )
    op.create_index("ix_pack_version_client_id", "pack_version", ["client_id"])
    op.create_index("ix_pack_version_updated_at", "pack_version", ["updated_at"])
    op.create_table(
        "pack_signoff",
        *_sync_columns(),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("colleague_id", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.Text(), nullable=True),
        sa.Column("candid", sa.Boolean(), nullable=True),
        sa.Column("signed_at", sa.Text(), nullable=True),
        _reference("pack_signoff", "client_id", "client"),
        _reference("pack_signoff", "colleague_id", "colleague"),
        sa.PrimaryKeyConstraint("id", name="pk_pack_signoff"),
    )
    op.create_index("ix_pack_signoff_client_id", "pack_signoff", ["client_id"])
    op.create_index("ix_pack_signoff_colleague_id", "pack_signoff", ["colleague_id"])
    op.create_index("ix_pack_signoff_updated_at", "pack_signoff", ["updated_at"])
    # Lists come ordered by title, a page at a time (as for every kind in 0001).
    op.execute("CREATE INDEX ix_title_pack_version ON pack_version (lower(content_hash), id)")
    op.execute("CREATE INDEX ix_title_pack_signoff ON pack_signoff (lower(content_hash), id)")


def downgrade() -> None:
    op.drop_table("pack_signoff")
    op.drop_table("pack_version")
    with op.batch_alter_table("client") as batch_op:
        batch_op.drop_column("pack_candid")
