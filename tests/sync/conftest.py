"""A real sync server (its own SQLite file, migrated) and laptops with workspaces of their own."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from companion.core.service import Workspace
from companion.server import admin, db
from companion.server.app import create_app
from companion.sync.client import SyncClient


@dataclass
class Server:
    engine: object
    app: object
    team_id: str

    def token(self, user: str = "mira", device: str = "laptop") -> str:
        with self.engine.connect().execution_options(write=True) as conn, conn.begin():
            return admin.issue_token(conn, user_name=user, device=device)[1]

    def admin(self, call):
        with self.engine.connect().execution_options(write=True) as conn, conn.begin():
            return call(conn)

    def http(self, token: str | None = None) -> TestClient:
        client = TestClient(self.app, raise_server_exceptions=True)
        if token:
            client.headers["Authorization"] = f"Bearer {token}"
        return client


@pytest.fixture(scope="session")
def postgres_base():
    """A real PostgreSQL for the whole run; each test gets a database of its own on it."""
    from tests.sync.postgres import Cluster, binaries

    if binaries() is None:
        # Not skipped: the server's PostgreSQL path is proven here or nowhere.
        pytest.fail("PostgreSQL is not installed (Debian: apt install postgresql); `make test` installs it")
    cluster = Cluster()
    url = cluster.start()
    yield url
    cluster.stop()


_databases = iter(range(1, 1_000_000))


def database_url(request, tmp_path) -> str:
    """The server's database for one test: an SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.sqlite'}"
    import sqlalchemy as sa

    base = request.getfixturevalue("postgres_base")
    name = f"companion_{next(_databases)}"
    admin_engine = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin_engine.dispose()
    return f"{base}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path):
    engine = db.make_engine(database_url(request, tmp_path))
    db.migrate(engine)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        team_id = admin.add_team(conn, "North")
        admin.add_account(conn, "mira")
        admin.add_member(conn, team_name="North", user_name="mira")
    yield Server(engine, create_app(engine), team_id)
    engine.dispose()


@dataclass
class Laptop:
    ws: Workspace
    client: SyncClient

    def sync(self, **kw):
        return self.client.sync(**kw)


@pytest.fixture
def laptops(server, tmp_path):
    made: list[Laptop] = []

    def make(name: str, *, token: str | None = None, http=None) -> Laptop:
        ws = Workspace.open(tmp_path / f"{name}.sqlite")
        token = token or server.token(device=name)
        client = SyncClient(
            ws, server="http://testserver", token=token, team_id=server.team_id, http=http or server.http()
        )
        laptop = Laptop(ws, client)
        made.append(laptop)
        return laptop

    yield make
    for laptop in made:
        laptop.ws.close()
