"""The JSON bundle: a whole workspace, or one client, as a file people can move and re-import."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from companion import __version__
from companion.core.changes import ChangeSet
from companion.core.service import Workspace
from companion.model.errors import BundleError
from companion.model.ids import now

FORMAT = "companion-bundle"
VERSION = 1


def shareable(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """What may leave the laptop: everything but notes marked private, which never appear in an export."""
    kept = dict(records)
    notes = [n for n in kept.pop("note", []) if n.get("privacy") != "private"]
    if notes:
        kept["note"] = notes
    return {kind: kept[kind] for kind in records if kind in kept}


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
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".part", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(bundle, fh, ensure_ascii=False, indent=1, sort_keys=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sum(len(items) for items in bundle["records"].values())


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
