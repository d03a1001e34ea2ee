"""SQLAlchemy tables built from the record kinds, plus the workspace's own bookkeeping tables."""

from __future__ import annotations

import sqlalchemy as sa

from companion.model.kinds import KINDS, Field, Kind, get_kind

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Full-text tables are FTS5 virtual tables, made by the migrations; metadata does not model them.
FTS_TABLES = ("search_name", "search_text")


def _column_type(f: Field) -> sa.types.TypeEngine:
    if f.type in ("int",):
        return sa.Integer()
    if f.type == "number":
        return sa.Float()
    if f.type == "bool":
        return sa.Boolean(create_constraint=False)
    if f.is_list:
        return sa.JSON()
    return sa.Text()


def _sync_columns() -> list[sa.Column]:
    """The mixin every synced record kind shares (DESIGN.md: one mechanism)."""
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("team_id", sa.String(36), nullable=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.Column("row_seq", sa.Integer(), nullable=False, server_default="0"),
    ]


def _kind_table(kind: Kind) -> sa.Table:
    columns: list[sa.SchemaItem] = _sync_columns()
    for f in kind.fields:
        args: list[sa.SchemaItem] = []
        if f.type == "ref":
            # Deferred, so a page of synced rows may arrive in any order within its transaction.
            args.append(sa.ForeignKey(f"{f.ref_kind}.id", deferrable=True, initially="DEFERRED"))
        columns.append(sa.Column(f.name, _column_type(f), *args, nullable=True))
    table = sa.Table(kind.name, metadata, *columns)
    for f in kind.fields:
        if f.type == "ref":
            sa.Index(None, table.c[f.name])
    sa.Index(None, table.c.updated_at)
    return table


class _KindTables(dict):
    """Each kind's table by kind name; a kind registered after import gets its table on first use (the
    table itself is made in the file by a migration)."""

    def __missing__(self, name: str) -> sa.Table:
        table = self[name] = _kind_table(get_kind(name))
        return table


KIND_TABLES: dict[str, sa.Table] = _KindTables((kind.name, _kind_table(kind)) for kind in KINDS)

workspace_meta = sa.Table(
    "workspace_meta",
    metadata,
    sa.Column("key", sa.Text(), primary_key=True),
    sa.Column("value", sa.Text(), nullable=False),
)

# One row per locally changed record: which fields changed, from which server seq.
# Push reads the current values when it sends, so repeated edits of a field coalesce.
outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("mutation_id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("record_id", sa.String(36), nullable=False),
    sa.Column("op", sa.Text(), nullable=False),
    sa.Column("fields", sa.JSON(), nullable=False),
    sa.Column("base_seq", sa.Integer(), nullable=False),
    sa.Column("changed_at", sa.Text(), nullable=False),
    sqlite_autoincrement=True,
)
sa.Index(None, outbox.c.record_id)

# Maps full-text rows to records: search_text rowid == search_doc.doc; search_name rowids also
# carry the title length so the shortest names come first (see store/search_index.py).
search_doc = sa.Table(
    "search_doc",
    metadata,
    sa.Column("doc", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("record_id", sa.String(36), nullable=False, unique=True),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("title", sa.Text(), nullable=False),
)
