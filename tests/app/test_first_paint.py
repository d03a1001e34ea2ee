"""The first paint's read of a screenful: the first clients by name, the marked ones wherever they fall,
and the count of all, as the full read would give them."""

from __future__ import annotations

from companion.app.opener import first_paint

FIELDS = ("id", "name", None, "status", None, "owner_id")
NAMES = ("beta", "Alpha", "Édith", "gamma", "Zulu", "delta", "alpha", "Ødegaard", "epsilon")


def test_a_screenful_is_the_head_of_the_full_read_with_the_marked_ones(workspace):
    ids = {name: workspace.create(kind="client", values={"name": name}).created_id for name in NAMES}
    gone = workspace.create(kind="client", values={"name": "Aaron"}).created_id
    workspace.delete(kind="client", id=gone)
    every, colleagues = first_paint(workspace.path, client_fields=FIELDS)
    marked = [ids["Ødegaard"], ids["Zulu"], gone, "no-such-client"]

    clients, same_colleagues, count = first_paint(workspace.path, client_fields=FIELDS, first=3, also=marked)

    assert count == len(NAMES) == len(every)
    assert same_colleagues == colleagues
    assert clients == [row for i, row in enumerate(every) if i < 3 or row[0] in marked]
