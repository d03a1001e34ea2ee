"""Full-text search: prefixes as you type, diacritics, names first, deleted records gone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from companion.core.service import Workspace
from companion.model.kinds import get_kind
from companion.model.text import fold
from companion.store.fileinfo import head_revision, known_revisions

FIXTURES = Path(__file__).parents[1] / "fixtures" / "workspaces"


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


# --- folding beyond diacritics ----------------------------------------------------------------

# Letters Unicode does not decompose (FTS5's remove_diacritics leaves them), with how they are typed
# without them; å decomposes, and is here as a reminder that it folds too.
SPELLED = [
    ("ø", "o"), ("Ø", "o"), ("æ", "ae"), ("Æ", "ae"), ("å", "a"), ("Å", "a"), ("ß", "ss"), ("ẞ", "ss"),
    ("ł", "l"), ("Ł", "l"), ("đ", "d"), ("Đ", "d"), ("þ", "th"), ("Þ", "th"), ("œ", "oe"), ("Œ", "oe"),
    ("ı", "i"), ("İ", "i"), ("ð", "d"), ("Ð", "d"), ("ŋ", "n"), ("Ŋ", "n"), ("ħ", "h"), ("Ħ", "h"),
    ("ŧ", "t"), ("Ŧ", "t"), ("ĸ", "k"),
]  # fmt: skip


@pytest.mark.parametrize(("letter", "plain"), SPELLED)
def test_letters_without_decomposition_fold_both_ways(workspace, letter, plain):
    special, spelled = f"Kve{letter}ra", f"Kve{plain}ra"
    with_letter = workspace.create(kind="contact", values={"name": f"Ola {special}"}).created_id
    without = workspace.create(kind="contact", values={"name": f"Ola {spelled}"}).created_id
    note = workspace.create(
        kind="note",
        values={"body": f"Lunch at {special} with the crew", "privacy": "team", "contact_id": with_letter},
    ).created_id
    for typed in (special, spelled, special.upper(), spelled.lower(), special[:5], spelled[:5]):
        hits = workspace.search(text=typed)
        # In names, and in text.
        assert {h.record_id for h in hits if h.in_name} == {with_letter, without}, typed
        assert [h.record_id for h in hits if not h.in_name] == [note], typed
    assert {h.record_id for h in workspace.search(text=f"ola {special}")} == {with_letter, without}


def test_fold_spells_special_letters_plainly():
    assert fold("Bjørn Ødegård") == "bjorn odegard"
    assert (
        fold("Straße ÆØÅ Łódź Þórður Œuvre Đorđe İzmir Kıvanç")
        == "strasse aeoa lodz thordur oeuvre dorde izmir kivanc"
    )
    assert fold("ǿ Ǽ ŋ ħ ŧ ĸ ɛ ɔ ə") == "o ae n h t k e o e"
    assert fold("Plain ASCII") == "plain ascii"


def test_names_are_found_by_any_spelling(workspace):
    bjorn = workspace.create(kind="contact", values={"name": "Bjørn Ødegård"}).created_id
    street = workspace.create(kind="client", values={"name": "Straße Logistik"}).created_id
    assert [h.record_id for h in workspace.search(text="bjorn")] == [bjorn]
    assert [h.record_id for h in workspace.search(text="odegard")] == [bjorn]
    assert [h.record_id for h in workspace.search(text="Bjørn Øde")] == [bjorn]
    assert [h.record_id for h in workspace.search(text="strasse")] == [street]
    assert [h.record_id for h in workspace.search(text="STRASSE LOG")] == [street]


# --- every text field -------------------------------------------------------------------------


@pytest.mark.parametrize("kind_name", ["site", "guideline", "note"])
def test_every_text_field_is_found_by_its_words(workspace, client_id, kind_name):
    """Each searchable field with words, from the kinds table, finds its record by a word of its own."""
    kind = get_kind(kind_name)
    required = {
        "site": {"client_id": client_id, "name": "Depot"},
        "guideline": {"client_id": client_id, "polarity": "do", "text": "Be on time", "scope": "client"},
        "note": {"client_id": client_id, "body": "Met the board", "privacy": "team"},
    }[kind_name]
    worded = [f for f in kind.fields if f.searchable and f.type in ("text", "longtext")]
    assert len(worded) >= 2
    values = dict(required)
    for number, f in enumerate(worded):
        values[f.name] = f"{values.get(f.name, '')} zyx{number}word".strip()
    record = workspace.create(kind=kind_name, values=values).created_id
    for number, f in enumerate(worded):
        assert record in [h.record_id for h in workspace.search(text=f"zyx{number}word")], f.name


def test_site_guideline_and_note_texts_are_found(workspace, client_id):
    site = workspace.create(
        kind="site",
        values={
            "client_id": client_id,
            "name": "Forus",
            "dress_code": "Smart casual; no jeans",
            "security_escort": "A host escorts every visitor on the yard",
        },
    ).created_id
    bare = workspace.create(kind="site", values={"client_id": client_id, "name": "Annex"}).created_id
    guideline = workspace.create(
        kind="guideline",
        values={
            "client_id": client_id,
            "polarity": "dont",
            "text": "Do not schedule meetings on Fridays",
            "why": "Fridays are reserved for offshore rotations",
            "scope": "client",
        },
    ).created_id
    note = workspace.create(
        kind="note",
        values={
            "title": "Budget",
            "body": "The capex freeze lifts in March.",
            "privacy": "team",
            "site_id": site,
        },
    ).created_id

    def found(text):
        return [h.record_id for h in workspace.search(text=text)]

    # The words of a field, and the name of a field that says anything: "dress code", "escort".
    assert found("dress code") == [site]
    assert found("jeans") == [site]
    assert found("escort") == [site]
    assert found("yard") == [site]
    assert bare not in found("dress code")
    assert found("rotations") == [guideline]
    assert found("capex") == [note]
    # A record whose text says the words comes before one that only has a field so named.
    other = workspace.create(
        kind="note", values={"body": "Their dress code is strict.", "privacy": "team", "client_id": client_id}
    ).created_id
    assert found("dress code") == [other, site]


# --- what tells results apart -----------------------------------------------------------------


def test_hits_tell_records_of_one_name_apart(workspace):
    def add(kind, **values):
        return workspace.create(kind=kind, values=values).created_id

    halvorsen = add("client", name="Halvorsen Offshore")
    aurora = add("client", name="Aurora Retail")
    cfo = add("contact", name="Ana Andersen")
    buyer = add("contact", name="Ana Andersen")
    nobody = add("contact", name="Ana Andersen")
    add("position", contact_id=cfo, client_id=halvorsen, title="CFO")
    add(
        "position",
        contact_id=cfo,
        client_id=aurora,
        title="Board member",
        started="2010-01-01",
        ended="2015-01-01",
    )
    add(
        "position",
        contact_id=buyer,
        client_id=aurora,
        title="Buyer",
        started="2019-01-01",
        ended="2024-05-31",
    )
    site = add("site", client_id=halvorsen, name="Ana base")
    add("site", client_id=aurora, name="Ana base")
    add("note", title="Ana note", body="x", privacy="team", client_id=aurora)
    add("note", title="Ana note", body="x", privacy="team", site_id=site)
    add("note", title="Ana note", body="x", privacy="team", contact_id=cfo)
    add("guideline", client_id=halvorsen, polarity="do", text="Ana rule", scope="client")
    group = add("sub_group", client_id=aurora, name="Ana group")
    meeting = add("meeting", client_id=halvorsen, title="Ana meeting", starts_at="2030-01-01T09:00:00+00:00")
    talk = add("interaction", client_id=aurora, date="2026-01-01", channel="call", summary="Ana talk")
    add("interaction", date="2026-01-02", channel="call", summary="Ana call", contact_ids=[buyer])
    add("follow_up", interaction_id=talk, text="Ana follow-up")

    contexts = sorted((h.kind, h.title, h.context) for h in workspace.search(text="ana", limit=50))
    assert contexts == sorted(
        [
            ("contact", "Ana Andersen", "CFO, Halvorsen Offshore"),
            ("contact", "Ana Andersen", "Buyer, Aurora Retail (until 2024-05-31)"),
            ("contact", "Ana Andersen", ""),
            ("site", "Ana base", "Halvorsen Offshore"),
            ("site", "Ana base", "Aurora Retail"),
            ("note", "Ana note", "Aurora Retail"),
            ("note", "Ana note", "Ana base, Halvorsen Offshore"),
            ("note", "Ana note", "Ana Andersen, Halvorsen Offshore"),
            ("guideline", "Ana rule", "Halvorsen Offshore"),
            ("sub_group", "Ana group", "Aurora Retail"),
            ("meeting", "Ana meeting", "Halvorsen Offshore"),
            ("interaction", "Ana talk", "Aurora Retail"),
            ("interaction", "Ana call", "Ana Andersen, Aurora Retail"),
            ("follow_up", "Ana follow-up", "Aurora Retail"),
        ]
    )
    positions = sorted(
        (h.title, h.context) for h in workspace.search(text="cfo") + workspace.search(text="buyer")
    )
    assert positions == [
        ("Buyer", "Ana Andersen, Aurora Retail"),
        ("CFO", "Ana Andersen, Halvorsen Offshore"),
    ]
    assert nobody and group and meeting  # (their contexts are above)


def test_context_follows_edits(workspace, client_id):
    person = workspace.create(kind="contact", values={"name": "Kari Nilsen"}).created_id
    position = workspace.create(
        kind="position", values={"contact_id": person, "client_id": client_id, "title": "COO"}
    ).created_id
    assert workspace.search(text="kari")[0].context == "COO, Halvorsen Offshore"
    workspace.update(kind="client", id=client_id, values={"name": "Halvorsen Group"})
    workspace.update(kind="position", id=position, values={"title": "CEO"})
    assert workspace.search(text="kari")[0].context == "CEO, Halvorsen Group"


# --- old workspaces -------------------------------------------------------------------------------


@pytest.mark.parametrize("revision", [r for r in known_revisions() if r != head_revision()])
def test_an_upgraded_workspace_finds_people_by_any_spelling(tmp_path, revision):
    path = tmp_path / "workspace.sqlite"
    shutil.copyfile(FIXTURES / f"{revision}.sqlite", path)
    ws = Workspace.open(path)
    try:
        for typed, name in [
            ("bjorn", "Bjørn Haugland"),
            ("Bjørn hau", "Bjørn Haugland"),
            ("yildiz", "Fatma Yıldız"),
            ("sindre lovas", "Sindre Løvås"),
            ("agotnes", "Supply base, Ågotnes (Bergen)"),
        ]:
            hits = [h for h in ws.search(text=typed) if h.in_name]
            assert name in [h.title for h in hits], typed
        bjorn = next(h for h in ws.search(text="bjorn") if h.kind == "contact")
        assert bjorn.context == "Chief Financial Officer, Halvorsen Offshore Services AS"
        # Texts are folded too, and the labels of written texts are there.
        assert any(h.kind == "site" for h in ws.search(text="dress code"))
    finally:
        ws.close()
