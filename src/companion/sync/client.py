"""The laptop's side of a sync: hello, push the outbox in numbered batches, pull pages until current.

A batch is written down before it is sent, so a lost reply is retried with the same numbers (the server
answers a replay from what it stored); the outbox only shrinks once the server has the batch.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import orjson

from companion.core.bulk import cycle_collector_paused
from companion.core.service import Workspace
from companion.model.errors import CompanionError
from companion.model.kinds import KINDS, KINDS_BY_NAME
from companion.model.reference_order import references_of
from companion.sync import wire
from companion.sync.lock import exclusive_sync

TIMEOUT = httpx.Timeout(30.0, connect=5.0)
OUTBOX_WINDOW = 4 * wire.PUSH_LIMIT


class SyncError(CompanionError):
    """The sync could not go on; nothing local was lost, the outbox is kept for the next try.

    Its message is Companion's own words; what the HTTP library said is only its last line
    ("Details: …"), kept apart in `detail`."""

    def __init__(self, message: str, *, detail: str = ""):
        super().__init__(f"{message}\nDetails: {detail}" if detail else message)
        self.message = message
        self.detail = detail


class IncompatibleServer(SyncError):
    """The server speaks a protocol this version does not."""


class ServerForgot(SyncError):
    """The server does not hold what it acknowledged to this laptop: it was restored from a backup.

    `last_seq` is this laptop's last push it still holds."""

    def __init__(self, message: str, *, last_seq: int):
        super().__init__(message)
        self.last_seq = last_seq


KEPT = "Nothing is lost: your edits are kept and will go next time."


def is_loopback(server: str) -> bool:
    """Whether the server's address is this computer itself (nothing leaves it)."""
    host = (urlsplit(server).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_transport(server: str, *, allow_http: bool) -> None:
    """Refuses to send a device token over plain http to another computer unless a person allowed it."""
    scheme = urlsplit(server).scheme.lower()
    if scheme == "https" or (scheme == "http" and (allow_http or is_loopback(server))):
        return
    if scheme != "http":
        raise SyncError(f"{server} is not a web address Companion syncs with: it starts with https://.")
    raise SyncError(
        f"{server} is plain http: your device token and records would cross the network unencrypted, "
        "readable by anyone on the way. Use the server's https:// address. If this network is yours and "
        "trusted, allow plain http (the connect dialog's checkbox, or `companion sync login --allow-http`)."
    )


def unreachable(server: str, exc: httpx.HTTPError, then: str = KEPT) -> SyncError:
    """An HTTP failure in words (the server could not be reached: is it running, is the address right);
    the library's own text ("[Errno 111] Connection refused") only as the details line."""
    server = server.rstrip("/")
    if isinstance(exc, httpx.UnsupportedProtocol):
        what = f"A sync server's address starts with https:// (or http://); “{server}” does not."
    elif isinstance(exc, httpx.ConnectError):
        what = (
            f"Companion could not reach the sync server at {server}: it did not answer. "
            "Is the server running, and is the address right? Are you online?"
        )
    elif isinstance(exc, httpx.TimeoutException):
        what = f"The sync server at {server} did not answer in time: it may be busy, or the network slow."
    else:  # the connection broke off mid-way (the server stopped, a proxy cut it)
        what = f"The sync server at {server} did not answer: the connection broke off."
    return SyncError(f"{what} {then}", detail=str(exc).strip() or type(exc).__name__)


@dataclass
class SyncSummary:
    pushed: int = 0
    pulled: int = 0
    deleted: int = 0
    conflicts: int = 0  # open ones known to this laptop after the sync
    new_conflicts: int = 0
    set_aside: int = 0  # records from the server this laptop could not store, after the sync
    messages: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"pushed {self.pushed}, pulled {self.pulled}"
            + (f" ({self.deleted} deleted)" if self.deleted else "")
            + f", conflicts {self.conflicts}"
            + (f", {self.set_aside} set aside" if self.set_aside else "")
        )


