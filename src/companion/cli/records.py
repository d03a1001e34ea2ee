"""The generic record verbs over every kind: kinds, list, show, add, set, delete, search, export, import."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from companion.cli.common import EXIT_OK, require_exports, summarise, whole_number, workspace

# No workspace holds more records than this: a larger --limit is a typo.
MOST_LISTED = 1_000_000_000


def add_parsers(sub) -> None:
    p = sub.add_parser("kinds", help="list the record kinds and their fields")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_kinds)

    p = sub.add_parser("list", help="list the records of one kind")
    p.add_argument("kind")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=None)
    p.set_defaults(handler=_cmd_list)

    p = sub.add_parser("show", help="show one record")
    p.add_argument("kind")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_show)

    p = sub.add_parser("add", help="add a record: companion add KIND field=value …")
    p.add_argument("kind")
    p.add_argument("assignments", nargs="*", metavar="field=value")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_add)

    p = sub.add_parser("set", help="change fields of a record: companion set KIND ID field=value …")
    p.add_argument("kind")
    p.add_argument("id")
    p.add_argument("assignments", nargs="+", metavar="field=value")
    p.set_defaults(handler=_cmd_set)

    p = sub.add_parser("delete", help="delete a record")
    p.add_argument("kind")
    p.add_argument("id")
    p.add_argument("--cascade", action="store_true", help="also delete the records that belong to it")
    p.set_defaults(handler=_cmd_delete)

    p = sub.add_parser("search", help="search every kind of record")
    p.add_argument("text")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(handler=_cmd_search)

    p = sub.add_parser("export", help="write a JSON bundle of the workspace or one client")
    p.add_argument("--client", metavar="ID")
    p.add_argument("--out", metavar="FILE.json", required=True)
    p.set_defaults(handler=_cmd_export)

    p = sub.add_parser(
        "import", help="import a JSON bundle (all or nothing; importing twice changes nothing)"
    )
    p.add_argument("file")
    p.set_defaults(handler=_cmd_import)


def _parse_assignments(kind_name: str, assignments: Sequence[str]) -> dict[str, object]:
    from companion.model.errors import UnknownFieldError, ValidationError
    from companion.model.kinds import get_kind
    from companion.model.values import parse_text

    kind = get_kind(kind_name)
    values: dict[str, object] = {}
    for item in assignments:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValidationError(f"'{item}' is not of the form field=value.")
        f = kind.field(name)
        if f is None:
            known = ", ".join(kind.field_names)
            raise UnknownFieldError(f"{kind.label} has no field '{name}'. Fields: {known}.")
        values[name] = parse_text(kind, f, text)
    return values


def _record_json(record) -> dict:
    return {
        "kind": record.kind,
        "id": record.id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        **{k: v for k, v in record.values.items() if v is not None},
    }


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _cmd_kinds(args) -> int:
    from companion.model.kinds import KINDS

    if args.json:
        _print_json(
            [
                {
                    "kind": k.name,
                    "label": k.label,
                    "fields": [
                        {
                            "name": f.name,
                            "type": f.type,
                            "label": f.label,
                            "required": f.required,
                            **({"choices": list(f.choices)} if f.choices else {}),
                            **({"ref_kind": f.ref_kind} if f.ref_kind else {}),
                            **({"min": f.min, "max": f.max} if f.min is not None else {}),
                        }
                        for f in k.fields
                    ],
                }
                for k in KINDS
            ]
        )
        return EXIT_OK
    for k in KINDS:
        print(f"{k.name}  ({k.label})")
        for f in k.fields:
            extra = f" one of: {', '.join(f.choices)}" if f.choices else ""
            extra += f" → {f.ref_kind}" if f.ref_kind else ""
            extra += f" {f.min}–{f.max}" if f.min is not None else ""
            flag = " required" if f.required else ""
            print(f"    {f.name:<26} {f.type}{flag}{extra}")
    return EXIT_OK


def _cmd_list(args) -> int:
    from companion.model.kinds import get_kind

    kind = get_kind(args.kind)
    whole_number("--limit", args.limit, least=1, most=MOST_LISTED)
    ws = workspace(args)
    try:
        records = ws.list(kind=kind.name, limit=args.limit)
    finally:
        ws.close()
    if args.json:
        _print_json([_record_json(r) for r in records])
    else:
        for r in records:
            title = r.values.get(kind.title_field)
            print(f"{r.id}  {str(title).splitlines()[0] if title is not None else ''}")
    return EXIT_OK


def _cmd_show(args) -> int:
    from companion.model.kinds import get_kind
    from companion.model.values import format_value

    kind = get_kind(args.kind)
    ws = workspace(args)
    try:
        record = ws.get(kind=kind.name, id=args.id)
    finally:
        ws.close()
    if args.json:
        _print_json(_record_json(record))
        return EXIT_OK
    print(f"{kind.label} {record.id}")
    width = max(len(f.label) for f in kind.fields)
    for f in kind.fields:
        value = record.values.get(f.name)
        if value is None:
            continue
        text = format_value(f, value)
        if f.type == "longtext":
            print(f"{f.label}:")
            for line in text.splitlines():
                print(f"    {line}")
        else:
            print(f"{f.label + ':':<{width + 1}} {text}")
    return EXIT_OK


def _cmd_add(args) -> int:
    values = _parse_assignments(args.kind, args.assignments)
    ws = workspace(args)
    try:
        changes = ws.create(kind=args.kind, values=values)
        record = ws.get(kind=args.kind, id=changes.created_id)
    finally:
        ws.close()
    if args.json:
        _print_json(_record_json(record))
    else:
        print(record.id)
    return EXIT_OK


def _cmd_set(args) -> int:
    values = _parse_assignments(args.kind, args.assignments)
    ws = workspace(args)
    try:
        changes = ws.update(kind=args.kind, id=args.id, values=values)
    finally:
        ws.close()
    changed = sorted(changes.changes[0].after) if changes else []
    print(f"changed: {', '.join(changed)}" if changed else "nothing changed")
    return EXIT_OK


def _cmd_delete(args) -> int:
    from companion.model.kinds import get_kind

    get_kind(args.kind)
    ws = workspace(args)
    try:
        changes = ws.delete(kind=args.kind, id=args.id, cascade=args.cascade)
    finally:
        ws.close()
    deleted = sum(1 for c in changes.changes if c.op == "delete")
    cleared = sum(1 for c in changes.changes if c.op == "update")
    print(
        f"deleted {deleted} record{'s' if deleted != 1 else ''}"
        + (f", cleared {cleared} reference(s)" if cleared else "")
    )
    return EXIT_OK


def _cmd_search(args) -> int:
    whole_number("--limit", args.limit, least=1, most=MOST_LISTED)
    ws = workspace(args)
    try:
        hits = ws.search(text=args.text, limit=args.limit)
    finally:
        ws.close()
    if args.json:
        _print_json(
            [{"kind": h.kind, "id": h.record_id, "title": h.title, "in_name": h.in_name} for h in hits]
        )
    else:
        for h in hits:
            # What tells records of one name apart follows the title: "Ana Andersen — CFO, Halvorsen Offshore".
            context = f" — {h.context}" if h.context else ""
            print(f"{h.kind:<24} {h.record_id}  {h.title}{context}")
    return EXIT_OK


def _cmd_export(args) -> int:
    from companion.interchange.bundle import private_phrase, write_bundle

    require_exports(args)

    ws = workspace(args)
    try:
        count = write_bundle(ws, Path(args.out), client_id=args.client)
        private = private_phrase(ws.export_records(client_id=args.client))
    finally:
        ws.close()
    left = f" ({private} left out)" if private else ""
    print(f"exported {count} records to {args.out}{left}")
    return EXIT_OK


def _cmd_import(args) -> int:
    from companion.interchange.bundle import import_bundle

    ws = workspace(args)
    try:
        changes = import_bundle(ws, Path(args.file))
    finally:
        ws.close()
    print(summarise(changes))
    return EXIT_OK
