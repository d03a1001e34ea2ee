"""What Alembic compares: all but the hand-made FTS5 tables (and shadows) and expression indexes."""

from __future__ import annotations

from companion.store.search_index import FTS_TABLES

# Indexes on lower(title): SQLAlchemy cannot reflect expression indexes, so they live in migrations only.
TITLE_INDEX_PREFIX = "ix_title_"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "index" and name and name.startswith(TITLE_INDEX_PREFIX):
        return False
    return not (type_ == "table" and any(name == t or name.startswith(t + "_") for t in FTS_TABLES))