def _unreadable_answer(message: str, exc: ValueError) -> SyncError:
    """A server's answer this version cannot read: Companion's words, and what was wrong with it in one
    line under them (pydantic's own text runs to several, with links)."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors(include_url=False)
        detail = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in found)
    else:
        detail = " ".join(str(exc).split())
    return SyncError(message, detail=detail)


def _meta_json(ws: Workspace, key: str, default):
    value = ws.meta(key=key)
    return json.loads(value) if value else default


def _build_batch(
    ws: Workspace, entries: list[dict], *, next_seq: int
) -> tuple[list[dict], list[int], int] | None:
    """The next mutations from outbox `entries` (at most PUSH_LIMIT records), the outbox id each one's
    first entry has, and the outbox id they reach up to (exclusive)."""
    if not entries:
        return None
    groups: dict[str, list[dict]] = {}
    cut = entries[-1]["mutation_id"] + 1
    for entry in entries:
        if entry["record_id"] not in groups and len(groups) >= wire.PUSH_LIMIT:
            cut = entry["mutation_id"]
            break
        groups.setdefault(entry["record_id"], []).append(entry)
    by_kind: dict[str, list[str]] = {}
    for record_id, group in groups.items():
        by_kind.setdefault(group[-1]["kind"], []).append(record_id)
    current: dict[str, dict] = {}
    for kind, ids in by_kind.items():
        current.update(ws.rows_of(kind=kind, ids=ids))  # one read per kind, deleted ones included
    mutations, starts = [], []
    for record_id, group in groups.items():
        last = group[-1]
        op = last["op"]
        if len(group) == 1:  # the usual case, and all of a first sync: no merging of entries
            names = last["fields"] if op == "upsert" else ()
            base_seq, hlc = int(last["base_seq"]), str(last["changed_at"])
        else:
            names = sorted({name for e in group if e["op"] == "upsert" for name in e["fields"]})
            base_seq = min(int(e["base_seq"]) for e in group)
            hlc = max(str(e["changed_at"]) for e in group)
        values: dict[str, object] = {}
        created_at = None
        row = current.get(record_id)
        if op == "upsert" and row is not None:
            created_at = row["created_at"]
            values = {name: row.get(name) for name in names}  # deleted_at is a column too
        elif row is not None:
            # A delete carries the values: a server that never had the record keeps it deleted with
            # them, so what listed it still finds it and an undo brings it back whole.
            created_at = row["created_at"]
            values = _values_of(last["kind"], row)
        starts.append(group[0]["mutation_id"])
        mutations.append(
            {
                "seq": next_seq + len(mutations), "kind": last["kind"], "id": record_id, "op": op,
                "fields": values, "base_seq": base_seq, "hlc": hlc, "created_at": created_at,
            }
        )  # fmt: skip
    return mutations, starts, cut


def _values_of(kind_name: str, row: dict) -> dict:
    """A stored row's set values, as a record new to the server is sent."""
    kind = KINDS_BY_NAME.get(kind_name)
    return {n: row[n] for n in (kind.field_names if kind else ()) if row.get(n) is not None}


# Each batch sent and not yet acknowledged is kept under its own key: "<prefix><first seq>" holding
# "<outbox cut>\n<its mutations as JSON>". (One release kept a single batch as JSON under LEGACY_PENDING.)
# The request around them is made at each send: the device and the team are those of that moment.
PENDING_PREFIX = "sync_pending:"
# The mark of the team's history this laptop has read to (wire.MARK_HEADER), as the server gave it.
MARK = "sync_mark"
LEGACY_PENDING = "sync_pending"


@dataclass
class _PendingBatch:
    key: str
    cut: int  # the outbox entries before this mutation id are in the batch
    encoded: bytes  # the mutations as JSON, exactly as written down
    mutations: list[dict]


def _written_down(batch: _PendingBatch) -> dict[str, str]:
    """The workspace meta that holds a batch until the server has it."""
    return {batch.key: f"{batch.cut}\n{batch.encoded.decode()}"}


