"""Random values of every field type pushed through the server: it answers 200 or 422, never 5xx, and another
laptop still syncs, lists every kind, runs `meeting list` and opens its window."""

from __future__ import annotations

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.app.config import WORKSPACE_FILE
from companion.core.demo import load_demo
from companion.core.service import Workspace
from companion.model.kinds import KINDS
from companion.sync.client import SyncClient
from tests.cli.test_cli import ok
from tests.interchange.test_bundle_roundtrip import value_of
from tests.ui.helpers import laptop_window, wait_idle

# What JSON can carry, and the awkward: past 64 bits, lone surrogates, impossible dates, long text.
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["\ud800", "2026-02-30", "2026-12-06", "2026-12-06T09:00:00Z", "99:99", "x" * 300]),
)


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


_ODD = st.one_of(
    st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=6,
    ),
    st.integers(20, 300).map(lambda depth: _nested(depth)),
)


@st.composite
def _mutation(draw, known: dict[str, list[str]]):
    """A record of some kind: each field now valid, now odd; references to the team's records or not."""
    kind = draw(st.sampled_from(KINDS))
    # Half the records are sound; the others carry one odd value.
    odd = draw(st.sampled_from([f.name for f in kind.fields])) if draw(st.booleans()) else None
    fields = {}
    for f in kind.fields:
        if not (f.required or f.name == odd or draw(st.integers(0, 3)) == 0):
            continue
        if f.name == odd:
            fields[f.name] = draw(_ODD)
        elif f.is_reference:
            targets = known.get(f.ref_kind) or [str(uuid.uuid4())]
            target = st.sampled_from(targets)
            fields[f.name] = draw(
                st.lists(target, min_size=1, max_size=2, unique=True) if f.is_list else target
            )
        else:
            fields[f.name] = draw(value_of(f))
    return kind, fields


def test_random_values_never_break_the_server_or_another_laptop(server, laptops, tmp_path, qtbot):
    # The team's records to point at and to edit: the demo workspace, synced once. They stay the same
    # while values are drawn, so each drawn push depends on nothing an earlier one did.
    first = laptops("first")
    load_demo(first.ws)
    first.sync()
    known = {kind.name: [r.id for r in first.ws.list(kind=kind.name)][:5] for kind in KINDS}
    http = server.http(server.token(device="fuzzer"))
    answers = {200: 0, 422: 0}

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def push_one(data):
        kind, fields = data.draw(_mutation(known))
        mine = known.get(kind.name)
        record_id = (
            data.draw(st.sampled_from(mine)) if mine and data.draw(st.booleans()) else str(uuid.uuid4())
        )
        # A device of its own for each push: its first push is number 1, whatever came before.
        device = f"fuzz-{uuid.uuid4()}"
        mutation = {
            "seq": 1, "kind": kind.name, "id": record_id, "op": "upsert", "fields": fields,
            "base_seq": 0, "hlc": "2026-12-06T10:00:00.000000Z",
        }  # fmt: skip
        body = {"device_id": device, "team_id": server.team_id, "mutations": [mutation]}
        # Escaped as JSON allows (\ud800): a lone surrogate cannot be written as UTF-8 at all.
        reply = http.post(
            "/v1/sync/push", content=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        assert reply.status_code in (200, 422), reply.text
        answers[reply.status_code] += 1

    push_one()
    assert answers[200] >= 20 and answers[422] >= 20, answers  # both paths were walked

    # Another laptop of the team: its sync, its lists, the command line and the window all work.
    folder = tmp_path / "second"
    folder.mkdir()
    ws = Workspace.open(folder / WORKSPACE_FILE)
    second = SyncClient(
        ws, server="http://testserver", token=server.token(device="second"), team_id=server.team_id,
        http=server.http(),
    )  # fmt: skip
    second.sync()
    for kind in KINDS:
        ws.list(kind=kind.name)
    assert second.sync().pulled == 0  # nothing left behind, nothing stuck
    assert first.sync().conflicts >= 0  # the first laptop syncs too
    window = laptop_window(qtbot, ws, tmp_path, "light")
    try:
        # The records the drawn pushes edited most: their pages open and show.
        for client_id in known["client"]:
            window.open_client(client_id)
            wait_idle(qtbot, window)
        for meeting_id in known["meeting"]:
            window.open_meeting(meeting_id)
            wait_idle(qtbot, window)
        for client_id in known["client"][:2]:
            window.open_pack(client_id)
            wait_idle(qtbot, window)
        assert window.isVisible()
    finally:
        window.close()
        window.worker.stop()
    ws.close()
    ok(folder, "meeting", "list")
