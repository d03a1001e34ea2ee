"""The full-text index over every kind: kept in step by the write path, queried for search-as-you-type."""

from __future__ import annotations

import functools
import json
import operator
import re
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

import sqlalchemy as sa

from companion.model.kinds import KINDS, KINDS_BY_NAME, TEXT_TYPES, Kind, get_kind
from companion.model.text import fold
from companion.store.records import rows_in

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
_TEXT_NEWEST = "SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?"
_TEXT_RANKED = "SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?"
# The full-text tables as this code writes them (made by the migrations, and by `rebuild`; their
# rowids are doc numbers of search_doc, search_name's with the title length above, see below).
# unicode61 only splits words here: what goes in and what is typed are folded by model.text.fold
# first (its remove_diacritics folds only letters that decompose: not ø, æ, ł, þ…).
# - search_name: titles and aliases, searched first;
# - search_text: the words of every text field of a record;
# - search_field: the labels of its longer texts that say anything ("Dress code" for a site whose
#   dress code is written down), searched last. A table of its own: a column of search_text
#   would make every text query read where each word is (twice the time of a broad prefix).
# The one- and two-letter prefix indexes keep a first typed letter from merging the postings of
# every word that starts with it (15 ms and more on a large workspace).
FTS_TABLES = ("search_name", "search_text", "search_field")
_TOKENS = "tokenize='unicode61 remove_diacritics 2', prefix='1 2'"
FTS_DDL = (
    f"CREATE VIRTUAL TABLE search_name USING fts5(name, {_TOKENS})",
    f"CREATE VIRTUAL TABLE search_text USING fts5(body, {_TOKENS})",
    f"CREATE VIRTUAL TABLE search_field USING fts5(fields, {_TOKENS})",
)
# SQLite takes at most 32766 bound parameters; IN lists stay well below.
_CHUNK = 900
# Batches at least this large are indexed in record id order.
_SORT_FROM = 1000
# How long a name may be in a result's context before it is cut.
_CONTEXT_NAME = 80

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: str
    title: str
    in_name: bool
    # What tells it apart from records of the same title: a person's current title and client
    # ("CFO, Halvorsen Offshore"), a position's person and client, a note's subject, a site's client.
    context: str = ""


def name_of(kind: Kind, values: Mapping[str, object]) -> str:
    value = values.get(kind.title_field)
    return str(value) if value is not None else ""


@dataclass(frozen=True)
class _Indexed:
    """What indexing reads of a kind, from the kinds table."""

    name_field: str | None  # its title field, when the title is one line of text
    has_aliases: bool
    longtexts: tuple[str, ...]  # its longer texts, in order (an untitled record's title is the first)
    texts: tuple[tuple[str, bool], ...]  # (field, is a list) of every searchable field with words
    labelled: tuple[tuple[str, str], ...]  # (field, folded label) of optional searchable longer texts


@functools.cache
def _fields_of(kind_name: str) -> _Indexed:
    kind = get_kind(kind_name)
    title_field = kind.field(kind.title_field)
    name_field = title_field.name if title_field is not None and title_field.type == "text" else None
    # Words are in text of every kind and in lists of strings (aliases, tags, emails); enums are
    # codes, references ids, and numbers, dates and flags no words.
    worded = [f for f in kind.fields if f.searchable and (f.type in TEXT_TYPES or f.type == "strings")]
    return _Indexed(
        name_field=name_field,
        has_aliases=kind.field("aliases") is not None,
        longtexts=tuple(f.name for f in kind.fields if f.type == "longtext"),
        texts=tuple((f.name, f.type == "strings") for f in worded),
        # A required text is there on every record of its kind: its label tells none apart.
        labelled=tuple(
            (f.name, fold(f.label))
            for f in worded
            if f.type == "longtext" and not f.required and f.name != kind.title_field
        ),
    )


def _indexed_name(kind: Kind, values: Mapping[str, object]) -> str:
    """What goes into the small names index: a single-line title and any aliases."""
    fields = _fields_of(kind.name)
    parts = []
    if fields.name_field is not None and values.get(fields.name_field):
        parts.append(str(values[fields.name_field]))
    aliases = values.get("aliases") if fields.has_aliases else None
    if aliases:
        parts.extend(aliases)
    return fold("\n".join(parts))


def _indexed_text(kind: Kind, values: Mapping[str, object]) -> tuple[str, str]:
    """(search_text's body, search_field's fields): the words of every text field, and the labels
    of the longer texts that say anything."""
    fields = _fields_of(kind.name)
    parts: list[str] = []
    for name, is_list in fields.texts:
        value = values.get(name)
        if not value:
            continue
        if is_list:
            parts.extend(value)
        else:
            parts.append(value if type(value) is str else str(value))
    labels = "\n".join(label for name, label in fields.labelled if values.get(name))
    return fold("\n".join(parts)), labels


