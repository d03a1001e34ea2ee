"""Workspace benchmarks: bulk import beside a raw SQLite insert, search beside bare FTS5, file size.

    python -m tests.benchmarks.bench_workspace               # 10,000 clients (450,020 records)
    python -m tests.benchmarks.bench_workspace --clients 500 # a quick run

Not collected by pytest (no test_ prefix): timings are reported here, never asserted in tests.
Every figure is the median over several runs, since the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from companion.core.demo import synthetic_records
from companion.core.service import Workspace
from companion.model.kinds import KINDS_BY_NAME
from companion.store.search_index import match_expression

IMPORT_GOAL = 3.0  # import time at most this many times a raw executemany of the same rows
SEARCH_GOAL_MS = 16.0  # p99 of one search, every kind of query: one frame at 60 Hz
LIMIT = 20
MIXIN = ("id", "team_id", "created_at", "updated_at", "deleted_at", "row_seq")
BARE_FTS = "SELECT rowid FROM search_text WHERE search_text MATCH ? LIMIT 20"
_LETTERS = re.compile(r"[^\W\d_]+")
_WORD = re.compile(r"\w+")

Records = Mapping[str, Sequence[Mapping[str, object]]]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _file_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return total / 1e6


# --- import ------------------------------------------------------------------------------------


def time_import(records: Records, path: Path) -> tuple[float, int]:
    """Seconds to import every record into a freshly migrated workspace (migration not timed)."""
    ws = Workspace.open(path)
    try:
        gc.collect()
        start = time.perf_counter()
        changes = ws.import_records(records=records)
        elapsed = time.perf_counter() - start
    finally:
        ws.close()
    return elapsed, len(changes)


def time_reimport(records: Records, path: Path) -> tuple[float, int]:
    ws = Workspace.open(path)
    try:
        gc.collect()
        start = time.perf_counter()
        changes = ws.import_records(records=records)
        elapsed = time.perf_counter() - start
    finally:
        ws.close()
    return elapsed, len(changes)


def raw_tables(records: Records) -> dict[str, tuple[tuple[str, ...], list[tuple]]]:
    """The same rows as plain tuples in the workspace's column order (lists as JSON, as stored)."""
    tables = {}
    for kind_name, items in records.items():
        kind = KINDS_BY_NAME[kind_name]
        columns = MIXIN + kind.field_names
        lists = {f.name for f in kind.fields if f.is_list}
        rows = []
        for item in items:
            row = []
            for column in columns:
                value = 0 if column == "row_seq" else item.get(column)
                if column in lists and value is not None:
                    value = json.dumps(value)
                row.append(value)
            rows.append(tuple(row))
        tables[kind_name] = (columns, rows)
    return tables


