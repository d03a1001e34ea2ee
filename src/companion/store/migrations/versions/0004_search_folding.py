"""Search folds letters that do not decompose (ø, æ, ß, ł, þ…) and indexes the labels of written texts.

The full-text index is made again from the records: what it holds is folded by model.text.fold
before FTS5 sees it (its remove_diacritics folds only letters that decompose), and a third table,
search_field, holds the labels of a record's longer texts that say anything ("Dress code").

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 07:00:00
"""

from alembic import op

from companion.store import search_index

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The index is derived from the records, so unlike the tables it is not written out here:
    # `rebuild` makes it as the store's code of the day does (reading each kind's table as the file
    # has it at this revision). A later change to how the index is made rebuilds it in its own
    # revision again.
    search_index.rebuild(op.get_bind())


def downgrade() -> None:
    # 0003's index had no labels. The words stay folded as 0004 folds them: 0003's code finds what it
    # finds by letters that decompose, but no longer "Bjørn" typed as such (only "bjorn").
    op.execute("DROP TABLE search_field")
