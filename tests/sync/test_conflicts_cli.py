"""`companion sync conflicts` and `companion sync resolve`: the conflicts read and settled from a terminal,
against `companion serve` in its own process on 127.0.0.1."""

from __future__ import annotations

import json

from tests.sync.test_real_server import (  # noqa: F401 (served: the fixture)
    companion,
    log_in,
    ok,
    served,
    team_with_tokens,
)


def test_conflicts_listed_and_resolved_from_the_command_line(served, tmp_path):  # noqa: F811
    folder, url = served
    tokens = team_with_tokens(folder, "A", "B")
    a, b = tmp_path / "a", tmp_path / "b"
    client = ok(a, "add", "client", "name=Halvorsen Offshore", "status=active").strip()
    for laptop, token in ((a, tokens[0]), (b, tokens[1])):
        log_in(laptop, url, token)
    ok(a, "sync", token=tokens[0])
    ok(b, "sync", token=tokens[1])
    ok(a, "set", "client", client, "status=dormant")
    ok(b, "set", "client", client, "status=former")
    ok(a, "sync", token=tokens[0])
    assert companion(b, "sync", token=tokens[1]).returncode == 3
    assert companion(a, "sync", token=tokens[0]).returncode == 3  # (3: the cycle ran, a conflict is open)

    listed = ok(a, "sync", "conflicts", token=tokens[0])
    assert "Client Halvorsen Offshore · status: concurrent edit" in listed
    assert 'now:   "former"' in listed and 'other: "dormant"' in listed
    (conflict,) = json.loads(ok(a, "sync", "conflicts", "--json", token=tokens[0]))
    assert (conflict["field"], conflict["kept"], conflict["other"]) == ("status", "former", "dormant")

    # A value the field cannot hold is refused in words, and nothing changes.
    bad = companion(a, "sync", "resolve", conflict["id"][:8], "--take", "thriving", token=tokens[0])
    assert bad.returncode != 0 and "(status)" in bad.stderr and "Traceback" not in bad.stderr
    # "mine" on laptop A is A's own value, set aside by the server: it becomes everyone's.
    out = ok(a, "sync", "resolve", conflict["id"][:8], "--take", "mine", token=tokens[0])
    assert "status is now 'dormant'" in out
    ok(b, "sync", token=tokens[1])
    for laptop, token in ((a, tokens[0]), (b, tokens[1])):
        shown = json.loads(ok(laptop, "show", "client", client, "--json", token=token))
        assert shown["status"] == "dormant"
        assert ok(laptop, "sync", "conflicts", token=token).strip() == "no conflicts: every laptop agrees"