def time_raw(tables: Mapping[str, tuple[tuple[str, ...], list[tuple]]], path: Path) -> float:
    """Seconds for one executemany per table in one transaction: same columns, no FTS, no outbox."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")  # the workspace's own settings
        conn.execute("PRAGMA synchronous=NORMAL")
        for name, (columns, _rows) in tables.items():
            defs = ", ".join(f'"{c}" TEXT PRIMARY KEY' if c == "id" else f'"{c}"' for c in columns)
            conn.execute(f'CREATE TABLE "{name}" ({defs})')
        gc.collect()
        start = time.perf_counter()
        conn.execute("BEGIN")
        for name, (columns, rows) in tables.items():
            marks = ", ".join("?" * len(columns))
            conn.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()


# --- search ------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _names(records: Records) -> list[str]:
    """Titles that search treats as names: one-line title fields (client, contact, position…)."""
    names = []
    for kind_name, items in records.items():
        kind = KINDS_BY_NAME[kind_name]
        title = kind.field(kind.title_field)
        if title is None or title.type != "text":
            continue
        names.extend(str(item[title.name]).strip() for item in items if item.get(title.name))
    return names


def _texts(records: Records) -> list[str]:
    texts = []
    for kind_name, items in records.items():
        kind = KINDS_BY_NAME[kind_name]
        long_fields = [f.name for f in kind.fields if f.type == "longtext"]
        texts.extend(str(item[name]) for item in items for name in long_fields if item.get(name))
    return texts


def draw_queries(records: Records, *, count: int, seed: int) -> dict[str, list[str]]:
    """Deterministic queries per row: half from words in names, half from words in text."""
    rng = random.Random(seed)
    names, texts = _names(records), _texts(records)

    def word(source: list[str], min_length: int) -> str:
        while True:
            words = [w for w in _LETTERS.findall(rng.choice(source)) if len(w) >= min_length]
            if words:
                return rng.choice(words)

    rows: dict[str, list[str]] = {}
    for length, label in ((1, "1-letter prefix"), (2, "2-letter prefix"), (3, "3-letter prefix")):
        rows[label] = [word(names if i % 2 == 0 else texts, length)[:length] for i in range(count)]
    rows["whole word"] = [word(names if i % 2 == 0 else texts, 2) for i in range(count)]
    return rows


class NameOracle:
    """The name ranking search promises, by a full scan of every name: the reference for its order.

    Names compare by (exact name, name starting with the query, first word starting with the
    first word typed, length); equal keys may come in any order.
    """

    def __init__(self, names: Sequence[str]):
        self.entries = []
        for name, n in Counter(names).items():
            folded = _fold(name)
            self.entries.append((folded, _WORD.findall(folded), n))
        self.cache: dict[str, list[tuple]] = {}

    @staticmethod
    def key(text: str, folded: str) -> tuple:
        words = _WORD.findall(_fold(text))
        query = " ".join(words)
        tokens = _WORD.findall(folded)
        return (
            folded != query,  # the whole name typed
            not folded.startswith(query),  # the name starts with it
            not (tokens and tokens[0].startswith(words[0])),  # its first word starts with the first typed
            len(folded),  # then shorter names
        )

    def top(self, text: str, limit: int) -> list[tuple]:
        """The keys of the best `limit` names matching `text`, best first."""
        if text in self.cache:
            return self.cache[text]
        words = _WORD.findall(_fold(text))
        prefix = not text[-1:].isspace()
        ranked = []
        for folded, tokens, n in self.entries:
            if not all(w in tokens for w in words[:-1]):
                continue
            last = words[-1]
            if not any(t.startswith(last) if prefix else t == last for t in tokens):
                continue
            ranked.append((self.key(text, folded), n))
        ranked.sort()
        top: list[tuple] = []
        for key, n in ranked:
            top.extend([key] * min(n, limit - len(top)))
            if len(top) >= limit:
                break
        self.cache[text] = top
        return top


def time_queries(run: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    latencies = []
    for text in queries:
        start = time.perf_counter()
        run(text)
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def check_ranking(ws: Workspace, oracle: NameOracle, queries: Sequence[str]) -> tuple[float, float]:
    """Shares of queries whose name hits all come first, and whose name hits are a full scan's best."""
    first = same = 0
    distinct = sorted(set(queries))
    for text in distinct:
        hits = ws.search(text=text, limit=LIMIT)
        flags = [h.in_name for h in hits]
        first += flags == sorted(flags, reverse=True)
        got = [oracle.key(text, _fold(h.title)) for h in hits if h.in_name]
        same += got == oracle.top(text, LIMIT)
    return first / len(distinct), same / len(distinct)


