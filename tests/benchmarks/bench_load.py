"""The sync server's capacity: `companion serve` on PostgreSQL (a throwaway cluster) with 1 and then 2
worker processes, loaded by simulated laptops in separate processes until the p99 sync latency passes 1 s.

    python -m tests.benchmarks.bench_load [--quick] [--workers 1,2] [--interval 3] [--step-seconds 20]

A laptop is simulated at the HTTP level, as sync/client.py speaks the protocol: every sync is a hello, a
push of its new edits (when it has any; numbered, with its mark), and a pull of the team's changes since
its cursor, page by page, with the headers that say what it knows. What it pushes is what the laptop's
outbox gives (client._build_batch): a new record with all its set values and base 0, an edit with the
changed field and the record's number as last seen, a delete with the record's values. The server checks
every value as it checks a real laptop's.

The day, time-compressed: a laptop syncs every 5 minutes and makes about 36 edits in a working day of 8
hours (96 syncs: 0.375 edits a sync, Poisson); here its 5 minutes last `--interval` seconds (3 s: 100×),
so one simulated laptop sends the requests of 100 real ones, each sync carrying what a real one carries.
Teams of 20 laptops share a team's data (40 synthetic clients, about 1,800 records, pushed before the
run); one sync in 480 (about once a working week a laptop) is a first sync that reads the whole team.
The number of laptops doubles each step until p99 > 1 s, then the step between is tried.

The machine's 2 cores are shared by the server, PostgreSQL and the load processes: the CPU each used per
sync is printed, and the projection to 1,000 and 10,000 laptops is made from it. Never run in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import datetime as dt
import math
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson
import sqlalchemy as sa

from companion.core.demo import synthetic_records
from companion.model.kinds import KINDS_BY_NAME
from companion.server import admin, db
from companion.server.schema import record, team_counter
from companion.sync import wire
from tests.sync.live import ServerProcess
from tests.sync.postgres import Cluster

REAL_INTERVAL = 300.0  # seconds between two syncs of a laptop, as the app runs them
SYNCS_PER_DAY = 96  # 8 working hours
EDITS_PER_DAY = 36
FIRST_SYNC_EVERY = 480  # syncs: one first sync a working week per laptop
TEAM_SIZE = 20
CLIENTS_PER_TEAM = 40
GOAL_P99 = 1.0
PY_SPY = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "py-spy"


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- what a laptop sends -------------------------------------------------------------------------------


def _set_values(kind_name: str, values: dict) -> dict:
    """A record's set values, as a laptop sends a record new to the server (client._values_of)."""
    kind = KINDS_BY_NAME[kind_name]
    return {n: values[n] for n in kind.field_names if values.get(n) is not None}


def _new_record_mutation(kind_name: str, values: dict) -> dict:
    return {
        "kind": kind_name, "id": values["id"], "op": "upsert", "fields": _set_values(kind_name, values),
        "base_seq": 0, "hlc": values["updated_at"], "created_at": values["created_at"],
    }  # fmt: skip


@dataclass
class Team:
    """What each laptop of a team knows of it when the run starts: the records it edits and their numbers."""

    team_id: str
    cursor: int
    clients: list[str]
    contacts: list[str]
    seqs: dict[str, int]


