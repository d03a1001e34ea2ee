"""Alembic environment: runs on the connection the workspace opener hands over."""

from alembic import context

from companion.store.migrations_check import include_object
from companion.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