# --- the table ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clients", type=int, default=10_000, help="synthetic clients (10 contacts, 20 notes each)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="imports and raw inserts to take the median of")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the search queries")
    parser.add_argument("--queries", type=int, default=300, help="queries per search row")
    args = parser.parse_args(argv)

    _log(f"generating {args.clients} synthetic clients (seed {args.seed})…")
    records = synthetic_records(clients=args.clients, seed=args.seed)
    total = sum(len(items) for items in records.values())
    tables = raw_tables(records)

    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        imports, raws = [], []
        path = tmp / "workspace.sqlite"
        for run in range(args.runs):
            raw_path = tmp / f"raw-{run}.sqlite"
            raws.append(time_raw(tables, raw_path))
            raw_mb = _file_mb(raw_path)
            raw_path.unlink()
            if path.exists():
                for stale in tmp.glob("workspace.sqlite*"):
                    stale.unlink()
            seconds, changed = time_import(records, path)
            imports.append(seconds)
            _log(f"run {run + 1}: import {seconds:.2f} s ({changed} changes), raw insert {raws[-1]:.2f} s")
        reimport, rechanged = time_reimport(records, path)
        _log(f"re-import: {reimport:.2f} s, {rechanged} changes")
        size_mb = _file_mb(path)

        queries = draw_queries(records, count=args.queries, seed=args.seed)
        oracle = NameOracle(_names(records))
        ws = Workspace.open(path)
        try:
            with ws.db.reading() as conn:
                dbapi = conn.connection.dbapi_connection
                bare_expr = {t: match_expression(t) for rows in queries.values() for t in rows}

                def bare(text: str) -> None:
                    dbapi.execute(BARE_FTS, (bare_expr[text],)).fetchall()

                for rows in queries.values():  # warm the page cache and the pool
                    for text in rows:
                        bare(text)
            for rows in queries.values():
                for text in rows:
                    ws.search(text=text, limit=LIMIT)

            search_rows = {}
            for label, texts in queries.items():
                p50s, p99s, bare50, bare99 = [], [], [], []
                for _ in range(args.rounds):
                    lat = time_queries(lambda t: ws.search(text=t, limit=LIMIT), texts)
                    p50s.append(_percentile(lat, 50))
                    p99s.append(_percentile(lat, 99))
                    with ws.db.reading() as conn:
                        dbapi = conn.connection.dbapi_connection
                        lat = time_queries(bare, texts)
                    bare50.append(_percentile(lat, 50))
                    bare99.append(_percentile(lat, 99))
                names_first, same_order = check_ranking(ws, oracle, texts)
                search_rows[label] = (
                    statistics.median(p50s),
                    statistics.median(p99s),
                    statistics.median(bare50),
                    statistics.median(bare99),
                    names_first,
                    same_order,
                    len(set(texts)),
                )
                _log(f"{label}: p50 {search_rows[label][0]:.2f} ms, p99 {search_rows[label][1]:.2f} ms")
        finally:
            ws.close()

    counts = ", ".join(f"{len(items):,} {kind}" for kind, items in records.items() if items)
    print(f"\nWorkspace benchmark: {args.clients:,} clients, seed {args.seed}: {total:,} records ({counts})")
    print(
        f"Medians of {args.runs} imports and {args.rounds} passes of {args.queries} queries per search row; "
        f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}\n"
    )
    import_s, raw_s = statistics.median(imports), statistics.median(raws)
    ratio = import_s / raw_s
    header = f"{'measure':<34} {'workspace':>18} {'bare / raw':>18} {'ratio':>7}  {'goal':<13} {'met':<4}"
    print(header)
    print("-" * len(header))
    print(
        f"{'import (records/s)':<34} {total / import_s:>18,.0f} {total / raw_s:>18,.0f} "
        f"{ratio:>6.2f}×  {'≤ 3× raw':<13} {'yes' if ratio <= IMPORT_GOAL else 'NO':<4}"
    )
    print(f"{'import (s)':<34} {import_s:>18.2f} {raw_s:>18.2f}")
    print(
        f"{'re-import, same records (s)':<34} {reimport:>18.2f} {'':>18} {'':>7}  {'0 changes':<13} "
        f"{'yes' if rechanged == 0 else 'NO':<4}"
    )
    for label, (p50, p99, b50, b99, *_checks) in search_rows.items():
        cell = f"{p50:.2f} / {p99:.2f}"
        bare_cell = f"{b50:.3f} / {b99:.3f}"
        print(
            f"{'search ' + label + ' p50/p99 (ms)':<34} {cell:>18} {bare_cell:>18} {p99 / b99:>6.1f}×  "
            f"{'p99 ≤ 16 ms':<13} {'yes' if p99 <= SEARCH_GOAL_MS else 'NO':<4}"
        )
    for label, (*_times, first, same, distinct) in search_rows.items():
        print(
            f"{'  names first / name order exact':<34} {f'{first:.0%} / {same:.0%}':>18} "
            f"{f'({distinct} distinct, {label})':>30}"
        )
    print(f"{'workspace file (MB)':<34} {size_mb:>18.1f} {raw_mb:>18.1f}")
    print(
        "\nraw = one sqlite3 executemany per table in one transaction, same columns (id primary key,"
        " no other index), no FTS, no outbox; bare = " + BARE_FTS + " (unranked)."
        "\nname order exact = the name hits are, in order, the best names of a full scan ranked exact"
        " name, then name starting with the query, then first word starting with the first word"
        " typed, then shorter names (equal ranks in any order)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
