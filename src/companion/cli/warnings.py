"""`companion warning VERB`: the early warnings waiting for a decision; accept one (it becomes a risk) or
dismiss it (it is not proposed again)."""

from __future__ import annotations

import json

from companion.cli.common import EXIT_OK, workspace


def add_parsers(sub) -> None:
    p = sub.add_parser("warning", help="early warnings: risks that propose themselves; accept or dismiss")
    p.set_defaults(handler=_cmd_warning)
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    v = verbs.add_parser("list", help="the early warnings waiting for a decision, the weightiest first")
    v.add_argument(
        "--client", metavar="NAME_OR_ID", help="one client's only (its name, or part of it, or id)"
    )
    v.add_argument("--json", action="store_true", help="as JSON, with the risk each would become")
    v = verbs.add_parser("accept", help="make the warning a risk of its client (undo: delete the risk)")
    v.add_argument("key", metavar="KEY", help="the warning's key, as `warning list` shows it")
    v = verbs.add_parser("dismiss", help="dismiss the warning: it is not proposed again")
    v.add_argument("key", metavar="KEY", help="the warning's key, as `warning list` shows it")


def _cmd_warning(args) -> int:
    ws = workspace(args)
    try:
        return WARNING_VERBS[args.verb](ws, args)
    finally:
        ws.close()


def _warning_list(ws, args) -> int:
    from companion.core.early_warning import warnings
    from companion.core.naming import find_client

    client_id = find_client(ws, args.client).id if args.client else None
    found = warnings(ws, client_id=client_id)
    if args.json:
        print(json.dumps([_as_json(w) for w in found], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not found:
        print("No early warnings.")
        return EXIT_OK
    for w in found:
        print(f"{w.key}\n  {w.client_name}: {w.title}\n  {w.why}")
    return EXIT_OK


def _as_json(w) -> dict:
    risk = w.risk
    return {
        "key": w.key,
        "rule": w.rule,
        "client_id": w.client_id,
        "client": w.client_name,
        "title": w.title,
        "why": w.why,
        "since": w.since,
        "about": {"kind": w.subject_kind, "id": w.subject_id},
        "risk": {
            "title": risk.title,
            "category": risk.category,
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "trigger": risk.trigger,
            "contact_ids": list(risk.contact_ids),
            "competitor_id": risk.competitor_id,
        },
    }


def _warning_accept(ws, args) -> int:
    from companion.core.early_warning import accept

    changes = accept(ws, args.key)
    risk = next(c for c in changes.changes if c.kind == "risk")
    print(f"accepted: risk {risk.id} “{risk.after['title']}”")
    return EXIT_OK


def _warning_dismiss(ws, args) -> int:
    from companion.core.early_warning import dismiss

    dismiss(ws, args.key)
    print(f"dismissed: {args.key.strip()}")
    return EXIT_OK


WARNING_VERBS = {"list": _warning_list, "accept": _warning_accept, "dismiss": _warning_dismiss}