def _display_title(kind: Kind, values: Mapping[str, object]) -> str:
    title = name_of(kind, values).strip()
    if not title:
        # An untitled note or interaction reads best as the start of its text.
        title = next(
            (str(values[name]).strip() for name in _fields_of(kind.name).longtexts if values.get(name)), ""
        )
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
    docs, names, texts, labels = [], [], [], []
    for doc, row in enumerate(rows, start=first):
        title = _display_title(kind, row)
        docs.append((doc, row["id"], kind.name, title))
        if not kind.searchable:
            continue  # registered (ids are unique across kinds) but never matched
        if name := _indexed_name(kind, row):
            names.append((_name_rowid(doc, title), name))
        body, written = _indexed_text(kind, row)
        if body:
            texts.append((doc, body))
        if written:
            labels.append((doc, written))
    conn.exec_driver_sql("INSERT INTO search_doc(doc, record_id, kind, title) VALUES (?, ?, ?, ?)", docs)
    if names:
        # FTS5 writes out its pending terms whenever a rowid is not above the last one written:
        # in rowid order a batch stays one segment instead of one per row.
        names.sort()
        conn.exec_driver_sql("INSERT INTO search_name(rowid, name) VALUES (?, ?)", names)
    if texts:
        conn.exec_driver_sql("INSERT INTO search_text(rowid, body) VALUES (?, ?)", texts)
    if labels:
        conn.exec_driver_sql("INSERT INTO search_field(rowid, fields) VALUES (?, ?)", labels)


