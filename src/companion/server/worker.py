"""The app as each of `companion serve --workers N`'s processes builds it: from what the command put in
the environment (uvicorn starts several workers from an import string, not from an app object)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from companion.server import db
from companion.server.app import create_app

# Set by `companion serve` before uvicorn starts its workers; read by each worker as it starts.
DATABASE_VARIABLE = "COMPANION_SERVE_DATABASE"
API_DOCS_VARIABLE = "COMPANION_SERVE_API_DOCS"
IMPORT_STRING = "companion.server.worker:app_from_environment"


def app_from_environment() -> FastAPI:
    """One worker's app over its own engine (a connection pool is never shared across processes); the
    schema was migrated once by the command before any worker started."""
    engine = db.make_engine(os.environ[DATABASE_VARIABLE])
    return create_app(engine, api_docs=os.environ.get(API_DOCS_VARIABLE) == "1")
