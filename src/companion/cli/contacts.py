"""`companion import-contacts`, `export-contacts` and `merge`: people from and to address books, records made one."""

from __future__ import annotations

from pathlib import Path

from companion.cli.common import EXIT_OK, require_exports, summarise, workspace

POSSIBLE = ("skip", "create", "merge")


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "import-contacts",
        help="import people from a vCard or CSV file: matched against the workspace, one undoable change",
    )
    p.add_argument("file", help="a .vcf file, or a CSV export (Outlook, Google Contacts, LinkedIn…)")
    p.add_argument("--client", metavar="CLIENT", help="the client every person is at (id, name or alias)")
    p.add_argument(
        "--new-clients", action="store_true", help="make a client of an organisation that is none yet"
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read a CSV column as a field; repeat",
    )
    p.add_argument(
        "--possible",
        choices=POSSIBLE,
        default="skip",
        help="what to do with a possible duplicate: leave it out (default), make a new person, or add it to the likeliest",
    )
    p.add_argument(
        "--region", metavar="CC", help="the country of phone numbers written without +code (NO, DE…)"
    )
    p.add_argument("--dry-run", action="store_true", help="show what importing would do; write nothing")
    p.set_defaults(handler=_cmd_import)

    p = sub.add_parser("export-contacts", help="write people as a vCard file (address books, phones)")
    p.add_argument("--client", metavar="CLIENT", help="only the people who hold or held a role there")
    p.add_argument("--out", metavar="FILE.vcf", required=True)
    p.add_argument("--vcard3", action="store_true", help="vCard 3.0, for older phones (default 4.0)")
    p.set_defaults(handler=_cmd_export)

    p = sub.add_parser(
        "merge", help="make two records of one person or one client one (undoable in the window)"
    )
    verbs = p.add_subparsers(dest="verb", metavar="KIND", required=True)
    for kind, what in (("contact", "person"), ("client", "client")):
        v = verbs.add_parser(kind, help=f"merge OTHER into KEEP: everything of the other {what} moves over")
        v.add_argument("keep", metavar="KEEP", help=f"the {what} kept (id or name)")
        v.add_argument("other", metavar="OTHER", help=f"the {what} merged into it and deleted (id or name)")
    p.set_defaults(handler=_cmd_merge)


def _read(args):
    """The file's cards: a CSV file's columns read as guessed, with --map's pairs over the guess."""
    from companion.interchange.contacts_csv import guess_mapping, parse_mapping, read_csv_table
    from companion.interchange.contacts_file import VCARD_SUFFIXES, read_contacts
    from companion.interchange.text_files import decode_text, read_file
    from companion.model.errors import ValidationError

    path = Path(args.file)
    if not args.map:
        return read_contacts(path)
    data = read_file(path, expected="a contacts file (.vcf or .csv)")
    if path.suffix.lower() in VCARD_SUFFIXES or "BEGIN:VCARD" in decode_text(data[:4096]).upper():
        raise ValidationError(f"--map is for CSV files; {path} is a vCard file, whose fields are known.")
    header = read_csv_table(data, source=str(path)).header
    return read_contacts(path, mapping={**guess_mapping(header)[0], **parse_mapping(args.map, header)})


def _row_line(row) -> str:
    line = f"{row.status:<9} {row.card.record}  {row.card.name}"
    if row.match is not None:
        where = f" ({row.match.client_name})" if row.match.client_name else ""
        line += f" → {row.match.name}{where} [{row.match.why}]"
        others = [f"{c.name} [{c.why}]" for c in row.candidates if c.contact_id != row.match.contact_id][:2]
        line += f"; also {'; '.join(others)}" if others else ""
    if row.client_name and row.client_id is None:
        line += f"; “{row.client_name}” is no client here (--new-clients makes it one)"
    elif row.new_client:
        line += f"; new client “{row.client_name}”"
    if row.adds:
        line += (": adds " if row.status != "new" else ": ") + ", ".join(row.adds)
    elif row.status != "new":
        line += ": nothing new"
    return line


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


def _cmd_import(args) -> int:
    from companion.core.contact_import import apply_import, default_choice, preview_import
    from companion.core.naming import find_client

    contacts = _read(args)
    ws = workspace(args)
    try:
        client_id = find_client(ws, args.client).id if args.client else None
        preview = preview_import(
            ws, cards=contacts.cards, problems=contacts.problems, source=Path(args.file).name,
            client_id=client_id, create_clients=args.new_clients, region=args.region,
        )  # fmt: skip
        counts = {
            status: sum(1 for r in preview.rows if r.status == status)
            for status in ("new", "same", "possible")
        }
        print(
            f"{args.file} ({contacts.format}): {_plural(len(contacts.cards), 'card')}: {counts['new']} new, "
            f"{counts['same']} same, {counts['possible']} possible; {_plural(len(preview.problems), 'problem')}"
        )
        for row in preview.rows:
            print(_row_line(row))
        for problem in preview.problems:
            print(f"problem   {problem}")
        if args.dry_run:
            print("dry run: nothing written")
            return EXIT_OK
        choices = {}
        for row in preview.rows:
            if row.status == "possible" and args.possible != "skip":
                choices[row.index] = (
                    args.possible,
                    row.match.contact_id if args.possible == "merge" else None,
                )
            else:
                choices[row.index] = default_choice(row)
        done = apply_import(ws, preview=preview, choices=choices)
    finally:
        ws.close()
    parts = [
        f"added {_plural(len(done.created), 'person', 'people')}" if done.created else "",
        f"{len(done.merged)} added to" if done.merged else "",
        f"{done.unchanged} unchanged" if done.unchanged else "",
        f"skipped {len(done.skipped)}" if done.skipped else "",
        _plural(len(done.clients_created), "new client") if done.clients_created else "",
    ]
    said = ", ".join(part for part in parts if part) or "no cards"
    print(f"wrote: {said}" if done.changes else f"nothing written: {said}")
    return EXIT_OK


def _cmd_export(args) -> int:
    from companion.core.contact_import import cards_for_export
    from companion.core.naming import find_client
    from companion.interchange.contacts_file import write_vcf

    require_exports(args)
    ws = workspace(args)
    try:
        client_id = find_client(ws, args.client).id if args.client else None
        cards = cards_for_export(ws, client_id=client_id)
    finally:
        ws.close()
    write_vcf(Path(args.out), cards, version="3.0" if args.vcard3 else "4.0")
    print(f"exported {_plural(len(cards), 'person', 'people')} to {args.out}")
    return EXIT_OK


def _cmd_merge(args) -> int:
    from companion.core.contact_merge import merge_contacts
    from companion.core.duplicates import merge_clients
    from companion.core.naming import find_record

    ws = workspace(args)
    try:
        keep = find_record(ws, args.verb, args.keep)
        other = find_record(ws, args.verb, args.other)
        if args.verb == "contact":
            changes = merge_contacts(ws, keep_id=keep.id, other_id=other.id)
        else:
            changes = merge_clients(ws, keep_id=keep.id, duplicate_id=other.id)
    finally:
        ws.close()
    print(f"merged {other['name']} ({other.id}) into {keep['name']} ({keep.id}): {summarise(changes)}")
    return EXIT_OK
