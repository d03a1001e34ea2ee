"""The full-text index over every kind: kept in step by the write path, queried for search-as-you-type."""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

import sqlalchemy as sa

from companion.model.kinds import TEXT_TYPES, Kind, get_kind

# Text matches are ranked by bm25 only when there are at most this many; a broader query is
# answered newest first, which costs almost nothing.
RANKED_TEXT_CAP = 1000

# search_text's rowid is the doc number of search_doc. search_name's rowid carries the length
# of the record's folded title above the doc number: FTS5 returns matches in rowid order, so
# the shortest names come first and the best few are found without ranking every match
# (a one-letter prefix matches most names).
_DOC_BITS = 40
_DOC_MASK = (1 << _DOC_BITS) - 1
_LONGEST = (1 << 12) - 1
_NAME_QUERY = (
    "SELECT d.doc, d.kind, d.record_id, d.title FROM search_name"
    f" JOIN search_doc d ON d.doc = (search_name.rowid & {_DOC_MASK})"
    " WHERE search_name MATCH ? ORDER BY search_name.rowid LIMIT ?"
)
_TEXT_NEWEST = "SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rowid DESC LIMIT ?"
_TEXT_RANKED = "SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rank LIMIT ?"
# SQLite takes at most 32766 bound parameters; IN lists stay well below.
_CHUNK = 900
# Batches at least this large are indexed in record id order.
_SORT_FROM = 1000

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


@functools.cache
def _fields_of(kind_name: str) -> tuple[str | None, bool, tuple[str, ...], tuple[tuple[str, bool], ...]]:
    """What indexing reads of a kind: its one-line title field (if the title is one), whether it
    has aliases, its longtext fields, and (field, is a list) of every field of the text index."""
    kind = get_kind(kind_name)
    title_field = kind.field(kind.title_field)
    name_field = title_field.name if title_field is not None and title_field.type == "text" else None
    longtexts = tuple(f.name for f in kind.fields if f.type == "longtext")
    texts = tuple(
        (f.name, f.type == "strings") for f in kind.fields if f.type in TEXT_TYPES or f.type == "strings"
    )
    return name_field, kind.field("aliases") is not None, longtexts, texts


def _indexed_name(kind: Kind, values: Mapping[str, object]) -> str:
    """What goes into the small names index: a single-line title and any aliases."""
    name_field, has_aliases, _longtexts, _texts = _fields_of(kind.name)
    parts = []
    if name_field is not None and values.get(name_field):
        parts.append(str(values[name_field]))
    aliases = values.get("aliases") if has_aliases else None
    if aliases:
        parts.extend(aliases)
    return "\n".join(parts)


def _indexed_text(kind: Kind, values: Mapping[str, object]) -> str:
    fields = _fields_of(kind.name)[3]
    parts: list[str] = []
    for name, is_list in fields:
        value = values.get(name)
        if not value:
            continue
        if is_list:
            parts.extend(value)
        else:
            parts.append(value if type(value) is str else str(value))
    return "\n".join(parts)


def _display_title(kind: Kind, values: Mapping[str, object]) -> str:
    title = name_of(kind, values).strip()
    if not title:
        # An untitled note or interaction reads best as the start of its text.
        title = next((str(values[name]).strip() for name in _fields_of(kind.name)[2] if values.get(name)), "")
    if not title:
        return kind.label
    first_line = title[:121].splitlines()[0]  # (a long note's whole text need not be split)
    return first_line if len(first_line) <= 120 else first_line[:119] + "…"


def _name_rowid(doc: int, title: str) -> int:
    """The names index's rowid for a doc: the folded title's length above the doc number."""
    length = len(title) if title.isascii() else len(fold(title))
    return (min(length, _LONGEST) << _DOC_BITS) | doc


def index(
    conn: sa.Connection,
    kind: Kind,
    rows: Sequence[Mapping[str, object]],
    *,
    fresh_ids: Set[str] = frozenset(),
) -> None:
    """(Re)indexes live records; each row holds the record's id and all its field values.

    `fresh_ids` names records known to be new, whose stale entries need no lookup.
    """
    if not rows:
        return
    stale = [row["id"] for row in rows if row["id"] not in fresh_ids]
    if stale:
        unindex(conn, stale)
    if len(rows) >= _SORT_FROM:
        # Doc numbers in record id order make search_doc's unique index on record_id grow
        # at its end instead of at random places: a large import writes far fewer pages.
        rows = sorted(rows, key=operator.itemgetter("id"))
    # Doc numbers are assigned here (the write transaction holds the lock) so one
    # executemany per table serves a whole import.
    first = conn.exec_driver_sql("SELECT coalesce(max(doc), 0) + 1 FROM search_doc").scalar_one()
    docs, names, texts = [], [], []
    for doc, row in enumerate(rows, start=first):
        title = _display_title(kind, row)
        docs.append((doc, row["id"], kind.name, title))
        if not kind.searchable:
            continue  # registered (ids are unique across kinds) but never matched
        if name := _indexed_name(kind, row):
            names.append((_name_rowid(doc, title), name))
        if body := _indexed_text(kind, row):
            texts.append((doc, body))
    conn.exec_driver_sql("INSERT INTO search_doc(doc, record_id, kind, title) VALUES (?, ?, ?, ?)", docs)
    if names:
        # FTS5 writes out its pending terms whenever a rowid is not above the last one written:
        # in rowid order a batch stays one segment instead of one per row.
        names.sort()
        conn.exec_driver_sql("INSERT INTO search_name(rowid, name) VALUES (?, ?)", names)
    if texts:
        conn.exec_driver_sql("INSERT INTO search_text(rowid, body) VALUES (?, ?)", texts)