def rebuild(conn: sa.Connection, *, batch: int = 5000) -> None:
    """Makes the full-text tables again as this code writes them, and indexes every live record.

    Reads each kind's table as the file has it (a migration may run before later ones add
    columns or tables), and merges the index into few segments at the end.
    """
    for table in FTS_TABLES:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    conn.exec_driver_sql("DELETE FROM search_doc")
    for ddl in FTS_DDL:
        conn.exec_driver_sql(ddl)
    tables = {row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for kind in KINDS:
        if kind.name not in tables:
            continue
        lists = [f.name for f in kind.fields if f.is_list]
        result = conn.exec_driver_sql(f'SELECT * FROM "{kind.name}" WHERE deleted_at IS NULL')
        keys = tuple(result.keys())
        while chunk := result.fetchmany(batch):
            rows = [dict(zip(keys, row, strict=True)) for row in chunk]
            for row in rows:
                for name in lists:
                    if isinstance(row.get(name), str):
                        row[name] = json.loads(row[name])
            index(conn, kind, rows, fresh_ids={row["id"] for row in rows})
    for table in FTS_TABLES:
        conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def _docs_for(conn: sa.Connection, ids: Sequence[str]) -> list[tuple[int, str]]:
    """(doc, title) of the indexed records among `ids`."""
    query = "SELECT doc, title FROM search_doc WHERE record_id IN ({marks})"
    return [(doc, title) for doc, title in rows_in(conn, query, ids)]


def indexed_kinds(conn: sa.Connection, record_ids: Sequence[str]) -> dict[str, str]:
    """The kind of each live record among these ids (every live record has one index entry)."""
    query = "SELECT record_id, kind FROM search_doc WHERE record_id IN ({marks})"
    return {record_id: kind for record_id, kind in rows_in(conn, query, record_ids)}


def unindex(conn: sa.Connection, record_ids: Sequence[str]) -> None:
    found = _docs_for(conn, record_ids)
    if not found:
        return
    conn.exec_driver_sql(
        "DELETE FROM search_name WHERE rowid = ?", [(_name_rowid(doc, title),) for doc, title in found]
    )
    docs = [(doc,) for doc, _title in found]
    conn.exec_driver_sql("DELETE FROM search_text WHERE rowid = ?", docs)
    conn.exec_driver_sql("DELETE FROM search_field WHERE rowid = ?", docs)
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


def _text_docs(conn: sa.Connection, table: str, expression: str, seen: set[int], wanted: int) -> list[int]:
    """Up to `wanted` docs not `seen` whose entry in `table` matches the expression, best first.

    One pass gives the newest matches and tells whether the query is broad: ranking thousands
    of matches by bm25 costs more than a frame, so a broad query is answered newest first; a
    narrow one is ranked.
    """
    query = _TEXT_NEWEST.format(table=table)
    newest = [row[0] for row in conn.exec_driver_sql(query, (expression, RANKED_TEXT_CAP + 1))]
    if not newest:
        return []
    if len(newest) <= RANKED_TEXT_CAP:
        query = _TEXT_RANKED.format(table=table)
        newest = [row[0] for row in conn.exec_driver_sql(query, (expression, wanted + len(seen)))]
    return [doc for doc in newest if doc not in seen][:wanted]


def search(conn: sa.Connection, text: str, *, limit: int = 20) -> list[Hit]:
    """Records matching `text`: name matches first (best first), then matches in any text, ranked,
    then records whose written texts are of the kind named (“dress code”); each with its context."""
    expression = match_expression(text)
    if expression is None or limit <= 0:
        return []
    words = _WORD.findall(fold(text))
    name_rows = _names(conn, words, not text[-1:].isspace(), expression, limit)
    hits = [Hit(row.kind, row.record_id, row.title, True) for row in name_rows[:limit]]
    seen = {row.doc for row in name_rows}
    for table in ("search_text", "search_field"):
        if len(hits) >= limit:
            break
        picked = _text_docs(conn, table, expression, seen, limit - len(hits))
        if not picked:
            continue
        seen.update(picked)
        marks = ", ".join("?" * len(picked))
        by_doc = {
            row.doc: row
            for row in conn.exec_driver_sql(
                f"SELECT doc, kind, record_id, title FROM search_doc WHERE doc IN ({marks})", tuple(picked)
            )
        }
        hits.extend(
            Hit(row.kind, row.record_id, row.title, False) for doc in picked if (row := by_doc.get(doc))
        )
    return with_context(conn, hits)


# --- what tells a result apart ------------------------------------------------------------------


class _Rows:
    """Rows read for contexts, by (kind, id): id, title and reference fields, read a kind at a time."""

    def __init__(self, conn: sa.Connection):
        self.conn = conn
        self.rows: dict[tuple[str, str], dict | None] = {}
        self.wanted: set[tuple[str, str]] = set()

    def get(self, kind: str, record_id: str) -> dict | None:
        """The row, None when there is none; raises _Wanted when it is not read yet."""
        key = (kind, record_id)
        if key not in self.rows:
            self.wanted.add(key)
            raise _Wanted
        return self.rows[key]

    def read_wanted(self) -> bool:
        """Reads the rows asked for since the last time; False when none were."""
        if not self.wanted:
            return False
        by_kind: dict[str, list[str]] = {}
        for kind, record_id in self.wanted:
            by_kind.setdefault(kind, []).append(record_id)
        self.wanted = set()
        for kind_name, ids in by_kind.items():
            kind = KINDS_BY_NAME[kind_name]
            refs = [f for f in kind.fields if f.is_reference]
            columns = [
                "id",
                *([kind.title_field] if kind.field(kind.title_field) else []),
                *(f.name for f in refs),
            ]
            listed = ", ".join(f'"{c}"' for c in dict.fromkeys(columns))
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                result = _select(
                    self.conn, f'SELECT {listed} FROM "{kind_name}" WHERE id IN ({marks})', chunk
                )
                for row in result:
                    for f in refs:
                        if f.type == "refs" and isinstance(row.get(f.name), str):
                            row[f.name] = json.loads(row[f.name])
                    self.rows[(kind_name, row["id"])] = row
            for record_id in ids:
                self.rows.setdefault((kind_name, record_id), None)
        return True


class _Wanted(Exception):
    """A row the context needs is not read yet."""


def _select(conn: sa.Connection, query: str, params: Sequence[object]) -> list[dict]:
    result = conn.exec_driver_sql(query, tuple(params))
    keys = tuple(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def _short(value: object) -> str:
    text = str(value or "").strip()
    first_line = text[: _CONTEXT_NAME + 1].splitlines()[0] if text else ""
    return first_line if len(first_line) <= _CONTEXT_NAME else first_line[: _CONTEXT_NAME - 1] + "…"


def _follow(rows: _Rows, kind: Kind, row: dict, path: str) -> list[tuple[Kind, dict]] | None:
    """The records a reference path leads through from the row, the last being where it leads ("id"
    is the record itself; a list of references leads to its first member); None where it is empty."""
    here_kind, here = kind, row
    passed: list[tuple[Kind, dict]] = []
    for step in path.split("."):
        if step != "id":
            value = here.get(step)
            if isinstance(value, list):
                value = value[0] if value else None
            if not value:
                return None
            here_kind = KINDS_BY_NAME[here_kind.field(step).ref_kind]
            here = rows.get(here_kind.name, str(value))
            if here is None:
                return None
        passed.append((here_kind, here))
    return passed


@functools.cache
def _context_paths(kind_name: str) -> tuple[str, ...]:
    """The paths whose records tell a record apart: those that place it in the window, else (a
    template's item) the record it belongs to, its first required reference."""
    kind = get_kind(kind_name)
    owner = [f.name for f in kind.fields if f.type == "ref" and f.required]
    return kind.locators or tuple(owner[:1])


def _context_parts(rows: _Rows, kind: Kind, row: dict) -> list[str | tuple[str, str]]:
    """The parts of a record's context, from the kinds table: the person or meeting it opens on,
    then the records its locating path passes through (those with a one-line name) and the one it
    leads to. A person stands for their role: ("role", id) for a person found, ("client", id) for
    the client of a person named."""
    parts: list[str | tuple[str, str]] = []
    if kind.focus and kind.focus != "id":
        focus = _follow(rows, kind, row, kind.focus)
        if focus:
            parts.append(_short(name_of(*focus[-1])))
    for path in _context_paths(kind.name):
        passed = _follow(rows, kind, row, path)
        if passed is None:
            continue
        for step, (target_kind, target) in enumerate(passed):
            last = step == len(passed) - 1
            if target is row:
                if target_kind.name == "contact":
                    parts.append(("role", row["id"]))
                continue
            if not last and _fields_of(target_kind.name).name_field is None:
                continue  # a long text says little here (a follow-up's interaction)
            parts.append(_short(name_of(target_kind, target)))
            if last and target_kind.name == "contact":
                parts.append(("client", target["id"]))
        break
    return parts


def _roles(conn: sa.Connection, contact_ids: Iterable[str]) -> dict[str, tuple[str, str, str | None]]:
    """(title, client name, ended) of each person's current position (the latest that ended when
    none is current), by contact id."""
    found: dict[str, tuple[str, str, str | None]] = {}
    query = (
        "SELECT p.contact_id, p.title, c.name, p.ended FROM position p"
        " LEFT JOIN client c ON c.id = p.client_id"
        " WHERE p.contact_id IN ({marks}) AND p.deleted_at IS NULL"
        " ORDER BY p.contact_id, p.ended IS NOT NULL, p.ended DESC, p.started DESC"
    )
    for contact_id, title, client, ended in rows_in(conn, query, list(contact_ids)):
        found.setdefault(contact_id, (_short(title), _short(client), ended))
    return found


def with_context(conn: sa.Connection, hits: Sequence[Hit]) -> list[Hit]:
    """The hits with what tells each apart (see Hit.context), read in a few queries for them all."""
    rows = _Rows(conn)
    parts: dict[int, list[str | tuple[str, str]]] = {}
    # Looked up in the table itself: a hit of a kind this version does not know is passed over.
    needs = [(number, KINDS_BY_NAME.get(hit.kind), hit) for number, hit in enumerate(hits)]
    needs = [
        (n, kind, hit)
        for n, kind, hit in needs
        if kind is not None and (_context_paths(kind.name) or kind.focus not in ("", "id"))
    ]
    # Paths are followed a step at a time: each round reads the rows the last one reached, a kind per query.
    for _round in range(8):
        for number, kind, hit in needs:
            if number in parts:
                continue
            try:
                # A kind placed by itself alone (a client, a person) needs no row of its own.
                itself = all(path == "id" for path in (*_context_paths(kind.name), kind.focus) if path)
                row = {"id": hit.record_id} if itself else rows.get(kind.name, hit.record_id)
                parts[number] = _context_parts(rows, kind, row) if row is not None else []
            except _Wanted:
                pass
        if not rows.read_wanted():
            break
    people = {part[1] for found in parts.values() for part in found if isinstance(part, tuple)}
    roles = _roles(conn, people) if people else {}
    out = []
    for number, hit in enumerate(hits):
        words: list[str] = []
        for part in parts.get(number, ()):
            if isinstance(part, str):
                words.append(part)
                continue
            role = roles.get(part[1])
            if role is None:
                continue
            title, client, ended = role
            if part[0] == "client":
                words.append(client)
            elif ended:  # their latest role ended: said so, as the contact card does
                words.append(f"{', '.join(w for w in (title, client) if w)} (until {ended})")
            else:
                words.extend((title, client))
        context = ", ".join(dict.fromkeys(w for w in words if w))
        out.append(Hit(hit.kind, hit.record_id, hit.title, hit.in_name, context) if context else hit)
    return out
