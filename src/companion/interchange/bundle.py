"""The JSON bundle: a whole workspace, or one client, as a file people can move and re-import."""

from __future__ import annotations

import json
from pathlib import Path

from companion import __version__
from companion.core.changes import ChangeSet
from companion.core.service import Workspace
from companion.model.errors import BundleError
from companion.model.files import write_whole
from companion.model.ids import now
from companion.model.kinds import get_kind

FORMAT = "companion-bundle"
VERSION = 1


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
        "records": shareable(workspace.export_records(client_id=client_id)),
    }


def write_bundle(workspace: Workspace, path: Path, *, client_id: str | None = None) -> int:
    """Writes the bundle atomically (a crash never leaves half a file); returns the record count."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BundleError(f"Cannot write {path}: the folder {path.parent} does not exist.")
    bundle = export_bundle(workspace, client_id=client_id)
    write_whole(path, lambda part: _dump(bundle, part))
    return sum(len(items) for items in bundle["records"].values())


def _dump(bundle: dict, part: Path) -> None:
    with part.open("w", encoding="utf-8") as fh:  # streamed: a large workspace is never one string
        json.dump(bundle, fh, ensure_ascii=False, indent=1, sort_keys=False)
        fh.write("\n")


def read_bundle(path: Path) -> dict:
    """The bundle's records by kind, or BundleError saying what is wrong with the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BundleError(f"There is no file {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BundleError(f"{path} cannot be read: {exc}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BundleError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    return parse_bundle(data, source=str(path))


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
