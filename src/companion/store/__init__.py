"""The embedded store: SQLAlchemy schema, workspace files, migrations and the full-text index."""
