"""The JSON bundle: a whole workspace, or one client, as a file people can move and re-import."""

from __future__ import annotations

import json
import re
from pathlib import Path

from companion import __version__
from companion.core.changes import ChangeSet
from companion.core.service import Workspace
from companion.interchange.text_files import read_file
from companion.model.errors import BundleError
from companion.model.files import write_whole
from companion.model.ids import now
from companion.model.kinds import get_kind

FORMAT = "companion-bundle"
VERSION = 1
# Bounds on a file read as a bundle, well past any Companion writes: its size, how deep its JSON nests (a
# bundle is 5 deep: the bundle, its records, a kind's list, a record, a list value) and a number's digits.
MAX_BYTES = 2**31
BUNDLE_DEPTH = 5
MAX_DEPTH = 32
MAX_DIGITS = 100
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # unrolled: an alternation per character is 7 times slower
_LONG_DIGITS = re.compile(rf"[0-9]{{{MAX_DIGITS + 1},}}")
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIRS = re.compile(r"\[\]|\{\}")


def shareable(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """What may leave the laptop: everything but records marked private (a kind's privacy field), which
    never appear in an export."""
    kept = {}
    for kind_name, items in records.items():
        kind = get_kind(kind_name)
        items = [r for r in items if not kind.is_private(r)]
        if items:
            kept[kind_name] = items
    return kept


def private_phrase(records: dict[str, list[dict]]) -> str:
    """What `shareable` leaves out, for a person: "2 private notes" ("" when nothing)."""
    counts = {}
    for kind_name, items in records.items():
        kind = get_kind(kind_name)
        if private := sum(1 for r in items if kind.is_private(r)):
            counts[kind] = private
    return ", ".join(
        f"{n} private {kind.label.lower() if n == 1 else kind.plural.lower()}" for kind, n in counts.items()
    )


def export_bundle(workspace: Workspace, *, client_id: str | None = None) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "app_version": __version__,
        "exported_at": now(),
        "records": whole(shareable(workspace.export_records(client_id=client_id))),
    }


def whole(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Every record with every field of its kind, null where empty: imported over a record it replaces it
    whole (an import refuses a record that leaves out a field the workspace holds a value in)."""
    result = {}
    for kind_name, items in records.items():
        names = get_kind(kind_name).field_names
        result[kind_name] = [
            {
                "id": item["id"],
                **{stamp: item[stamp] for stamp in ("created_at", "updated_at") if stamp in item},
                **{name: item.get(name) for name in names},
            }
            for item in items
        ]
    return result


def write_bundle(workspace: Workspace, path: Path, *, client_id: str | None = None) -> int:
    """Writes the bundle atomically (a crash never leaves half a file); returns the record count."""
    path = Path(path)
    bundle = export_bundle(workspace, client_id=client_id)  # a missing folder: write_whole says so (exit 1)
    write_whole(path, lambda part: _dump(bundle, part))
    return sum(len(items) for items in bundle["records"].values())


def _dump(bundle: dict, part: Path) -> None:
    with part.open("w", encoding="utf-8") as fh:  # streamed: a large workspace is never one string
        json.dump(bundle, fh, ensure_ascii=False, indent=1, sort_keys=False)
        fh.write("\n")


def read_bundle(path: Path) -> dict:
    """The bundle's records by kind, or BundleError saying what is wrong with the file.

    Only a regular file is opened (a named pipe would wait for a writer forever, a device never end), of at
    most MAX_BYTES; its nesting and its numbers are bounded before the JSON is parsed, since Python's reader
    recurses once per level and refuses integers of over 4,300 digits with a traceback."""
    path = Path(path)
    data = read_file(path, max_bytes=MAX_BYTES, expected="a bundle (a .json file)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError(
            f"{path} is not UTF-8 text (byte {exc.start}): it is not a bundle Companion wrote."
        ) from None
    _check_shape(text, source=str(path))
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BundleError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except (RecursionError, ValueError) as exc:  # what the bounds above keep out; never a traceback
        raise BundleError(f"{path} cannot be read as a bundle: {exc}.") from None
    return parse_bundle(parsed, source=str(path))


def _check_shape(text: str, *, source: str) -> None:
    """Refuses JSON nested deeper than MAX_DEPTH or holding a number of more than MAX_DIGITS digits, from a
    scan of the text outside its strings (regular expressions: a pass per level of nesting)."""
    outside = _STRINGS.sub('""', text)
    if found := _LONG_DIGITS.search(outside):
        raise BundleError(
            f"{source} holds a number of {len(found.group()):,} digits; a bundle's numbers have at most "
            f"{MAX_DIGITS}: it is not a bundle Companion wrote."
        )
    brackets = _NOT_BRACKETS.sub("", outside)
    depth = 0
    while brackets and depth <= MAX_DEPTH:
        inner = _EMPTY_PAIRS.sub("", brackets)
        if inner == brackets:
            break  # brackets that do not match: the JSON reader names where, unless they run too deep
        brackets, depth = inner, depth + 1
    if depth > MAX_DEPTH:
        raise BundleError(
            f"{source} is nested more than {MAX_DEPTH} levels deep; a bundle is {BUNDLE_DEPTH}: "
            "it is not a bundle Companion wrote."
        )
    # What is left are brackets that do not match: the reader could go one level deeper for each opening one.
    if depth + brackets.count("[") + brackets.count("{") > MAX_DEPTH:
        raise BundleError(
            f"{source} is not valid JSON: its brackets do not match, and it may nest more than {MAX_DEPTH} "
            "levels deep; it is not a bundle Companion wrote."
        )


def parse_bundle(data: object, *, source: str = "The bundle") -> dict:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(f'{source} is not a Companion bundle (no "format": "{FORMAT}").')
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BundleError(
            f"{source} has no valid bundle version (found {version!r}); it is not a bundle Companion wrote."
        )
    if version > VERSION:
        raise BundleError(
            f"{source} is bundle version {version}; this Companion reads up to version {VERSION}. Update Companion."
        )
    records = data.get("records")
    if not isinstance(records, dict):
        raise BundleError(f'{source} has no "records" object.')
    return records


def import_bundle(workspace: Workspace, path: Path) -> ChangeSet:
    records = read_bundle(path)
    return workspace.import_records(records=records, label=f"Import {Path(path).name}")
