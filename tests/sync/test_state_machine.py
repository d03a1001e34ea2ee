"""Random edits, deletes, syncs and dropped replies on 3–5 laptops: in the end every laptop agrees, and
every value that was ever sent is current, kept in a conflict, or in the server's history."""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, precondition, rule

from companion.core.service import Workspace
from companion.server import admin, db
from companion.server.app import create_app
from companion.server.schema import conflict, history, record
from companion.sync.client import SyncClient, SyncError, pending_batches
from tests.sync.conftest import TestClient

_WORDS = st.sampled_from(["Energy", "Shipping", "Retail", "Mining", "Health", "Zoë", "Ødegaard", "🚀"])
_TEXT = st.lists(
    st.sampled_from(["line one", "line two", "Line Three", "four", "fünf"]), min_size=1, max_size=4
)


class _DropNext(httpx.BaseTransport):
    """Drops the reply to the next push when armed (after the server committed it)."""

    def __init__(self, inner):
        self.inner = inner
        self.armed = False

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        if self.armed and request.url.path.endswith("/push"):
            self.armed = False
            response.read()
            raise httpx.ReadError("reply lost", request=request)
        return response


class Laptops(RuleBasedStateMachine):
    clients = Bundle("clients")

    @initialize(count=st.integers(3, 5))
    def setup(self, count):
        self.folder = Path(tempfile.mkdtemp())
        self.engine = db.make_engine(f"sqlite:///{self.folder / 'server.sqlite'}")
        db.migrate(self.engine)
        with self.engine.connect().execution_options(write=True) as conn, conn.begin():
            team_id = admin.add_team(conn, "North")
            admin.add_account(conn, "mira")
            admin.add_member(conn, team_name="North", user_name="mira")
            tokens = [admin.issue_token(conn, user_name="mira", device=f"l{n}")[1] for n in range(count)]
        app = create_app(self.engine)
        self.laptops = []
        self.drops = []
        for n, token in enumerate(tokens):
            ws = Workspace.open(self.folder / f"l{n}.sqlite")
            drop = _DropNext(TestClient(app)._transport)
            http = httpx.Client(base_url="http://testserver", transport=drop)
            self.laptops.append(
                SyncClient(ws, server="http://testserver", token=token, team_id=team_id, http=http)
            )
            self.drops.append(drop)
        self.sent: set[tuple[str, str, str]] = set()  # (record, field, value) that reached a push

    def teardown(self):
        if not hasattr(self, "laptops"):
            return
        for client in self.laptops:
            client.ws.close()
        self.engine.dispose()

    def _live(self, n, record_id):
        found = self.laptops[n].ws.get_many(kind="client", ids=[record_id]).get(record_id)
        return found if found is not None and found.deleted_at is None else None

    @rule(target=clients, n=st.integers(0, 4), name=_WORDS)
    def create(self, n, name):
        n %= len(self.laptops)
        return self.laptops[n].ws.create(kind="client", values={"name": f"{name} client"}).created_id

    @rule(client=clients, n=st.integers(0, 4), value=_WORDS)
    def edit_industry(self, client, n, value):
        n %= len(self.laptops)
        if self._live(n, client) is not None:
            self.laptops[n].ws.update(kind="client", id=client, values={"industry": value})

    @rule(client=clients, n=st.integers(0, 4), lines=_TEXT)
    def edit_history(self, client, n, lines):
        n %= len(self.laptops)
        if self._live(n, client) is not None:
            self.laptops[n].ws.update(kind="client", id=client, values={"history": "\n".join(lines) + "\n"})

    @rule(client=clients, n=st.integers(0, 4))
    def delete(self, client, n):
        n %= len(self.laptops)
        if self._live(n, client) is not None:
            self.laptops[n].ws.delete(kind="client", id=client, cascade=True)

    def _note_sent(self, n, *, dropping: bool = False):
        """The values the next sync will carry to the server: a batch waiting for its reply goes first
        (and alone, when its reply is dropped again); then the last edit of each record not deleted since."""
        ws = self.laptops[n].ws
        pending = pending_batches(ws)
        for batch in pending:
            for m in batch.mutations:
                for name, value in m["fields"].items():
                    if m["op"] == "upsert" and name in ("industry", "history") and value is not None:
                        self.sent.add((m["id"], name, value))
        if pending and dropping:
            return
        last: dict[str, dict] = {}
        fields: dict[str, set[str]] = {}
        for entry in ws.outbox():
            last[entry["record_id"]] = entry
            if entry["op"] == "upsert":
                fields.setdefault(entry["record_id"], set()).update(entry["fields"])
        for record_id, entry in last.items():
            if entry["op"] != "upsert" or entry["kind"] != "client":
                continue
            current = ws.get(kind="client", id=record_id, include_deleted=True)
            for name in fields.get(record_id, ()):
                if name in ("industry", "history") and current[name] is not None:
                    self.sent.add((record_id, name, current[name]))

    @rule(n=st.integers(0, 4), drop=st.booleans())
    def sync(self, n, drop):
        n %= len(self.laptops)
        self._note_sent(n, dropping=drop)
        self.drops[n].armed = drop
        try:
            self.laptops[n].sync(allow_deletes=True)
        except SyncError:
            assert drop, "only a dropped reply may stop a sync here"

    @precondition(lambda self: hasattr(self, "laptops"))
    @invariant()
    def outbox_and_pending_agree(self):
        for client in self.laptops:
            if not pending_batches(client.ws):
                continue
            assert client.ws.outbox(), "a batch waiting for its reply still has its outbox entries"

    def check_converged(self):
        for _round in range(2):
            for n in range(len(self.laptops)):
                self._note_sent(n)
                self.drops[n].armed = False
                self.laptops[n].sync(allow_deletes=True)
        views = []
        for client in self.laptops:
            rows = client.ws.list(kind="client")  # a record made and deleted offline never left its laptop
            views.append({r.id: (r["name"], r["industry"], r["history"]) for r in rows})
        assert all(view == views[0] for view in views[1:])
        with self.engine.connect() as conn:
            kept: set[tuple[str, str, str]] = set()
            for row in conn.execute(sa.select(record.c.id, record.c.fields)):
                kept |= {
                    (row.id, name, value) for name, value in row.fields.items() if isinstance(value, str)
                }
            for row in conn.execute(
                sa.select(conflict.c.record_id, conflict.c.field, conflict.c.kept, conflict.c.other)
            ):
                kept |= {(row.record_id, row.field, v) for v in (row.kept, row.other) if isinstance(v, str)}
            for row in conn.execute(sa.select(history.c.record_id, history.c.field, history.c.value)):
                if isinstance(row.value, str):
                    kept.add((row.record_id, row.field, row.value))
        assert self.sent <= kept, sorted(self.sent - kept)[:5]


Laptops.TestCase.settings = settings(
    max_examples=20, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def test_everyone_converges_and_nothing_sent_is_lost():
    """The same machine, ending every run with syncs all round and the checks."""
    from hypothesis.stateful import run_state_machine_as_test

    class Ending(Laptops):
        def teardown(self):
            if hasattr(self, "laptops"):
                self.check_converged()
            super().teardown()

    run_state_machine_as_test(Ending, settings=Laptops.TestCase.settings)