def pending_batches(ws: Workspace) -> list[_PendingBatch]:
    """Batches written down and not yet acknowledged by the server, oldest first."""
    found = []
    legacy = ws.meta(key=LEGACY_PENDING)
    if legacy is not None:
        held = json.loads(legacy)
        mutations = held["mutations"]
        found.append(_PendingBatch(LEGACY_PENDING, int(held["cut"]), orjson.dumps(mutations), mutations))
    for key, value in ws.meta_items(prefix=PENDING_PREFIX).items():
        cut, encoded = value.split("\n", 1)
        found.append(_PendingBatch(key, int(cut), encoded.encode(), orjson.loads(encoded)))
    return found


class _OutboxWindow:
    """The outbox's head, read a window at a time (a first sync of 450,000 records stays small in
    memory) and used up batch by batch."""

    def __init__(self, ws: Workspace, *, after: int):
        self.ws, self.after = ws, after
        self.entries: list[dict] = []
        self.more = True

    def head(self) -> list[dict]:
        if len(self.entries) < wire.PUSH_LIMIT and self.more:
            self.entries = self.ws.outbox(limit=OUTBOX_WINDOW, after=self.after)
            self.more = len(self.entries) == OUTBOX_WINDOW
        return self.entries

    def consumed(self, cut: int) -> None:
        self.after = cut
        self.entries = [e for e in self.entries if e["mutation_id"] >= cut]


