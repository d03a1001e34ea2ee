"""`companion opportunity VERB`: the pipeline of deals by stage with each stage's value, and the open deals'
qualification gaps; the whole workspace's or one client's."""

from __future__ import annotations

import json

from companion.cli.common import EXIT_OK, bad_input, day_option, workspace

# The pipeline's columns: a title and a client are cut to these widths, with "…".
TITLE_WIDTH = 36
CLIENT_WIDTH = 24


def add_parsers(sub) -> None:
    p = sub.add_parser("opportunity", help="deals: the pipeline by stage and the qualification gaps")
    p.set_defaults(handler=_cmd_opportunity)
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    v = verbs.add_parser("list", help="the pipeline: every deal by stage, each stage's value by currency")
    _client_option(v)
    v.add_argument("--stage", metavar="STAGE", help="this stage only: idea, qualifying, proposing, …")
    v.add_argument("--json", action="store_true", help="as JSON")
    v = verbs.add_parser("gaps", help="what the open deals' qualification misses, from the people data")
    _client_option(v)
    v.add_argument("--json", action="store_true", help="as JSON")


def _client_option(parser) -> None:
    parser.add_argument(
        "--client", metavar="NAME_OR_ID", help="one client's only (its name, or part of it, or id)"
    )
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="read as of this day (default: today)")


def _cmd_opportunity(args) -> int:
    today = _today(args.today)
    stage = _stage(getattr(args, "stage", None))
    ws = workspace(args)
    try:
        return OPPORTUNITY_VERBS[args.verb](ws, args, today=today, stage=stage)
    finally:
        ws.close()


def _today(text: str | None):
    return day_option("--today", text)


def _stage(text: str | None) -> str | None:
    from companion.model.kinds import OPPORTUNITY_STAGES

    if text is None:
        return None
    wanted = text.strip().lower().replace(" ", "_")
    if wanted not in OPPORTUNITY_STAGES:
        raise bad_input(f"--stage: '{text}' is not a stage; the stages: {', '.join(OPPORTUNITY_STAGES)}.")
    return wanted


def _client_id(ws, args) -> str | None:
    from companion.core.naming import find_client

    return find_client(ws, args.client).id if args.client else None


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _opportunity_list(ws, args, *, today, stage) -> int:
    from companion.core.account_plan import amount
    from companion.core.opportunities import pipeline, totals_words

    client_id = _client_id(ws, args)
    stages = [s for s in pipeline(ws, client_id=client_id, today=today).stages if stage in (None, s.name)]
    if args.json:
        print(json.dumps([_stage_json(s) for s in stages], indent=2, ensure_ascii=False))
        return EXIT_OK
    for s in stages:
        count = f"{len(s.rows)} deal" + ("" if len(s.rows) == 1 else "s")
        total = totals_words(s.totals)
        print(f"{s.label} · {count}" + (f" · {total}" if total else ""))
        for row in s.rows:
            value = amount(row.value, currency=row.currency) if row.value is not None else "-"
            columns = [_cut(row.title, TITLE_WIDTH).ljust(TITLE_WIDTH)]
            if client_id is None:
                columns.append(_cut(row.client_name, CLIENT_WIDTH).ljust(CLIENT_WIDTH))
            columns += [
                value.rjust(16),
                (row.expected_close or "-").ljust(10),
                f"{row.confirmed}/8",
                f"{len(row.gaps)} gap" + ("" if len(row.gaps) == 1 else "s") if row.gaps else "",
            ]
            print("  " + "  ".join(columns).rstrip())
    return EXIT_OK


def _stage_json(stage) -> dict:
    return {
        "stage": stage.name,
        "label": stage.label,
        "totals": stage.totals,
        "deals": [
            {
                "id": r.id,
                "client_id": r.client_id,
                "client": r.client_name,
                "title": r.title,
                "stage": r.stage,
                "value": r.value,
                "currency": r.currency,
                "expected_close": r.expected_close,
                "next_step": r.next_step,
                "next_step_due": r.next_step_due,
                "confirmed": r.confirmed,
                "gaps": [_gap_json(g) for g in r.gaps],
            }
            for r in stage.rows
        ],
    }


def _gap_json(gap) -> dict:
    return {"key": gap.key, "text": gap.text, "contact_id": gap.contact_id}


def _opportunity_gaps(ws, args, *, today, stage) -> int:
    from companion.core.opportunities import pipeline

    client_id = _client_id(ws, args)
    rows = [r for r in pipeline(ws, client_id=client_id, today=today).rows if r.gaps]
    rows.sort(key=lambda r: (r.client_name.lower(), r.title.lower(), r.id))
    if args.json:
        found = [
            {"id": r.id, "client": r.client_name, "title": r.title, "gaps": [_gap_json(g) for g in r.gaps]}
            for r in rows
        ]
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print("No qualification gaps in the open deals.")
        return EXIT_OK
    from companion.core.opportunities import deal_words

    for r in rows:
        print(f"{r.client_name} · {r.title} ({deal_words(r)}) · {r.confirmed}/8 confirmed")
        for gap in r.gaps:
            print(f"  - {gap.text}")
    return EXIT_OK


OPPORTUNITY_VERBS = {"list": _opportunity_list, "gaps": _opportunity_gaps}
