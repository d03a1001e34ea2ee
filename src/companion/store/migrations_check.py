"""What Alembic compares: every table but the hand-made FTS5 tables and their shadow tables."""

from __future__ import annotations

from companion.store.schema import FTS_TABLES


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and any(name == t or name.startswith(t + "_") for t in FTS_TABLES))
