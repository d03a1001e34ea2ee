"""The sync protocol's messages (DESIGN.md): what laptops and server send each other, validated."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# 2: pushes of up to 2,000 and pages of up to 5,000; a push's reply says whether it was taken as sent.
PROTOCOL_MIN = 2
PROTOCOL_MAX = 2
PUSH_LIMIT = 2000  # mutations in one push
PULL_LIMIT = 5000  # rows in one page of a pull
MAX_BODY_BYTES = 20 * 1024 * 1024
# Numbers of the protocol fit the databases' 64-bit integers and, exactly, a JSON reader's doubles (the
# schema's own bound is compared as a double by generic clients).
MAX_NUMBER = 2**53 - 1


# Headers around the messages (a message's fields are fixed by the protocol version; older peers ignore
# headers they do not know): the team's mark where a reader has read to ("<seq>:<mark>"), the device's last
# acknowledged push, and on a 409 the push the server last holds of the device, when it forgot later ones.
MARK_HEADER = "X-Companion-Mark"
PUSH_SEQ_HEADER = "X-Companion-Push-Seq"
FORGOTTEN_HEADER = "X-Companion-Forgotten"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Hello(_Strict):
    server_id: str
    epoch: str
    protocol_min: int
    protocol_max: int
    schema_version: str
    teams: list[TeamInfo]


class TeamInfo(_Strict):
    id: str
    name: str


class Mutation(_Strict):
    seq: int = Field(
        ge=1, le=MAX_NUMBER, description="The device's push sequence: increasing by one, never reused"
    )
    kind: str = Field(min_length=1, max_length=64)
    id: str = Field(min_length=1, max_length=64)
    op: Literal["upsert", "delete"]
    fields: dict[str, Any] = Field(default_factory=dict)
    base_seq: int = Field(ge=0, le=MAX_NUMBER, description="The record's seq when the device last saw it")
    hlc: str = Field(min_length=1, max_length=64, description="When the edit was made (UTC, sortable)")
    created_at: str | None = Field(default=None, max_length=64)


class PushRequest(_Strict):
    device_id: str = Field(min_length=1, max_length=64)
    team_id: str = Field(min_length=1, max_length=64)
    mutations: list[Mutation] = Field(max_length=PUSH_LIMIT)


class MutationResult(_Strict):
    seq: int
    record_seq: int | None = None
    applied: list[str] = Field(default_factory=list)
    conflicts: list[str] = Field(default_factory=list)
    replayed: bool = False


class PushResponse(_Strict):
    results: list[MutationResult]
    last_seq: int
    clean: bool = Field(
        default=False,
        description="Every mutation was applied exactly as sent: no conflict, merge or replay",
    )
    cursor_before: int | None = Field(default=None, description="The team's sequence before this push")
    cursor_after: int | None = Field(default=None, description="The team's sequence after this push")


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ReceiptLine(_Lenient):
    seq: int
    record_seq: int | None = None


class PushReceipt(_Lenient):
    """What a laptop reads of a PushResponse: only what it acts on (validating the whole reply of a
    2,000-record push costs three times as much)."""

    results: list[ReceiptLine]
    last_seq: int
    clean: bool = False
    cursor_before: int | None = None
    cursor_after: int | None = None


class PullRequest(_Strict):
    team_id: str = Field(min_length=1, max_length=64)
    cursor: int = Field(ge=0, le=MAX_NUMBER)
    limit: int = Field(default=PULL_LIMIT, ge=1, le=PULL_LIMIT)


class Row(_Strict):
    kind: str
    id: str
    seq: int
    fields: dict[str, Any]
    created_at: str
    updated_at: str
    deleted_at: str | None = None


class Conflict(_Strict):
    id: str
    seq: int
    kind: str
    record_id: str
    field: str
    reason: Literal["concurrent_edit", "edit_after_delete", "delete_after_edit", "possible_duplicate"]
    base: Any = None
    kept: Any = None
    other: Any = None
    other_device: str | None = None
    resolved: bool = False


class PullResponse(_Strict):
    rows: list[Row]
    conflicts: list[Conflict]
    cursor: int
    more: bool


class PullPage(_Lenient):
    """What a laptop reads of a PullResponse: rows stay plain JSON objects, checked as they are written
    (core/remote.py sets aside what it cannot read); validating 5,000 rows as models costs more."""

    rows: list[Any]
    conflicts: list[Conflict]
    cursor: int = Field(ge=0)
    more: bool


class Resolution(_Strict):
    team_id: str = Field(min_length=1, max_length=64)
    conflict_id: str = Field(min_length=1, max_length=64)
    value: Any = None


class Problem(_Strict):
    detail: str


Hello.model_rebuild()
