"""The built-in checklist templates (resources/templates/built_in.json): first visit, regular review,
site visit, executive meeting. Every workspace gets them once; the team may edit or delete them."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from companion.core.changes import ChangeSet
from companion.core.seed import resolve_demo
from companion.model.errors import BundleError

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

TEMPLATE_KINDS = ("checklist_template", "checklist_template_item")


def built_in_records() -> dict[str, list[dict]]:
    from companion.model.resources import resources_dir

    path = resources_dir() / "templates" / "built_in.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BundleError(
            f"The built-in templates {path} cannot be read ({exc}); reinstall Companion."
        ) from None
    # Slugs become the same ids on every device, so two laptops adding them meet as one set when synced.
    return resolve_demo(data["records"], today=dt.date.today())


def ensure_built_in_templates(workspace: Workspace) -> ChangeSet:
    """Adds the built-in templates and items the workspace has never had; ones the team edited or
    deleted are left as they are."""
    records = built_in_records()
    missing: dict[str, list[dict]] = {}
    for kind in TEMPLATE_KINDS:
        ids = [r["id"] for r in records[kind]]
        known = workspace.get_many(kind=kind, ids=ids)  # deleted ones too: a deletion is a choice
        wanted = [r for r in records[kind] if r["id"] not in known]
        if kind == "checklist_template_item":
            # An item of a template the team deleted stays away with it.
            live_templates = {
                t
                for t, r in workspace.get_many(
                    kind="checklist_template", ids=[r["template_id"] for r in wanted]
                ).items()
                if r.deleted_at is None
            } | {r["id"] for r in missing.get("checklist_template", [])}
            wanted = [r for r in wanted if r["template_id"] in live_templates]
        if wanted:
            missing[kind] = wanted
    if not missing:
        return ChangeSet((), "")
    return workspace.import_records(records=missing, label="Add the built-in checklist templates")
