"""Limits that hold on a real socket (uvicorn on 127.0.0.1): no body is read before the token is checked,
a chunked body is counted as it arrives, and numbers or nesting past what the stores hold answer 4xx."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from companion.sync import wire
from tests.cli.test_cli import _env
from tests.sync.live import ServerProcess, serving
from tests.sync.test_real_server import ok

MIB = 1024 * 1024


class _Chunks:
    """A request body sent in chunks, with no Content-Length to trust."""

    def __init__(self, total: int, chunk: int = 256 * 1024):
        self.total, self.chunk = total, chunk

    def __iter__(self):
        for _ in range(self.total // self.chunk):
            yield b" " * self.chunk


def _post(url: str, token: str | None, body) -> tuple[int, str]:
    headers = {"content-type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        with httpx.Client(base_url=url, timeout=60) as http:
            reply = http.post("/v1/sync/push", content=body, headers=headers)
            return reply.status_code, reply.text
    except httpx.HTTPError as exc:  # the server may close the socket once it has answered
        return 0, str(exc)


def _peak_mib(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_a_200_mib_chunked_body_costs_the_server_next_to_nothing(tmp_path):
    """`companion serve` in its own process: 200 MiB sent chunked without a token, then with one, leave
    its peak memory within the 20 MiB limit and a little; it answers 401 and 413, and stays up."""
    folder = tmp_path / "server"
    server = ServerProcess(folder, env=_env())
    url = server.start()
    try:
        ok(folder, "server", "team", "add", "North")
        ok(folder, "server", "user", "add", "mira")
        ok(folder, "server", "member", "add", "North", "mira")
        token = ok(folder, "server", "token", "issue", "mira", "--device", "A").splitlines()[-1]
        before = _peak_mib(server.process.pid)
        status, text = _post(url, None, iter(_Chunks(200 * MIB)))
        assert status in (0, 401), text
        status, text = _post(url, "not-a-token", iter(_Chunks(200 * MIB)))
        assert status in (0, 401), text
        assert _peak_mib(server.process.pid) - before < 10, "a body was read without a token"
        status, text = _post(url, token, iter(_Chunks(200 * MIB)))
        assert status in (0, 413), text
        grown = _peak_mib(server.process.pid) - before
        assert grown < wire.MAX_BODY_BYTES / MIB + 15, f"the server held {grown:.0f} MiB for a refused body"
        assert httpx.get(f"{url}/v1/health").status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize(
    "mutation_change",
    [{"seq": 2**70}, {"base_seq": 2**64}, {"fields": {"visit_frequency_days": 2**80, "name": "Ingrid"}}],
    ids=["seq", "base_seq", "field"],
)
def test_numbers_past_64_bits_answer_422(server, mutation_change):
    token = server.token(device="numbers")
    mutation = {
        "seq": 1, "kind": "contact", "id": "0193a3c2-0000-7000-8000-0000000000aa", "op": "upsert",
        "fields": {"name": "Ingrid"}, "base_seq": 0, "hlc": "t",
    }  # fmt: skip
    mutation.update(mutation_change)
    body = {"device_id": "numbers-device", "team_id": server.team_id, "mutations": [mutation]}
    with serving(server.engine) as url:
        reply = httpx.post(f"{url}/v1/sync/push", json=body, headers={"Authorization": f"Bearer {token}"})
        pull = httpx.post(
            f"{url}/v1/sync/pull",
            json={"team_id": server.team_id, "cursor": 2**66},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert reply.status_code == 422, reply.text
    assert pull.status_code == 422, pull.text


def test_a_body_nested_past_any_sense_answers_4xx(server):
    token = server.token(device="deep")
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000
    body = (
        json.dumps({"device_id": "d", "team_id": server.team_id, "mutations": []})[:-1] + f', "x": {deep}}}'
    )
    with serving(server.engine) as url:
        status, text = _post(url, token, body.encode())
        assert 400 <= status < 500, text
        assert httpx.get(f"{url}/v1/health").status_code == 200
