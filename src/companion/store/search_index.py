"""The full-text index over every kind: kept in step by the write path, queried for search-as-you-type."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

import sqlalchemy as sa

from companion.core.kinds import TEXT_TYPES, Kind

# Name matches are fetched unranked up to this many, then ordered in Python: a one-letter
# prefix matches most names, and ranking them all by bm25 costs far more than a frame.
NAME_CANDIDATES = 200
# Text matches are ranked by bm25 only when there are at most this many; a broader query is
# answered newest first, which costs almost nothing.
RANKED_TEXT_CAP = 1000

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: str
    title: str
    in_name: bool


def fold(text: str) -> str:
    """Lower case without diacritics, as the index's unicode61 tokenizer sees text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_of(kind: Kind, values: Mapping[str, object]) -> str:
    value = values.get(kind.title_field)
    return str(value) if value is not None else ""


def _indexed_name(kind: Kind, values: Mapping[str, object]) -> str:
    """What goes into the small names index: a single-line title and any aliases."""
    title_field = kind.field(kind.title_field)
    parts = []
    if title_field is not None and title_field.type == "text" and values.get(title_field.name):
        parts.append(str(values[title_field.name]))
    aliases = values.get("aliases") if kind.field("aliases") else None
    if aliases:
        parts.extend(aliases)
    return "\n".join(parts)


def _indexed_text(kind: Kind, values: Mapping[str, object]) -> str:
    parts: list[str] = []
    for f in kind.fields:
        value = values.get(f.name)
        if not value:
            continue
        if f.type in TEXT_TYPES:
            parts.append(str(value))
        elif f.type == "strings":
            parts.extend(value)
    return "\n".join(parts)


def _display_title(kind: Kind, values: Mapping[str, object]) -> str:
    title = name_of(kind, values).strip()
    if not title:
        # An untitled note or interaction reads best as the start of its text.
        title = next((str(values[f.name]).strip() for f in kind.fields if f.type == "longtext" and values.get(f.name)), "")
    if not title:
        return kind.label
    first_line = title.splitlines()[0]
    return first_line if len(first_line) <= 120 else first_line[:119] + "…"


def index(
    conn: sa.Connection, kind: Kind, rows: Sequence[Mapping[str, object]], *, fresh_ids: Set[str] = frozenset()
) -> None:
    """(Re)indexes live records; each row holds the record's id and all its field values.

    `fresh_ids` names records known to be new, whose stale entries need no lookup.
    """
    if not rows:
        return
    unindex(conn, [row["id"] for row in rows if row["id"] not in fresh_ids])
    # Doc numbers are assigned here (the write transaction holds the lock) so one
    # executemany per table serves a whole import.
    first = conn.execute(sa.text("SELECT coalesce(max(doc), 0) + 1 FROM search_doc")).scalar_one()
    docs, names, texts = [], [], []
    for number, row in enumerate(rows, start=first):
        docs.append({"doc": number, "record_id": row["id"], "kind": kind.name, "title": _display_title(kind, row)})
        if name := _indexed_name(kind, row):
            names.append({"doc": number, "name": name})
        if body := _indexed_text(kind, row):
            texts.append({"doc": number, "body": body})
    conn.execute(
        sa.text("INSERT INTO search_doc(doc, record_id, kind, title) VALUES (:doc, :record_id, :kind, :title)"),
        docs,
    )
    if names:
        conn.execute(sa.text("INSERT INTO search_name(rowid, name) VALUES (:doc, :name)"), names)
    if texts:
        conn.execute(sa.text("INSERT INTO search_text(rowid, body) VALUES (:doc, :body)"), texts)


def _docs_for(conn: sa.Connection, ids: Iterable[str]) -> dict[str, int]:
    ids = list(ids)
    found: dict[str, int] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        query = sa.text("SELECT record_id, doc FROM search_doc WHERE record_id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)
        )
        found.update({row.record_id: row.doc for row in conn.execute(query, {"ids": chunk})})
    return found


def unindex(conn: sa.Connection, record_ids: Sequence[str]) -> None:
    docs = list(_docs_for(conn, record_ids).values())
    if not docs:
        return
    params = [{"doc": doc} for doc in docs]
    conn.execute(sa.text("DELETE FROM search_name WHERE rowid = :doc"), params)
    conn.execute(sa.text("DELETE FROM search_text WHERE rowid = :doc"), params)
    conn.execute(sa.text("DELETE FROM search_doc WHERE doc = :doc"), params)


def match_expression(text: str) -> str | None:
    """An FTS5 query: every word must match, the last one as a prefix unless the person typed a space."""
    words = _WORD.findall(fold(text))
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    if not text[-1:].isspace():
        quoted[-1] += "*"
    return " ".join(quoted)


def _name_rank(query: str, title: str) -> tuple:
    folded = fold(title)
    words = _WORD.findall(folded)
    return (
        folded != query,  # the whole name typed
        not folded.startswith(query),  # the name starts with it
        not any(w.startswith(query.split(" ")[0]) for w in words[:1]),
        len(folded),
        folded,
    )


def search(conn: sa.Connection, text: str, *, limit: int = 20) -> list[Hit]:
    """Records matching `text`: name matches first (best first), then matches in any text, ranked."""
    expression = match_expression(text)
    if expression is None or limit <= 0:
        return []
    query = " ".join(_WORD.findall(fold(text)))
    name_rows = conn.execute(
        sa.text(
            "SELECT d.doc, d.kind, d.record_id, d.title FROM search_name"
            " JOIN search_doc d ON d.doc = search_name.rowid"
            " WHERE search_name MATCH :q LIMIT :cap"
        ),
        {"q": expression, "cap": NAME_CANDIDATES},
    ).all()
    name_rows.sort(key=lambda row: _name_rank(query, row.title))
    hits = [Hit(row.kind, row.record_id, row.title, True) for row in name_rows[:limit]]
    if len(hits) >= limit:
        return hits
    seen = {row.doc for row in name_rows}
    wanted = limit - len(hits) + len(seen)
    broad = conn.execute(
        sa.text("SELECT count(*) FROM (SELECT 1 FROM search_text WHERE search_text MATCH :q LIMIT :cap)"),
        {"q": expression, "cap": RANKED_TEXT_CAP + 1},
    ).scalar_one() > RANKED_TEXT_CAP
    order = "search_text.rowid DESC" if broad else "rank"
    text_rows = conn.execute(
        sa.text(
            "SELECT d.doc, d.kind, d.record_id, d.title FROM search_text"
            " JOIN search_doc d ON d.doc = search_text.rowid"
            f" WHERE search_text MATCH :q ORDER BY {order} LIMIT :n"
        ),
        {"q": expression, "n": wanted},
    ).all()
    for row in text_rows:
        if row.doc not in seen and len(hits) < limit:
            hits.append(Hit(row.kind, row.record_id, row.title, False))
    return hits
