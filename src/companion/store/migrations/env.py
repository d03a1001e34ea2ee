"""Alembic environment: runs on the connection the workspace opener hands over."""

from alembic import context

from companion.store.schema import FTS_TABLES, metadata


def include_object(obj, name, type_, reflected, compare_to):
    # FTS5 virtual tables and their shadow tables are made by hand in migrations.
    if type_ == "table" and any(name == t or name.startswith(t + "_") for t in FTS_TABLES):
        return False
    return True


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
