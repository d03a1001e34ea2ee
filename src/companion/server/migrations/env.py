"""Alembic environment of the server's schema: runs on the connection handed over by db.migrate()."""

from alembic import context

from companion.server.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
