"""Records written by hand in resources (the demo, the built-in templates): slugs become ids, "today±N" dates."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping

from companion.model.errors import BundleError
from companion.model.kinds import KINDS_BY_NAME

# Demo slugs become the same UUIDs everywhere, so loading the demo twice changes nothing.
DEMO_NAMESPACE = uuid.UUID("6f1d3a52-8c0e-4b7e-9a55-3c2f7d1e0b11")
_RELATIVE = re.compile(r"^today(?:([+-])(\d+))?(?:T(\d{2}):(\d{2}))?$")


def slug_id(slug: str) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, slug))


def _relative(value: str, today: dt.date, *, moment: bool = False) -> str | None:
    """A "today±N" as a date; with a time ("T09:30") a local date and time; a bare day where a moment
    belongs (`moment`) is that day's midnight in UTC, the form an all-day meeting's days take."""
    match = _RELATIVE.match(value)
    if not match:
        return None
    sign, days, hour, minute = match.groups()
    day = today + dt.timedelta(days=int(days or 0) * (-1 if sign == "-" else 1))
    if hour is None:
        if moment:
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).isoformat()
        return day.isoformat()
    local = dt.datetime(day.year, day.month, day.day, int(hour), int(minute)).astimezone()
    return local.isoformat()


def resolve_demo(records: Mapping[str, list[dict]], *, today: dt.date) -> dict[str, list[dict]]:
    """Turns the demo file's slugs into ids and its "today±N" dates into real dates."""
    resolved: dict[str, list[dict]] = {}
    for kind_name, items in records.items():
        kind = KINDS_BY_NAME.get(kind_name)
        if kind is None:
            raise BundleError(f"The demo file names an unknown kind '{kind_name}'.")
        out = []
        for item in items:
            record = {"id": slug_id(item["id"])}
            for name, value in item.items():
                f = kind.field(name)
                if name == "id" or f is None:
                    if name != "id":
                        record[name] = value  # let validation name the unknown field
                    continue
                if f.type == "ref" and isinstance(value, str):
                    value = slug_id(value)
                elif f.type == "refs" and isinstance(value, list):
                    value = [slug_id(v) for v in value]
                elif f.type in ("date", "datetime") and isinstance(value, str):
                    value = _relative(value, today, moment=f.type == "datetime") or value
                record[name] = value
            out.append(record)
        resolved[kind_name] = out
    return resolved
