"""Contact import benchmark: previewing 5,000 address-book cards against a 100,000-person workspace.

    python -m tests.benchmarks.bench_contact_import [--runs 3] [--clients 10000] [--cards 5000]
                                                   [--workspace FILE] [--apply]

The synthetic workspace (core/demo.synthetic_records: 10 people a client, so 100,000 people for 10,000
clients) with what matching reads added: every person a personal email, every other person a mobile
number (stored in the international form an import writes), every third role a work email and a
switchboard-style work phone. `--workspace FILE` builds it there once and reuses it on later runs.

The cards: a quarter are people of the workspace found by their email (written in capitals), a
sixth by their mobile number (written as dialled at home, read with the region NO), a tenth by a name
spelled slightly otherwise at their client; the rest are new, half at an existing client and half at
organisations that are none. Each card carries a title, a work email and a phone. Measured, as the
median of the runs: the cards written as a vCard 3.0 file, read back (`read_contacts`) and previewed
(`preview_import`): the file to the preview (the goal: 10 s); and the possible duplicates over
the whole workspace; with `--apply`, writing the preview once as one change and undoing it. Never
asserted in tests.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from companion.core.contact_cards import Card
from companion.core.contact_import import apply_import, preview_import
from companion.core.contact_merge import possible_duplicates
from companion.core.demo import synthetic_records
from companion.core.person_matching import display_phone
from companion.core.service import Workspace
from companion.interchange.contacts_file import read_contacts, write_vcf
from companion.model.text import fold

PREVIEW_GOAL_S = 10.0
REGION = "NO"


def _slug(name: str) -> str:
    return ".".join(fold(name).split())


def _mobile(n: int) -> str:
    return f"+479{n:07d}"


def build(ws: Workspace, *, clients: int) -> None:
    """The synthetic workspace with emails and phones, written in one import."""
    records = synthetic_records(clients=clients, seed=20)
    for n, contact in enumerate(records["contact"]):
        contact["emails"] = [f"{_slug(contact['name'])}.{n}@mail.example"]
        if n % 2 == 0:
            contact["phones"] = [display_phone(_mobile(n), region=None)]
    for n, position in enumerate(records["position"]):
        if n % 3 == 0:
            position["work_email"] = f"person{n}@client{n // 10}.example"
            position["work_phone"] = f"+47 22 {n % 100:02d} {n // 100 % 100:02d} {n % 7:02d}"
    ws.import_records(records=records, label="benchmark workspace")


def _typo(name: str, rng: random.Random) -> str:
    """A name spelled slightly otherwise: one letter of the last name doubled."""
    first, _, last = name.rpartition(" ")
    at = rng.randrange(1, len(last))
    return f"{first} {last[:at]}{last[at]}{last[at:]}"


def draw_cards(ws: Workspace, *, count: int, seed: int = 7) -> tuple[list[Card], Counter]:
    """`count` cards as the module's description says, and how many of each kind were drawn."""
    rng = random.Random(seed)
    people = ws.columns(kind="contact", fields=("id", "name", "emails", "phones"), ordered=False)
    clients = dict(ws.columns(kind="client", fields=("id", "name"), ordered=False))
    client_of = {
        contact_id: clients[client_id]
        for contact_id, client_id in ws.columns(
            kind="position", fields=("contact_id", "client_id"), ordered=False
        )
    }
    rng.shuffle(people)
    with_phone = [p for p in people if p[3]]
    drawn: Counter = Counter()
    cards: list[Card] = []
    by_email, by_phone, by_name = count // 4, count // 6, count // 10
    for n in range(count):
        record = f"card {n + 1}"
        title, work = rng.choice(("CFO", "Buyer", "Engineer", "Director")), (("work", f"w{n}@cards.example"),)
        if n < by_email:
            _id, name, emails, _phones = people[n]
            cards.append(Card(record, name, organisation=client_of.get(_id), title=title,
                              emails=(("home", emails[0].upper()), *work)))  # fmt: skip
            drawn["by email"] += 1
        elif n < by_email + by_phone:
            _id, name, _emails, phones = with_phone[n]
            national = phones[0].removeprefix("+47").strip()  # as dialled at home: "900 00 002"
            cards.append(Card(record, name, title=title, phones=(("mobile", national),), emails=work))
            drawn["by phone"] += 1
        elif n < by_email + by_phone + by_name:
            _id, name, _emails, _phones = people[n]
            cards.append(
                Card(record, _typo(name, rng), organisation=client_of.get(_id), title=title, emails=work)
            )
            drawn["by a name like theirs at their client"] += 1
        else:
            at_client = n % 2 == 0
            organisation = rng.choice(list(clients.values())) if at_client else f"Unknown Company {n}"
            name = f"Newcomer {n} {rng.choice(('Hansen', 'Berg', 'Moe', 'Dahl'))}"
            phone = (("work", f"+47 21 {n // 100:02d} {n % 100:02d} 00"),)
            cards.append(
                Card(record, name, organisation=organisation, title=title, emails=work, phones=phone)
            )
            drawn["new, at a client" if at_client else "new, elsewhere"] += 1
    return cards, drawn


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--cards", type=int, default=5_000)
    parser.add_argument("--workspace", type=Path, help="build the workspace here once and reuse it")
    parser.add_argument("--apply", action="store_true", help="also write the preview once and undo it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.workspace or Path(folder) / "workspace.sqlite"
        fresh = not path.exists()
        ws = Workspace.open(path)
        try:
            started = time.perf_counter()
            if fresh:
                build(ws, clients=args.clients)
            built_s = time.perf_counter() - started
            people = ws.count(kind="contact")
            cards, drawn = draw_cards(ws, count=args.cards)
            phone_file = write_vcf(Path(folder) / "phone.vcf", cards, version="3.0")
            timings, reads = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                read = read_contacts(phone_file)
                reads.append(time.perf_counter() - started)
                preview = preview_import(ws, cards=read.cards, source="phone.vcf", region=REGION)
                timings.append(time.perf_counter() - started)
            statuses = Counter(row.status for row in preview.rows)
            origin = f"built in {built_s:.0f} s" if fresh else "reused"
            print(
                f"{people:,} people in the workspace ({origin}); "
                f"{len(cards):,} cards: " + ", ".join(f"{n:,} {what}" for what, n in drawn.items())
            )
            print(
                "preview: " + ", ".join(f"{statuses[s]:,} {s}" for s in ("new", "same", "possible"))
                + f", {len(preview.problems)} problems"
            )  # fmt: skip
            print(f"{'measure':<52}{'median':>10}{'goal':>10}")
            median = statistics.median(timings)
            print(f"{'  reading the vCard file':<52}{statistics.median(reads):>9.2f}s")
            print(
                f"{f'a {len(cards):,}-card vCard to the preview (of {args.runs} runs)':<52}{median:>9.2f}s{PREVIEW_GOAL_S:>9.0f}s"
            )
            timings = []
            for _ in range(args.runs):
                started = time.perf_counter()
                pairs = possible_duplicates(ws, region=REGION)
                timings.append(time.perf_counter() - started)
            label = f"possible_duplicates over the workspace ({len(pairs):,} pairs)"
            print(f"{label:<52}{statistics.median(timings):>9.2f}s")
            if args.apply:
                started = time.perf_counter()
                done = apply_import(ws, preview=preview)
                applied_s = time.perf_counter() - started
                started = time.perf_counter()
                ws.undo(changes=done.changes)
                undone_s = time.perf_counter() - started
                print(
                    f"{f'apply_import ({len(done.changes):,} changes, one undo step)':<52}{applied_s:>9.2f}s"
                )
                print(f"{'undoing it':<52}{undone_s:>9.2f}s")
        finally:
            ws.close()


if __name__ == "__main__":
    main()
