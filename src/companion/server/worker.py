"""`companion serve`'s worker processes: each builds its app from what the command put in the
environment (uvicorn starts several workers from an import string, not from an app object)."""

from __future__ import annotations

import contextlib
import gc
import os
import socket

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

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
    app = create_app(engine, api_docs=os.environ.get(API_DOCS_VARIABLE) == "1")
    settle_garbage_collector()
    return app


def settle_garbage_collector() -> None:
    """What the worker has built by now (modules, routes, the engine) lives as long as it does: kept out
    of the collector's passes, which otherwise walk all of it again and again during a push. And a
    collection comes after 20,000 new objects rather than 700: a push of 2,000 records makes 100,000s
    that all live until it answers, and each early pass only moved them along (a first sync's server
    spent a sixth of its time collecting)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


def serve(*, workers: int, **options) -> None:
    """uvicorn with `workers` processes answering on one listening socket (`options`: uvicorn.run's)."""
    if workers == 1:
        uvicorn.run(IMPORT_STRING, factory=True, **options)
        return
    config = _TcpConfig(IMPORT_STRING, factory=True, workers=workers, **options)
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[config.bind_socket()]).run()


class _TcpConfig(uvicorn.Config):
    """uvicorn's settings, with a listening socket that says it is TCP: uvicorn leaves its protocol 0
    for several workers, so asyncio never sets TCP_NODELAY on the connections, and every request on a
    kept-alive connection after the first waited ~40 ms for a delayed ACK (uvicorn issue #3149)."""

    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        if bound.family not in (socket.AF_INET, socket.AF_INET6):
            return bound
        marked = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
        marked.set_inheritable(True)
        return marked
