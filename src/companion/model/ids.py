"""Record ids (UUIDv7, made on the device) and the timestamps written beside them."""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid


def new_id() -> str:
    """A UUIDv7: time-ordered, so new rows land at the end of indexes, and unique without a server."""
    millis = time.time_ns() // 1_000_000
    value = (millis & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))


def now() -> str:
    """The current UTC time as ISO 8601 text, which sorts as it reads."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