@dataclass
class Laptop:
    """One simulated laptop: its device, token and team, and what sync/client.py keeps between syncs."""

    token: str
    team: Team
    device_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    push_seq: int = 0
    cursor: int = 0
    mark: str | None = None
    seqs: dict[str, int] = field(default_factory=dict)
    own_notes: dict[str, dict] = field(default_factory=dict)  # made here, live: id → values
    pending: list[dict] | None = None  # a batch sent and not acknowledged: sent again, as the client does
    next_at: float | None = None

    def seq_of(self, record_id: str) -> int:
        return self.seqs.get(record_id, self.team.seqs.get(record_id, 0))

    def edits(self, rng: random.Random) -> list[dict]:
        """This sync's new mutations: a few field edits, new notes and interactions, a delete now and then."""
        made = []
        for _ in range(_poisson(rng, EDITS_PER_DAY / SYNCS_PER_DAY)):
            roll = rng.random()
            if roll < 0.5:
                made.append(self._field_edit(rng))
            elif roll < 0.85 or not self.own_notes:
                made.append(self._new_record(rng))
            else:
                note_id, values = self.own_notes.popitem()
                made.append(
                    {
                        "kind": "note", "id": note_id, "op": "delete", "fields": _set_values("note", values),
                        "base_seq": self.seq_of(note_id), "hlc": _stamp(), "created_at": values["created_at"],
                    }
                )  # fmt: skip
        # The outbox gives one mutation a record (its edits merged): the last one of each wins here.
        return list({m["id"]: m for m in made}.values())

    def _field_edit(self, rng: random.Random) -> dict:
        if rng.random() < 0.4:
            record_id, kind_name = rng.choice(self.team.clients), "client"
            name, value = rng.choice(
                [
                    ("status", rng.choice(("prospect", "active", "dormant"))),
                    ("industry", rng.choice(("Energy", "Retail", "Shipping", "Health"))),
                    ("review_every_days", rng.choice((30, 60, 90))),
                ]
            )
        else:
            record_id, kind_name = rng.choice(self.team.contacts), "contact"
            name, value = rng.choice(
                [
                    ("relationship_strength", rng.randint(1, 5)),
                    ("visit_frequency_days", rng.choice((30, 60, 90))),
                    ("personality", f"Prefers short meetings; asked about {rng.choice(_TOPICS)}."),
                ]
            )
        return {
            "kind": kind_name, "id": record_id, "op": "upsert", "fields": {name: value},
            "base_seq": self.seq_of(record_id), "hlc": _stamp(), "created_at": None,
        }  # fmt: skip

    def _new_record(self, rng: random.Random) -> dict:
        now = _stamp()
        base = {"id": str(uuid.uuid4()), "created_at": now, "updated_at": now}
        if rng.random() < 0.5:
            values = {
                **base, "contact_id": rng.choice(self.team.contacts), "privacy": "team",
                "title": f"Call about {rng.choice(_TOPICS)}",
                "body": f"Talked about {rng.choice(_TOPICS)} and {rng.choice(_TOPICS)}; follow up next week.",
            }  # fmt: skip
            self.own_notes[values["id"]] = values
            return _new_record_mutation("note", values)
        values = {
            **base, "client_id": rng.choice(self.team.clients), "date": now[:10],
            "channel": rng.choice(("meeting", "call", "video", "email")),
            "summary": f"Discussed {rng.choice(_TOPICS)}.",
        }  # fmt: skip
        return _new_record_mutation("interaction", values)


_TOPICS = ("pricing", "the renewal", "delivery dates", "the pilot", "training", "the budget", "support")


def _poisson(rng: random.Random, mean: float) -> int:
    limit, n, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        n += 1
        product *= rng.random()
    return n


# --- one sync, as sync/client.py makes it ---------------------------------------------------------------


@dataclass
class Outcome:
    seconds: float
    mutations: int
    pulled: int
    first: bool


JSON = {"Content-Type": "application/json"}


class Refused(Exception):
    """The server answered a request with an error: counted as a failed sync."""


def _checked(reply: httpx.Response) -> httpx.Response:
    if reply.status_code >= 400:
        raise Refused(f"{reply.request.url.path} {reply.status_code}: {reply.text[:300]}")
    return reply


