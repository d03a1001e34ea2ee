"""`companion campaign VERB` and `companion cohort members`: drawing a campaign's targets, its work list, a
proposition's feedback from the market, and who a cohort holds."""

from __future__ import annotations

import json

from companion.cli.common import EXIT_OK, day_option, workspace


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "campaign", help="campaigns: draw their targets, work them, read the market's feedback"
    )
    p.set_defaults(handler=_cmd_verb, verbs=CAMPAIGN_VERBS)
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    v = verbs.add_parser(
        "draw", help="draw the campaign's targets from its cohort (again: adds only who is not targeted yet)"
    )
    v.add_argument("campaign", metavar="CAMPAIGN", help="the campaign's name (or part of it) or id")
    v.add_argument("--today", metavar="YYYY-MM-DD", help="whose positions are current (default: today)")
    v = verbs.add_parser("worklist", help="the campaign's targets: open ones first by rank, then the settled")
    v.add_argument("campaign", metavar="CAMPAIGN", help="the campaign's name (or part of it) or id")
    v.add_argument("--json", action="store_true", help="as JSON, every column")
    v = verbs.add_parser("feedback", help="declines and their reasons over every campaign of a proposition")
    v.add_argument("proposition", metavar="PROPOSITION", help="the proposition's title (or part of it) or id")
    v.add_argument("--json", action="store_true", help="as JSON")
    p = sub.add_parser("cohort", help="cohorts: the clients a cohort holds")
    p.set_defaults(handler=_cmd_verb, verbs=COHORT_VERBS)
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    v = verbs.add_parser("members", help="the cohort's clients by name (+ marks a manual addition)")
    v.add_argument("cohort", metavar="COHORT", help="the cohort's name (or part of it) or id")
    v.add_argument("--json", action="store_true", help="as JSON")


def _cmd_verb(args) -> int:
    """Runs the command's verb (its parser's `verbs`) on the workspace."""
    ws = workspace(args)
    try:
        return args.verbs[args.verb](ws, args)
    finally:
        ws.close()


def _print_rows(args, rows: list, nothing: str, lines) -> int:
    """The rows as JSON with --json; else `nothing` when there are none, or each row's `lines`."""
    from dataclasses import asdict

    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False))
    elif not rows:
        print(nothing)
    else:
        for r in rows:
            print("\n".join(lines(r)))
    return EXIT_OK


def _draw(ws, args) -> int:
    from companion.core.campaigns import draw_targets
    from companion.core.naming import find_record

    today = day_option("--today", args.today)
    campaign = find_record(ws, "campaign", args.campaign)
    changes = draw_targets(ws, campaign.id, today=today)
    drawn = len(changes)
    print(f"{campaign['name']}: drew {drawn} new target{'' if drawn == 1 else 's'}")
    return EXIT_OK


def _worklist(ws, args) -> int:
    from companion.core.campaigns import work_list
    from companion.core.naming import find_record

    campaign = find_record(ws, "campaign", args.campaign)
    nothing = f"{campaign['name']}: no targets yet (companion campaign draw)"
    return _print_rows(args, work_list(ws, campaign.id), nothing, _target_lines)


def _target_lines(r) -> list[str]:
    from companion.model.labels import choice_label

    who = f"{r.contact_name}, {r.title}" if r.contact_name and r.title else r.contact_name or "(find who)"
    role = f" · {choice_label(r.buying_role).lower()}" if r.buying_role else ""
    lines = [f"{r.rank or '-':>4}  {choice_label(r.status):<12}  {r.client_name}: {who}{role}"]
    if r.route_via_name:
        lines.append(f"      through {r.route_via_name}")
    if r.next_step:
        lines.append(f"      next: {r.next_step}" + (f" by {r.next_step_due}" if r.next_step_due else ""))
    if r.reason:
        lines.append(f"      why: {' '.join(r.reason.split())}")
    return lines


def _feedback(ws, args) -> int:
    from dataclasses import asdict

    from companion.core.campaigns import feedback
    from companion.core.naming import find_record

    proposition = find_record(ws, "proposition", args.proposition)
    result = feedback(ws, proposition.id)
    if args.json:
        print(json.dumps(asdict(result), indent=2, ensure_ascii=False))
        return EXIT_OK
    if not result.targets:
        print(f"{proposition['title']}: no campaign has approached anyone with it yet")
        return EXIT_OK
    print(
        f"{proposition['title']}: {result.declined} declined, {result.not_relevant} not relevant"
        f" of {result.targets} targets"
    )
    if result.by_reason:
        print("By reason:")
        print("\n".join(f"  {n:>4}  {reason}" for reason, n in result.by_reason))
    if result.by_cohort:
        print("By cohort (declines of targets):")
        print("\n".join(f"  {n:>4} of {total:<4} {name}" for name, n, total in result.by_cohort))
    if result.by_month:
        print("By month:")
        print("\n".join(f"  {month}  {n}" for month, n in result.by_month))
    return EXIT_OK


def _cohort_members(ws, args) -> int:
    from companion.core.cohorts import member_rows
    from companion.core.naming import find_record

    cohort = find_record(ws, "cohort", args.cohort)
    return _print_rows(args, member_rows(ws, cohort.id), f"{cohort['name']}: no clients", _member_lines)


def _member_lines(r) -> list[str]:
    facts = ", ".join(str(f) for f in (r.industry, r.status) if f)
    return [f"{'+' if r.added else ' '} {r.name}" + (f" ({facts})" if facts else "")]


CAMPAIGN_VERBS = {"draw": _draw, "worklist": _worklist, "feedback": _feedback}
COHORT_VERBS = {"members": _cohort_members}