def _docs_for(conn: sa.Connection, ids: Sequence[str]) -> list[tuple[int, str]]:
    """(doc, title) of the indexed records among `ids`."""
    ids = list(ids)
    found: list[tuple[int, str]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        query = f"SELECT doc, title FROM search_doc WHERE record_id IN ({marks})"
        found.extend((row[0], row[1]) for row in conn.exec_driver_sql(query, tuple(chunk)))
    return found


def indexed_kinds(conn: sa.Connection, record_ids: Sequence[str]) -> dict[str, str]:
    """The kind of each live record among these ids (every live record has one index entry)."""
    found: dict[str, str] = {}
    query = sa.text("SELECT record_id, kind FROM search_doc WHERE record_id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    for start in range(0, len(record_ids), 900):
        found.update(dict(conn.execute(query, {"ids": list(record_ids[start : start + 900])}).all()))
    return found


def unindex(conn: sa.Connection, record_ids: Sequence[str]) -> None:
    found = _docs_for(conn, record_ids)
    if not found:
        return
    conn.exec_driver_sql(
        "DELETE FROM search_name WHERE rowid = ?", [(_name_rowid(doc, title),) for doc, title in found]
    )
    docs = [(doc,) for doc, _title in found]
    conn.exec_driver_sql("DELETE FROM search_text WHERE rowid = ?", docs)
    conn.exec_driver_sql("DELETE FROM search_doc WHERE doc = ?", docs)


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


def _names(conn: sa.Connection, words: list[str], prefix: bool, expression: str, limit: int) -> list[sa.Row]:
    """The best `limit` name matches, best first, without ranking every match.

    The names index hands out matches shortest first (see _name_rowid), so each tier of the
    ranking needs only its first few matches: names that start with the query, then names
    whose first word starts with the first word typed, then any name that matches.
    """
    last = "*" if prefix else ""
    tiers = [f'^"{" ".join(words)}"{last}']
    if len(words) > 1:
        tiers.append(f'^"{words[0]}"* {expression}')
    tiers.append(expression)
    # A few more than asked for: the fold of a title and FTS5's tokens may disagree on where
    # a name starts (punctuation), which the ranking in Python then settles.
    cap = 2 * limit
    found: dict[int, sa.Row] = {}
    for tier in tiers:
        for row in conn.exec_driver_sql(_NAME_QUERY, (tier, cap)):
            found.setdefault(row.doc, row)
        if len(found) >= limit:
            break
    query = " ".join(words)
    return sorted(found.values(), key=lambda row: _name_rank(query, row.title))


def search(conn: sa.Connection, text: str, *, limit: int = 20) -> list[Hit]:
    """Records matching `text`: name matches first (best first), then matches in any text, ranked."""
    expression = match_expression(text)
    if expression is None or limit <= 0:
        return []
    words = _WORD.findall(fold(text))
    name_rows = _names(conn, words, not text[-1:].isspace(), expression, limit)
    hits = [Hit(row.kind, row.record_id, row.title, True) for row in name_rows[:limit]]
    if len(hits) >= limit:
        return hits
    seen = {row.doc for row in name_rows}
    wanted = limit - len(hits) + len(seen)
    # One pass gives the newest matches and tells whether the query is broad: ranking
    # thousands of matches by bm25 costs more than a frame, so a broad query is answered
    # newest first; a narrow one is ranked.
    newest = [row[0] for row in conn.exec_driver_sql(_TEXT_NEWEST, (expression, RANKED_TEXT_CAP + 1))]
    if not newest:
        return hits
    if len(newest) <= RANKED_TEXT_CAP:
        newest = [row[0] for row in conn.exec_driver_sql(_TEXT_RANKED, (expression, wanted))]
    picked = [doc for doc in newest if doc not in seen][: limit - len(hits)]
    if not picked:
        return hits
    marks = ", ".join("?" * len(picked))
    by_doc = {
        row.doc: row
        for row in conn.exec_driver_sql(
            f"SELECT doc, kind, record_id, title FROM search_doc WHERE doc IN ({marks})", tuple(picked)
        )
    }
    hits.extend(Hit(row.kind, row.record_id, row.title, False) for doc in picked if (row := by_doc.get(doc)))
    return hits
