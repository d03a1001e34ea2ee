"""When knowledge is old enough to be checked again: a site's security and arrival notes."""

from __future__ import annotations

import datetime as dt

from companion.core.changes import Record

# Site security notes older than this get a warning: gate rules change.
SITE_STALE_DAYS = 180


def site_is_stale(site: Record, *, today: dt.date | None = None) -> bool:
    verified = site["last_verified"]
    if verified is None:
        return True
    today = today or dt.date.today()
    return (today - dt.date.fromisoformat(str(verified))).days > SITE_STALE_DAYS