class SyncClient:
    """One server and team for one workspace; `sync()` runs a whole cycle."""

    def __init__(
        self,
        ws: Workspace,
        *,
        server: str,
        token: str,
        team_id: str,
        http: httpx.Client | None = None,
        pull_limit: int = wire.PULL_LIMIT,
    ):
        self.ws = ws
        self.team_id = team_id
        self.pull_limit = pull_limit
        self.http = http or httpx.Client(base_url=server.rstrip("/"), timeout=TIMEOUT)
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.device_id = str(ws.meta(key="device_id"))
        self.http.headers["X-Device-Id"] = self.device_id

    def _post(self, path: str, body: dict) -> dict:
        return json.loads(self._send(path, orjson.dumps(body)).content)

    def _send(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
        try:
            reply = self.http.post(
                path, content=body, headers={"Content-Type": "application/json", **(headers or {})}
            )
        except httpx.HTTPError as exc:
            raise unreachable(str(self.http.base_url), exc) from None
        if reply.status_code >= 400:
            raise self._refusal(reply)
        return reply

    def _refusal(self, reply: httpx.Response) -> SyncError:
        try:
            detail = reply.json().get("detail", reply.text)
        except ValueError:
            detail = reply.text
        if reply.status_code == 401:
            return SyncError(f"The server does not accept this device's token ({detail}). Log in again.")
        forgotten = reply.headers.get(wire.FORGOTTEN_HEADER, "")
        if reply.status_code == 409 and forgotten.isdigit():
            return ServerForgot(
                f"The server has forgotten some of this laptop's sync ({detail}).", last_seq=int(forgotten)
            )
        if reply.status_code == 403:
            return SyncError(
                "The server refused this team: you may no longer be a member. "
                "Your edits stay on this laptop; export them if you need them elsewhere."
            )
        return SyncError(f"The server refused the sync ({reply.status_code}): {detail}")

    def hello(self) -> wire.Hello:
        try:
            reply = self.http.get("/v1/sync/hello")
        except httpx.HTTPError as exc:
            raise unreachable(str(self.http.base_url), exc) from None
        if reply.status_code >= 400:
            raise self._refusal(reply)
        hello = wire.Hello.model_validate(reply.json())
        if hello.protocol_max < wire.PROTOCOL_MIN or hello.protocol_min > wire.PROTOCOL_MAX:
            raise IncompatibleServer(
                f"The server speaks sync protocol {hello.protocol_min}–{hello.protocol_max}; this Companion speaks "
                f"{wire.PROTOCOL_MIN}–{wire.PROTOCOL_MAX}. Update one of them; your edits are kept meanwhile."
            )
        if self.team_id not in {t.id for t in hello.teams}:
            raise SyncError(
                "You are not a member of this team on the server (any more). Your edits stay on this laptop; "
                "export them if you need them elsewhere."
            )
        return hello

    def sync(
        self, *, allow_deletes: bool = False, progress: Callable[[str, int], None] | None = None
    ) -> SyncSummary:
        # A first sync moves batches of thousands of records through memory: without the pause the
        # cycle collector walked everything alive a dozen times for nothing (a seventh of a first push).
        with exclusive_sync(self.ws.path), cycle_collector_paused():
            return self._sync(allow_deletes, progress)

    def _sync(self, allow_deletes: bool, progress: Callable[[str, int], None] | None) -> SyncSummary:
        summary = SyncSummary()
        hello = self.hello()
        held = self.ws.metas(keys=["sync_epoch", "sync_server_id", "sync_team"])
        known_epoch = held.get("sync_epoch")
        if known_epoch is not None and (
            known_epoch != hello.epoch or held.get("sync_server_id") != hello.server_id
        ):
            # A restored or replaced server: read everything again; never take its gaps as deletions.
            summary.messages.append("The server was restored or replaced: reading everything from it again.")
            dropped = {key: None for key in self.ws.meta_items(prefix=PENDING_PREFIX)}
            self.ws.set_meta(
                values={"sync_cursor": "0", "sync_push_seq": "0", LEGACY_PENDING: None, **dropped}
            )
        server = {"sync_epoch": hello.epoch, "sync_server_id": hello.server_id, "sync_team": self.team_id}
        if any(held.get(key) != value for key, value in server.items()):
            self.ws.set_meta(values=server)
        try:
            summary.pushed = self._push(progress)
            pulled, deleted = self._pull(allow_deletes, progress)
        except ServerForgot as forgot:
            resent = self._resend_what_the_server_lost(forgot.last_seq)
            summary.messages.append(
                "The server was restored from a backup and had lost some of the team's work: "
                f"this laptop sent {resent} {'record' if resent == 1 else 'records'} to it again."
            )
            summary.pushed = self._push(progress)
            pulled, deleted = self._pull(allow_deletes, progress)
        summary.pulled, summary.deleted = pulled, deleted
        conflicts = open_conflicts(self.ws)
        summary.conflicts = len(conflicts)
        summary.set_aside = len(self.ws.set_aside())
        return summary

    def _push(self, progress) -> int:
        pushed = self._push_batches(progress)
        # What the server acknowledged batch by batch leaves the outbox's table together, and what a
        # push cut short left with the next sync (one read when there is none: an idle sync writes nothing).
        self.ws.forget_acknowledged()
        return pushed

    def _push_batches(self, progress) -> int:
        queue = pending_batches(self.ws)
        # Records that go in this sync's batches: what later batches point at may count on them.
        self._sent: set[str] = {m["id"] for batch in queue for m in batch.mutations}
        if queue:
            next_seq = queue[-1].mutations[-1]["seq"] + 1
        else:
            next_seq = int(self.ws.meta(key="sync_push_seq") or 0) + 1
        window = _OutboxWindow(self.ws, after=queue[-1].cut if queue else 0)
        pushed = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as sender:
            sending = None
            while True:
                if sending is None:
                    if not queue:
                        batch = self._prepare(window, next_seq)
                        if batch is None:
                            return pushed
                        self._write_down(batch)
                        queue.append(batch)
                        next_seq += len(batch.mutations)
                    sending = sender.submit(
                        self._send, "/v1/sync/push", self._request(queue[0]), self._mark_header()
                    )
                if len(queue) < 2:
                    # The next batch is made and written down while this one travels; it goes after.
                    batch = self._prepare(window, next_seq)
                    if batch is not None:
                        self._write_down(batch)
                        queue.append(batch)
                        next_seq += len(batch.mutations)
                answer = sending.result()
                done = queue.pop(0)
                # The next batch leaves before this one's receipt is read and its bookkeeping done: the
                # server works meanwhile (it was written down before it was first sent).
                sending = (
                    sender.submit(self._send, "/v1/sync/push", self._request(queue[0]), self._mark_header())
                    if queue
                    else None
                )
                try:
                    reply = wire.PushReceipt.model_validate_json(answer.content)
                except ValueError as exc:  # pydantic's ValidationError is one
                    raise _unreadable_answer(
                        "The server's answer to a push is not one this version reads. Your edits are kept "
                        "and go with the next sync.",
                        exc,
                    ) from None
                # The one after it is made meanwhile too, and written down with this one's
                # acknowledgement: one commit on the laptop for both.
                upcoming = self._prepare(window, next_seq) if queue else None
                self._acknowledge(done, reply, answer.headers.get(wire.MARK_HEADER), upcoming)
                if upcoming is not None:
                    queue.append(upcoming)
                    next_seq += len(upcoming.mutations)
                pushed += len(done.mutations)
                if progress:
                    progress("push", pushed)

    def _prepare(self, window: _OutboxWindow, next_seq: int) -> _PendingBatch | None:
        """The next batch from the outbox, to be written down before it is sent (`_write_down`): a retry
        after a lost reply sends the very same batch with the same numbers."""
        built = _build_batch(self.ws, window.head(), next_seq=next_seq)
        if built is None:
            return None
        mutations, starts, cut = built
        while True:
            brought = self._targets_not_sent(mutations)
            whole = mutations + brought
            encoded = orjson.dumps(whole)
            if len(mutations) == 1 or (
                len(whole) <= wire.PUSH_LIMIT and len(encoded) <= wire.MAX_BODY_BYTES // 2
            ):
                break
            # Long texts, or targets brought along: half as many records, until the request is well
            # within the server's limits.
            half = len(mutations) // 2
            mutations, cut = mutations[:half], starts[half]
        if brought:
            # Numbered after the batch's own (the server checks references once the push is applied,
            # so the order within a push does not matter).
            for number, m in enumerate(brought, start=next_seq + len(mutations)):
                m["seq"] = number
            encoded = orjson.dumps(whole)
        window.consumed(cut)
        self._sent.update(m["id"] for m in whole)
        return _PendingBatch(f"{PENDING_PREFIX}{next_seq:012d}", cut, encoded, whole)

    def _write_down(self, batch: _PendingBatch) -> None:
        self.ws.set_meta(values=_written_down(batch))

    def _targets_not_sent(self, mutations: list[dict]) -> list[dict]:
        """Records the batch points at that the server does not have and no earlier batch carries: made
        here and queued only beyond this batch (an edit pointed at them later). They go along, as they
        are now, so the server finds every reference the push makes; their own edits still go later.

        A target is on the server when it has a number from it, went in a batch of this sync, or has
        nothing queued (it went in an earlier sync); otherwise it is new when its first queued edit
        grew from nothing (base 0)."""
        in_batch = {m["id"] for m in mutations}
        brought: list[dict] = []
        pending = list(mutations)
        while pending:
            wanted: dict[str, set[str]] = {}
            for m in pending:
                kind = KINDS_BY_NAME.get(m["kind"])
                values = m["fields"]
                for f in kind.reference_fields if kind is not None else ():
                    if values.get(f.name) is None:
                        continue  # most references are unset: no need to ask for their targets
                    for target in references_of((f,), values):
                        if target not in in_batch and target not in self._sent:
                            wanted.setdefault(f.ref_kind, set()).add(target)
            pending = []
            if not wanted:
                break
            every = sorted(t for targets in wanted.values() for t in targets)
            queued = self.ws.first_queued(record_ids=every)
            for kind_name, targets in wanted.items():
                unsent = [t for t in targets if t in queued and queued[t][1] == 0]
                for record_id, row in self.ws.rows_of(kind=kind_name, ids=sorted(unsent)).items():
                    if row.get("row_seq") or record_id in in_batch:
                        continue
                    m = {
                        "seq": 0, "kind": kind_name, "id": record_id,
                        "op": "delete" if row["deleted_at"] else "upsert",
                        "fields": _values_of(kind_name, row), "base_seq": 0,
                        "hlc": str(row["updated_at"]), "created_at": row["created_at"],
                    }  # fmt: skip
                    in_batch.add(record_id)
                    brought.append(m)
                    pending.append(m)
        return brought

    def _mark_header(self) -> dict[str, str]:
        """The mark of the team's history this laptop has read to: a push to a server that lost it is
        refused, and the laptop sends again what the server lost."""
        mark = self.ws.meta(key=MARK)
        return {wire.MARK_HEADER: mark} if mark else {}

    def _request(self, batch: _PendingBatch) -> bytes:
        """The push request for a batch: its mutations spliced in as written down (encoded once)."""
        around = orjson.dumps({"device_id": self.device_id, "team_id": self.team_id, "mutations": None})
        return around.removesuffix(b"null}") + batch.encoded + b"}"

    def _acknowledge(
        self, done: _PendingBatch, reply: wire.PushReceipt, mark: str | None, upcoming: _PendingBatch | None
    ) -> None:
        """The server has `done`: its entries leave the outbox, and `upcoming` (not sent yet) is written
        down in the same transaction."""
        meta = {done.key: None, "sync_push_seq": str(reply.last_seq)}
        if upcoming is not None:
            meta.update(_written_down(upcoming))
        row_seqs: dict[str, list[tuple[int, str, str]]] = {}
        if reply.clean and reply.cursor_before == int(self.ws.meta(key="sync_cursor") or 0):
            # Nothing reached the server since this laptop last read it, and the server took every
            # edit as sent: it now holds what this laptop holds, so there is nothing to read back.
            meta["sync_cursor"] = str(reply.cursor_after)
            if mark:
                meta[MARK] = mark
            for sent, result in zip(done.mutations, reply.results, strict=True):
                if result.record_seq is not None:
                    row_seqs.setdefault(sent["kind"], []).append(
                        (result.record_seq, self.team_id, sent["id"])
                    )
        self.ws.acknowledge_push(before_mutation=done.cut, meta=meta, row_seqs=row_seqs)

    def _fetch_page(self, cursor: int, known: dict[str, str]) -> tuple[wire.PullPage, str | None]:
        """A page after `cursor`, and the mark of the team's history where it ends. `known` (headers:
        this laptop's last push and mark) has the server say whether it forgot any of it."""
        body = {"team_id": self.team_id, "cursor": cursor, "limit": self.pull_limit}
        reply = self._send("/v1/sync/pull", orjson.dumps(body), known)
        try:
            page = wire.PullPage.model_validate(orjson.loads(reply.content))
        except ValueError as exc:  # pydantic's ValidationError and orjson's JSONDecodeError are both
            raise _unreadable_answer(
                "The server's answer is not a page of records this version reads.", exc
            ) from None
        # A row this version cannot read is set aside when the page is written (core/remote.py), not
        # a reason to stop: the rest of the team's work still arrives.
        return page, reply.headers.get(wire.MARK_HEADER)

    def _known(self, mark: str | None, push_seq: str) -> dict[str, str]:
        known = {wire.PUSH_SEQ_HEADER: push_seq}
        if mark:
            known[wire.MARK_HEADER] = mark
        return known

    def _resend_what_the_server_lost(self, last_seq: int) -> int:
        """The server was restored from a backup: reads what it holds now, queues again whatever it lacks
        or holds in another version than this laptop, and starts over from its history's beginning;
        the count queued."""
        held: set[str] = set()
        differing: set[str] = set()
        cursor, more = 0, True
        while more:
            page, _mark = self._fetch_page(cursor, {})
            found, changed = self.ws.differing_from_server(rows=page.rows)
            held |= found
            differing |= changed
            cursor, more = page.cursor, page.more
        dropped = {key: None for key in self.ws.meta_items(prefix=PENDING_PREFIX)}
        return self.ws.resend_what_the_server_lost(
            held=held,
            differing=differing,
            meta={
                "sync_cursor": "0", "sync_push_seq": str(last_seq), MARK: None, LEGACY_PENDING: None,
                **dropped,
            },
        )  # fmt: skip

    def _pull(self, allow_deletes: bool, progress) -> tuple[int, int]:
        pulled = deleted = inserted = 0
        # The laptop's live records before this pull: counted only once a page deletes anything
        # (counting 100,000s costs an idle sync dearly), less what earlier pages added.
        live = None
        held = self.ws.metas(keys=[MARK, "sync_cursor", "sync_push_seq"])
        mark = held_mark = held.get(MARK)
        push_seq = held.get("sync_push_seq") or "0"  # a pull writes no push number: read once
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as fetcher:
            cursor = int(held.get("sync_cursor") or 0)
            coming = fetcher.submit(self._fetch_page, cursor, self._known(mark, push_seq))
            while True:
                page, mark = coming.result()
                if page.more:
                    # The next page travels while this one is written; it is only used if this one lands.
                    coming = fetcher.submit(self._fetch_page, page.cursor, self._known(mark, push_seq))
                if (
                    not page.rows
                    and not page.conflicts
                    and not page.more
                    and page.cursor == cursor
                    and mark in (None, held_mark)
                ):
                    # Nothing new (an idle sync): nothing to write either.
                    self.ws.react_to_pull()
                    return pulled, deleted
                conflicts = _meta_json(self.ws, "sync_conflicts", {})
                for c in page.conflicts:
                    if c.resolved:
                        conflicts.pop(c.id, None)
                    else:
                        conflicts[c.id] = c.model_dump()
                if live is None and any(row["deleted_at"] for row in page.rows):
                    live = sum(self.ws.count(kind=k.name) for k in KINDS) - inserted
                applied = self.ws.apply_pulled(
                    records=page.rows,
                    team_id=self.team_id,
                    meta={
                        "sync_cursor": str(page.cursor),
                        "sync_conflicts": json.dumps(conflicts),
                        **({MARK: mark} if mark else {}),
                    },
                    live_before=live or 0,
                    deleted_so_far=deleted,
                    allow_deletes=allow_deletes,
                )
                pulled += len(page.rows)
                deleted += applied.deleted
                inserted += applied.inserted
                if progress:
                    progress("pull", pulled)
                if not page.more:
                    # Checklists follow what the team changed, and meetings settle, as after an edit here.
                    self.ws.react_to_pull()
                    return pulled, deleted

    def merge_duplicate(self, conflict: dict) -> SyncSummary:
        """A possible duplicate a person says is the same record (a client typed on two laptops): the newer merges into the one
        the server had first (core.duplicates), the flag closes for everyone, and the merge goes out."""
        from companion.core.duplicates import merge_if_both_live

        if conflict.get("reason") != "possible_duplicate":
            raise SyncError(
                "Only a possible duplicate can be merged; pick a value for this conflict instead."
            )
        merge_if_both_live(
            self.ws,
            kind=conflict["kind"],
            keep_id=str(conflict["other"]),
            duplicate_id=str(conflict["record_id"]),
        )
        self.resolve(conflict_id=str(conflict["id"]), value=None)
        return self.sync()

    def resolve(self, *, conflict_id: str, value) -> None:
        self._post("/v1/sync/resolve", {"team_id": self.team_id, "conflict_id": conflict_id, "value": value})
        conflicts = _meta_json(self.ws, "sync_conflicts", {})
        conflicts.pop(conflict_id, None)
        self.ws.set_meta(values={"sync_conflicts": json.dumps(conflicts)})


def open_conflicts(ws: Workspace) -> list[dict]:
    """Conflicts the server reported and nobody has resolved yet, oldest first."""
    return sorted(_meta_json(ws, "sync_conflicts", {}).values(), key=lambda c: c["seq"])


def server_teams(
    ws: Workspace, *, server: str, token: str, http: httpx.Client | None = None
) -> dict[str, str]:
    """The teams (name → id) this token's account belongs to on the server: the login's check."""
    probe = SyncClient(ws, server=server, token=token, team_id="", http=http)
    try:
        reply = probe.http.get("/v1/sync/hello")
    except httpx.HTTPError as exc:
        raise unreachable(server, exc, "Check the address, then connect again.") from None
    if reply.status_code != 200:
        raise probe._refusal(reply)
    return {t["name"]: t["id"] for t in reply.json()["teams"]}
