"""The sync server: FastAPI routes over its own database (SQLite by default, PostgreSQL in deployment)."""
