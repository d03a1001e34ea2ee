"""Full-text search: prefixes as you type, diacritics, names first, deleted records gone."""

from __future__ import annotations


def _titles(ws, text):
    return [h.title for h in ws.search(text=text)]


def test_prefix_matches_as_you_type(workspace):
    workspace.create(kind="contact", values={"name": "Ingrid Dahl"})
    for typed in ("i", "in", "ing", "ingr", "ingrid", "ingrid d", "dah"):
        assert _titles(workspace, typed) == ["Ingrid Dahl"], typed
    assert _titles(workspace, "ingrix") == []


def test_diacritics_do_not_matter(workspace):
    workspace.create(kind="contact", values={"name": "Zoë Ødegaard-Núñez"})
    workspace.create(kind="client", values={"name": "Sao Paulo Varejo"})
    assert _titles(workspace, "zoe") == ["Zoë Ødegaard-Núñez"]
    assert _titles(workspace, "nunez") == ["Zoë Ødegaard-Núñez"]
    assert _titles(workspace, "São") == ["Sao Paulo Varejo"]


def test_every_text_field_is_searched(workspace):
    cid = workspace.create(
        kind="client", values={"name": "Aurora Retail", "culture": "Consensus-driven; decisions take weeks."}
    ).created_id
    site = workspace.create(
        kind="site", values={"client_id": cid, "name": "Depot", "dress_code": "Steel-toe boots on the floor"}
    ).created_id
    hits = workspace.search(text="boots")
    assert [(h.kind, h.record_id, h.in_name) for h in hits] == [("site", site, False)]
    assert [h.record_id for h in workspace.search(text="consensus")] == [cid]


def test_name_matches_rank_before_text_matches(workspace):
    workspace.create(
        kind="note",
        values={
            "body": "Ask Dahl about the tender.",
            "privacy": "team",
            "contact_id": workspace.create(kind="contact", values={"name": "Per Lunde"}).created_id,
        },
    )
    workspace.create(kind="contact", values={"name": "Dahlia Moreno"})
    workspace.create(kind="contact", values={"name": "Ingrid Dahl"})
    workspace.create(kind="contact", values={"name": "Dahl"})
    hits = workspace.search(text="dahl")
    assert [h.title for h in hits[:3]] == ["Dahl", "Dahlia Moreno", "Ingrid Dahl"]
    assert [h.in_name for h in hits] == [True, True, True, False]


def test_edits_and_deletes_keep_the_index_in_step(workspace):
    cid = workspace.create(kind="contact", values={"name": "Kenji Watanabe"}).created_id
    workspace.update(kind="contact", id=cid, values={"name": "Kenji Sato"})
    assert _titles(workspace, "watanabe") == []
    assert _titles(workspace, "sato") == ["Kenji Sato"]
    workspace.delete(kind="contact", id=cid)
    assert _titles(workspace, "kenji") == []
    workspace.restore(kind="contact", id=cid)
    assert _titles(workspace, "kenji") == ["Kenji Sato"]


def test_queries_that_are_not_words_find_nothing(workspace):
    workspace.create(kind="contact", values={"name": "Ingrid Dahl"})
    for text in ("", "   ", '"', "*", "AND", "-", "(", 'ingrid"'):
        hits = workspace.search(text=text)
        assert all(h.title == "Ingrid Dahl" for h in hits)