async def _sync(http: httpx.AsyncClient, laptop: Laptop, rng: random.Random) -> Outcome:
    start = time.perf_counter()
    auth = {"Authorization": f"Bearer {laptop.token}", "X-Device-Id": laptop.device_id}
    _checked(await http.get("/v1/sync/hello", headers=auth))
    if laptop.pending is None:
        made = laptop.edits(rng)
        for number, m in enumerate(made, start=laptop.push_seq + 1):
            m["seq"] = number
        laptop.pending = made or None
    pushed = 0
    if laptop.pending:
        body = {"device_id": laptop.device_id, "team_id": laptop.team.team_id, "mutations": laptop.pending}
        headers = {**auth, **JSON, **({wire.MARK_HEADER: laptop.mark} if laptop.mark else {})}
        reply = _checked(await http.post("/v1/sync/push", content=orjson.dumps(body), headers=headers))
        answer = orjson.loads(reply.content)
        for sent, result in zip(laptop.pending, answer["results"], strict=True):
            if result["record_seq"] is not None:
                laptop.seqs[sent["id"]] = result["record_seq"]
        laptop.push_seq = answer["last_seq"]
        if answer["clean"] and answer["cursor_before"] == laptop.cursor:
            # Nothing reached the server meanwhile: nothing to read back (client._acknowledge).
            laptop.cursor = answer["cursor_after"]
            laptop.mark = reply.headers.get(wire.MARK_HEADER) or laptop.mark
        pushed, laptop.pending = len(laptop.pending), None
    first = rng.randrange(FIRST_SYNC_EVERY) == 0
    if first:  # a new laptop of the team, or one set up again: everything is read
        laptop.cursor, laptop.mark = 0, None
    pulled, more = 0, True
    while more:
        headers = {**auth, **JSON, wire.PUSH_SEQ_HEADER: str(laptop.push_seq)}
        if laptop.mark:
            headers[wire.MARK_HEADER] = laptop.mark
        body = {"team_id": laptop.team.team_id, "cursor": laptop.cursor, "limit": wire.PULL_LIMIT}
        reply = _checked(await http.post("/v1/sync/pull", content=orjson.dumps(body), headers=headers))
        page = orjson.loads(reply.content)
        for row in page["rows"]:
            laptop.seqs[row["id"]] = row["seq"]
        laptop.cursor, more = page["cursor"], page["more"]
        laptop.mark = reply.headers.get(wire.MARK_HEADER) or laptop.mark
        pulled += len(page["rows"])
    return Outcome(time.perf_counter() - start, pushed, pulled, first)


# --- a load process ---------------------------------------------------------------------------------------


def _load_process(pipe, url: str, laptops: list[Laptop], interval: float, seed: int) -> None:
    """Runs steps as the parent asks: ("step", laptops active of this share, seconds) → its outcomes."""
    rng = random.Random(seed)
    while True:
        command = pipe.recv()
        if command[0] == "stop":
            return
        _, active, seconds = command
        cpu = time.process_time()
        outcomes, errors = asyncio.run(_step(url, laptops[:active], interval, seconds, rng))
        pipe.send((outcomes, errors, time.process_time() - cpu))


async def _step(url, laptops, interval, seconds, rng) -> tuple[list[tuple], list[str]]:
    outcomes: list[tuple] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=len(laptops) or 1)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds

        async def run(laptop: Laptop) -> None:
            next_at = loop.time() + rng.uniform(0, interval)
            while next_at < end:
                await asyncio.sleep(max(0.0, next_at - loop.time()))
                try:
                    o = await _sync(http, laptop, rng)
                    outcomes.append((o.seconds, o.mutations, o.pulled, o.first))
                except (httpx.HTTPError, Refused, KeyError, ValueError) as exc:
                    errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                next_at += interval
                while next_at < loop.time():  # the app's timer skips a tick while a sync runs
                    next_at += interval

        await asyncio.gather(*(run(laptop) for laptop in laptops))
    return outcomes, errors


# --- the parent: cluster, teams, server, steps ----------------------------------------------------------


