"""vCard benchmark: reading and writing 5,000 and 50,000 address-book cards (interchange/vcard).

    python -m tests.benchmarks.bench_vcard [--runs 3] [--sizes 5000,50000] [--old FILE]

Each card as an address book exports a colleague: FN, N, ORG, TITLE, a work and a home EMAIL, a mobile TEL,
a NOTE with commas and semicolons to escape, a UID, and a name with letters outside ASCII on every third.
Measured, median of the runs: cards_to_vcf as vCard 4.0 and 3.0, parse_vcards of the 4.0 file, and
parse_vcards of the same cards written as vCard 2.1 with quoted-printable names and notes (as Android
phones write them; such files take vobject's own quoted-printable line reader). The goal: at most 0.3 ms
a card each way (5,000 cards read in 1.5 s, for an import previewed within 10 s). `--old FILE` times an
earlier vcard.py beside this one, in the same runs (for example the file of commit 1a65bf9:
`git show 1a65bf9:src/companion/interchange/vcard.py > /tmp/vcard_old.py`). Never asserted in tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import quopri
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import ModuleType

from companion.core.contact_cards import Card
from companion.interchange import vcard

GOAL_MS_A_CARD = 0.3


def draw_cards(count: int) -> list[Card]:
    """`count` cards as the module's description says."""
    cards = []
    for n in range(count):
        given, family = ("Åse", f"Ødegård{n}") if n % 3 == 0 else ("Kari", f"Nordmann{n}")
        cards.append(
            Card(
                record=f"card {n + 1}",
                name=f"{given} {family}",
                given_name=given,
                family_name=family,
                organisation=f"Halvorsen Offshore {n % 997}",
                title="Head of Drilling",
                emails=(("work", f"person{n}@halvorsen.example"), ("home", f"person{n}@hjemme.example")),
                phones=(("mobile", f"+47 912 {n:05d}"),),
                note=f"Met at the fair, Oslo; prefers mornings (card {n}).",
                uid=f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
            )
        )
    return cards


def android_2_1(cards: list[Card]) -> bytes:
    """The cards as a vCard 2.1 file with quoted-printable UTF-8 names and notes."""

    def qp(text: str) -> str:
        return quopri.encodestring(text.encode("utf-8")).decode("ascii")

    parts = []
    for card in cards:
        encoded = ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE"
        parts.append(
            "BEGIN:VCARD\r\nVERSION:2.1\r\n"
            f"N{encoded}:{qp(card.family_name or '')};{qp(card.given_name or '')};;;\r\n"
            f"FN{encoded}:{qp(card.name)}\r\n"
            f"ORG:{card.organisation}\r\nTITLE:{card.title}\r\n"
            f"EMAIL;WORK:{card.emails[0][1]}\r\nEMAIL;HOME:{card.emails[1][1]}\r\n"
            f"TEL;CELL:{card.phones[0][1]}\r\n"
            f"NOTE{encoded}:{qp(card.note or '')}\r\n"
            f"X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;K;1;;;;;;;;;;;;;\r\n"
            "END:VCARD\r\n"
        )
    return "".join(parts).encode("ascii")


def _median_s(job: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("vcard_old", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="5000,50000", help="card counts, comma-separated")
    parser.add_argument("--old", type=Path, help="an earlier vcard.py to time beside this one")
    args = parser.parse_args()
    modules = [("now", vcard)] + ([("old", _load(args.old))] if args.old else [])
    print(f"vCard: median of {args.runs} runs; goal ≤ {GOAL_MS_A_CARD} ms a card")
    print(f"{'measure':<40}{'cards':>8}{'':>6}{'median':>10}{'a card':>10}  met")
    for size in (int(part) for part in args.sizes.split(",")):
        cards = draw_cards(size)
        v4, v3, v21 = vcard.cards_to_vcf(cards), vcard.cards_to_vcf(cards, version="3.0"), android_2_1(cards)
        read, problems = vcard.parse_vcards(v4, source="bench.vcf")
        assert read == cards and not problems, "the 4.0 file does not read back as written"
        assert len(vcard.parse_vcards(v21, source="android.vcf")[0]) == size
        for label, function, argument, options in (
            ("write vCard 4.0 (cards_to_vcf)", "cards_to_vcf", cards, {}),
            ("write vCard 3.0", "cards_to_vcf", cards, {"version": "3.0"}),
            ("read vCard 4.0 (parse_vcards)", "parse_vcards", v4, {"source": "bench.vcf"}),
            ("read vCard 3.0", "parse_vcards", v3, {"source": "bench.vcf"}),
            ("read vCard 2.1, quoted-printable", "parse_vcards", v21, {"source": "android.vcf"}),
        ):
            for which, module in modules:
                seconds = _median_s(partial(getattr(module, function), argument, **options), args.runs)
                per_card = seconds * 1000 / size
                met = "yes" if per_card <= GOAL_MS_A_CARD else "NO"
                print(f"{label:<40}{size:>8,}{which:>6}{seconds:>9.2f}s{per_card:>8.3f}ms  {met}")


if __name__ == "__main__":
    main()