def _cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if reaped else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def _worker_pids(server: ServerProcess) -> list[int]:
    """The processes answering requests: the serve process itself, or its spawned workers."""
    assert server.process is not None
    spawned = [
        p for p in _children(server.process.pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()
    ]
    return spawned or [server.process.pid]


def _postgres_cpu(cluster: Cluster) -> float:
    """CPU the cluster has used: the postmaster, the backends it reaped, and the ones still running."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    return _cpu_seconds(postmaster, reaped=True) + sum(_cpu_seconds(p) for p in _children(postmaster))


def _seed(base: str, teams: int, tmp: Path) -> dict:
    """The template database: `teams` teams of TEAM_SIZE laptops' tokens, each team's data pushed by a
    device of its own. What each laptop knows at the start."""
    with sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT").connect() as conn:
        conn.exec_driver_sql("CREATE DATABASE seed")
    engine = db.make_engine(f"{base}/seed")
    db.migrate(engine)
    plan = []
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        for t in range(teams):
            team_id = admin.add_team(conn, f"Team {t}")
            tokens = []
            for n in range(TEAM_SIZE + 1):
                admin.add_account(conn, f"t{t}u{n}")
                admin.add_member(conn, team_name=f"Team {t}", user_name=f"t{t}u{n}")
                tokens.append(admin.issue_token(conn, user_name=f"t{t}u{n}", device=f"laptop {n}")[1])
            plan.append((team_id, tokens))
    server = ServerProcess(tmp / "seed-server", database=f"{base}/seed")
    url = server.start()
    try:
        with httpx.Client(base_url=url, timeout=120) as http:
            for t, (team_id, tokens) in enumerate(plan):
                records = synthetic_records(clients=CLIENTS_PER_TEAM, seed=1000 + t)
                mutations = [_new_record_mutation(k, v) for k, values in records.items() for v in values]
                device_id = str(uuid.uuid4())
                for start in range(0, len(mutations), wire.PUSH_LIMIT):
                    batch = mutations[start : start + wire.PUSH_LIMIT]
                    for number, m in enumerate(batch, start=start + 1):
                        m["seq"] = number
                    body = {"device_id": device_id, "team_id": team_id, "mutations": batch}
                    reply = http.post(
                        "/v1/sync/push",
                        content=orjson.dumps(body),
                        headers={"Authorization": f"Bearer {tokens[0]}"},
                    )
                    reply.raise_for_status()
    finally:
        server.stop()
    teams_known = {}
    with engine.connect() as conn:
        for team_id, tokens in plan:
            rows = conn.execute(
                sa.select(record.c.id, record.c.kind, record.c.seq).where(
                    record.c.team_id == team_id, record.c.kind.in_(["client", "contact"])
                )
            ).all()
            cursor = conn.execute(
                sa.select(team_counter.c.seq).where(team_counter.c.team_id == team_id)
            ).scalar_one()
            team = Team(
                team_id, int(cursor), [r.id for r in rows if r.kind == "client"],
                [r.id for r in rows if r.kind == "contact"], {r.id: int(r.seq) for r in rows},
            )  # fmt: skip
            teams_known[team_id] = (team, tokens[1:])
    engine.dispose()
    return teams_known


@dataclass
class StepResult:
    laptops: int
    seconds: float
    syncs: int
    mutations: int
    first_syncs: int
    latencies: list[float]
    errors: list[str]
    server_cpu: float
    postgres_cpu: float
    load_cpu: float

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else math.inf

    @property
    def p99(self) -> float:
        if len(self.latencies) < 2:
            return math.inf
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[98]

    @property
    def held(self) -> bool:
        return self.p99 <= GOAL_P99 and len(self.errors) <= 0.001 * max(self.syncs, 1)


class Run:
    """One server (N workers) over a fresh copy of the seeded database, and its load processes."""

    def __init__(self, cluster, base, workers, teams_known, interval, processes, max_laptops, tmp):
        self.cluster, self.interval = cluster, interval
        name = f"run{workers}"
        with sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT").connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE seed")
        self.server = ServerProcess(tmp / name, database=f"{base}/{name}")
        self.server.command += ["--workers", str(workers)]
        url = self.server.start()
        # Team by team: a step of L laptops is L/20 whole teams, each laptop pulling its colleagues' edits.
        laptops = [
            Laptop(token=token, team=team, cursor=team.cursor)
            for team, tokens in teams_known.values()
            for token in tokens
        ][:max_laptops]
        context = multiprocessing.get_context("fork")
        self.pipes, self.processes, self.shares = [], [], []
        for p in range(processes):
            share = laptops[p::processes]
            ours, theirs = context.Pipe()
            process = context.Process(target=_load_process, args=(theirs, url, share, interval, 7 + p))
            process.start()
            self.pipes.append(ours)
            self.processes.append(process)
            self.shares.append(len(share))

    def step(self, laptops: int, seconds: float) -> StepResult:
        workers = _worker_pids(self.server)
        server_before = sum(_cpu_seconds(p) for p in workers)
        pg_before = _postgres_cpu(self.cluster)
        start = time.perf_counter()
        n = len(self.pipes)
        for p, pipe in enumerate(self.pipes):
            pipe.send(("step", min(self.shares[p], laptops // n + (1 if p < laptops % n else 0)), seconds))
        outcomes, errors, load_cpu = [], [], 0.0
        for pipe in self.pipes:
            got, failed, cpu = pipe.recv()
            outcomes += got
            errors += failed
            load_cpu += cpu
        return StepResult(
            laptops=laptops, seconds=time.perf_counter() - start, syncs=len(outcomes),
            mutations=sum(o[1] for o in outcomes), first_syncs=sum(1 for o in outcomes if o[3]),
            latencies=[o[0] for o in outcomes], errors=errors,
            server_cpu=sum(_cpu_seconds(p) for p in workers) - server_before,
            postgres_cpu=_postgres_cpu(self.cluster) - pg_before, load_cpu=load_cpu,
        )  # fmt: skip

    def profile(self, laptops: int, seconds: float, out: Path) -> tuple[StepResult, list[Path]]:
        """A step with py-spy sampling every worker: raw stacks, one file a worker."""
        files, spies = [], []
        for pid in _worker_pids(self.server):
            files.append(out / f"worker-{pid}.txt")
            command = [str(PY_SPY), "record", "-p", str(pid), "-r", "100", "--format", "raw"]
            command += ["-o", str(files[-1]), "-d", str(int(seconds) + 2), "--nonblocking"]
            spies.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(1)
        result = self.step(laptops, seconds)
        for spy in spies:
            spy.wait(timeout=120)
        return result, [f for f in files if f.exists()]

    def stop(self) -> None:
        for pipe in self.pipes:
            pipe.send(("stop",))
        for process in self.processes:
            process.join(timeout=60)
        self.server.stop()


# --- where the time goes -------------------------------------------------------------------------------

_PARTS = (
    ("merge (three-way text)", re.compile(r"companion/sync/merge\.py")),
    (
        "JSON and validation (orjson, pydantic)",
        re.compile(r"pydantic|json/|(_json|_message|_loads|_dumps) \("),
    ),
    ("database: psycopg (the driver, its round trips)", re.compile(r"psycopg")),
    ("database: SQLAlchemy (statements, pool, rows)", re.compile(r"sqlalchemy/")),
    ("push rules (apply, batch, values)", re.compile(r"companion/server/(apply|batch)\.py|companion/model/")),
    ("auth (token lookup)", re.compile(r"companion/server/(guard|admin)\.py")),
    ("pull, push, hello (server code)", re.compile(r"companion/server/")),
    ("HTTP and ASGI (uvicorn, starlette, gzip)", re.compile(r"uvicorn|starlette|fastapi|h11|gzip|anyio")),
)


def _busy_stacks(files: list[Path]):
    """The workers' sampled stacks (frames, samples) with idle waits left out."""
    for path in files:
        for line in path.read_text().splitlines():
            stack, _, n = line.rpartition(" ")
            frames = stack.split(";")
            if n.isdigit() and not re.search(_IDLE, frames[-1]):
                yield frames, int(n)


_IDLE = r"select \(selectors|wait \(threading|_worker \(concurrent|get \(queue"


def _hottest(files: list[Path], count: int) -> list[tuple[str, float]]:
    """The functions the workers were in most (their own time)."""
    own: collections.Counter = collections.Counter()
    for frames, n in _busy_stacks(files):
        own[re.sub(r":\d+\)", ")", frames[-1])] += n
    total = sum(own.values()) or 1
    return [(name, 100 * n / total) for name, n in own.most_common(count)]


def _where_time_goes(files: list[Path]) -> list[tuple[str, float]]:
    """Samples of the workers' stacks by part: the innermost frame that names a part decides, so a
    query inside the push counts as database, its JSON as JSON. Idle waits are left out."""
    counts: collections.Counter = collections.Counter()
    for frames, n in _busy_stacks(files):
        part = next(
            (name for frame in reversed(frames) for name, pattern in _PARTS if pattern.search(frame)),
            "other (Python, asyncio)",
        )
        counts[part] += n
    total = sum(counts.values()) or 1
    return [(name, 100 * n / total) for name, n in counts.most_common()]


# --- the table ------------------------------------------------------------------------------------------


def _ramp(run: Run, start: int, most: int, seconds: float) -> list[StepResult]:
    """Doubling until p99 passes the goal (or errors), then the step between the last held and the first
    not held."""
    results = []
    laptops = start
    while laptops <= most:
        result = run.step(laptops, seconds)
        results.append(result)
        _print_step(result, run.interval)
        if not result.held:
            break
        laptops *= 2
    held = [r for r in results if r.held]
    if held and not results[-1].held and len(results) > 1:
        between = round(held[-1].laptops * math.sqrt(2))
        if held[-1].laptops < between < results[-1].laptops:
            results.append(run.step(between, seconds))
            _print_step(results[-1], run.interval)
    return results


def _print_step(r: StepResult, interval: float) -> None:
    real = r.laptops * REAL_INTERVAL / interval
    print(
        f"  {r.laptops:>5} simulated ({real:>9,.0f} real)  {r.syncs / r.seconds:>7.1f} syncs/s  "
        f"{r.mutations / r.seconds:>7.1f} mutations/s  p50 {r.p50 * 1000:>7.0f} ms  p99 {r.p99 * 1000:>7.0f} ms  "
        f"first syncs {r.first_syncs:>3}  errors {len(r.errors)}  "
        f"cpu/sync: server {1000 * r.server_cpu / max(r.syncs, 1):.1f} ms, postgres "
        f"{1000 * r.postgres_cpu / max(r.syncs, 1):.1f} ms, load {1000 * r.load_cpu / max(r.syncs, 1):.1f} ms",
        flush=True,
    )
    if r.errors:
        print(f"    first error: {r.errors[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="short steps, fewer laptops (about 3 minutes)")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure, in order")
    parser.add_argument("--interval", type=float, default=3.0, help="a laptop's 5 minutes, in seconds")
    parser.add_argument(
        "--step-seconds", type=float, help="how long each load step lasts (default 20; quick 8)"
    )
    parser.add_argument("--start", type=int, default=10, help="simulated laptops in the first step")
    parser.add_argument("--most", type=int, help="simulated laptops at most (default 1280; quick 320)")
    parser.add_argument("--load-processes", type=int, default=2)
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy step")
    args = parser.parse_args()
    seconds = args.step_seconds or (8.0 if args.quick else 20.0)
    most = args.most or (320 if args.quick else 1280)
    worker_counts = [int(w) for w in args.workers.split(",")]
    compression = REAL_INTERVAL / args.interval
    teams = math.ceil(most / TEAM_SIZE)
    cluster = Cluster()
    base = cluster.start()
    summary = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            started = time.perf_counter()
            teams_known = _seed(base, teams, tmp)
            print(
                f"{teams} teams of {TEAM_SIZE} laptops, {CLIENTS_PER_TEAM} synthetic clients each, seeded in "
                f"{time.perf_counter() - started:.0f} s; time compressed {compression:.0f}×: a laptop syncs every "
                f"{args.interval:g} s (5 min), {EDITS_PER_DAY} edits a day of {SYNCS_PER_DAY} syncs, a first sync "
                f"1 in {FIRST_SYNC_EVERY}; steps of {seconds:g} s; {os.cpu_count()} cores shared by server, "
                "PostgreSQL and load",
                flush=True,
            )
            for workers in worker_counts:
                print(f"companion serve --workers {workers}:", flush=True)
                run = Run(cluster, base, workers, teams_known, args.interval, args.load_processes, most, tmp)
                try:
                    results = _ramp(run, args.start, most, seconds)
                    held = [r for r in results if r.held]
                    best = max(held, key=lambda r: r.laptops) if held else None
                    parts = []
                    if best is not None and not args.no_profile and PY_SPY.exists():
                        out = tmp / f"profile{workers}"
                        out.mkdir()
                        _, files = run.profile(best.laptops, seconds, out)
                        parts = (_where_time_goes(files), _hottest(files, 12))
                    summary.append((workers, best, results, parts))
                finally:
                    run.stop()
    finally:
        cluster.stop()
    _print_summary(summary, compression)


def _print_summary(summary, compression: float) -> None:
    print()
    print(f"{'workers':<8}{'laptops held':>13}{'per worker':>11}{'syncs/s':>9}{'mutations/s':>12}"
          f"{'p50 ms':>8}{'p99 ms':>8}  goal")  # fmt: skip
    for workers, best, _results, _parts in summary:
        if best is None:
            print(f"{workers:<8}{'none':>13}  (p99 over {GOAL_P99:g} s at the first step)")
            continue
        real = best.laptops * compression
        print(
            f"{workers:<8}{real:>13,.0f}{real / workers:>11,.0f}{best.syncs / best.seconds:>9.1f}"
            f"{best.mutations / best.seconds:>12.1f}{best.p50 * 1000:>8.0f}{best.p99 * 1000:>8.0f}  p99 ≤ 1,000 ms"
        )
    for workers, _best, _results, parts in summary:
        if parts:
            print(f"where the workers' CPU goes ({workers} worker(s), py-spy samples, idle waits aside):")
            for name, share in parts[0]:
                print(f"  {share:5.1f}%  {name}")
            print("  the functions they were in most (own time):")
            for name, share in parts[1]:
                print(f"  {share:5.1f}%    {name}")
    measured = [(w, b) for w, b, _r, _p in summary if b is not None]
    if not measured:
        return
    workers, best = measured[0]
    server_ms = 1000 * best.server_cpu / max(best.syncs, 1)
    postgres_ms = 1000 * best.postgres_cpu / max(best.syncs, 1)
    print(
        f"projection from the CPU a sync cost at {workers} worker(s): server {server_ms:.1f} ms, PostgreSQL "
        f"{postgres_ms:.1f} ms; each laptop syncs every 5 minutes, every core kept under half busy for the "
        "morning's peak:"
    )
    for laptops in (1_000, 10_000):
        rate = laptops / REAL_INTERVAL
        worker_cores = rate * server_ms / 1000 / 0.5
        postgres_cores = rate * postgres_ms / 1000 / 0.5
        print(
            f"  {laptops:>6,} laptops: {rate:5.1f} syncs/s → {max(1, math.ceil(worker_cores))} worker process(es) "
            f"({worker_cores:.2f} cores), PostgreSQL {max(1, math.ceil(postgres_cores))} core(s) "
            f"({postgres_cores:.2f})"
        )


if __name__ == "__main__":
    main()
