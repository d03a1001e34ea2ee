"""The command line: one generic set of verbs over every record kind, driven by the kinds table."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from companion import __version__

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="companion",
        description="Companion: clients, their people, culture and meeting preparation, offline.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="folder of the workspace (default: the OS's data folder)"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this build end to end without a screen (a temporary workspace; nothing of yours is read)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="open the desktop app (the default)")
    p.add_argument(
        "--quit-after-ready", action="store_true", help="exit once the window is ready (start-up probe)"
    )

    p = sub.add_parser("kinds", help="list the record kinds and their fields")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("list", help="list the records of one kind")
    p.add_argument("kind")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=None)

    p = sub.add_parser("show", help="show one record")
    p.add_argument("kind")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("add", help="add a record: companion add KIND field=value …")
    p.add_argument("kind")
    p.add_argument("assignments", nargs="*", metavar="field=value")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("set", help="change fields of a record: companion set KIND ID field=value …")
    p.add_argument("kind")
    p.add_argument("id")
    p.add_argument("assignments", nargs="+", metavar="field=value")

    p = sub.add_parser("delete", help="delete a record")
    p.add_argument("kind")
    p.add_argument("id")
    p.add_argument("--cascade", action="store_true", help="also delete the records that belong to it")

    p = sub.add_parser("search", help="search every kind of record")
    p.add_argument("text")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=20)

    p = sub.add_parser("export", help="write a JSON bundle of the workspace or one client")
    p.add_argument("--client", metavar="ID")
    p.add_argument("--out", metavar="FILE.json", required=True)

    p = sub.add_parser(
        "import", help="import a JSON bundle (all or nothing; importing twice changes nothing)"
    )
    p.add_argument("file")

    p = sub.add_parser("meeting", help="meetings: checklist, brief (PDF), calendar files, logging")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    v = verbs.add_parser("list", help="meetings from today on, with how far their preparation is")
    v.add_argument("--all", action="store_true", help="past, held and cancelled ones too")
    v = verbs.add_parser("checklist", help="the meeting's composed checklist, brought up to date")
    v.add_argument("id")
    v = verbs.add_parser("brief", help="the meeting brief as Markdown, or as a PDF")
    v.add_argument("id")
    v.add_argument("--pdf", metavar="FILE.pdf", help="write a print-ready PDF instead")
    v.add_argument("--page-size", choices=("a4", "letter"), default="a4")
    v = verbs.add_parser("ics", help="the meeting as an iCalendar event with the brief's summary")
    v.add_argument("id")
    v.add_argument("--out", metavar="FILE.ics", help="write to a file instead of standard output")
    v = verbs.add_parser("import-ics", help="import meetings from an .ics file (all or nothing)")
    v.add_argument("file")
    v.add_argument("--client", metavar="ID", help="the client of events whose attendees are unknown")
    v = verbs.add_parser("log", help="log what happened: an interaction with the attendees; marks it held")
    v.add_argument("id")
    v.add_argument("--summary", required=True)
    v.add_argument("--sentiment", choices=("positive", "neutral", "negative", "mixed"))
    v.add_argument(
        "--follow-up", action="append", default=[], metavar="TEXT[@YYYY-MM-DD]", help="repeat for each"
    )

    p = sub.add_parser("pack", help="a client's induction pack: Markdown, PDF, HTML, sign-offs")
    p.add_argument("client", metavar="CLIENT_ID")
    p.add_argument("--pdf", metavar="FILE.pdf", help="write the pack as a PDF")
    p.add_argument("--html", metavar="FILE.html", help="write the pack as one self-contained HTML file")
    p.add_argument("--page-size", choices=("a4", "letter"), default="a4")
    candid = p.add_mutually_exclusive_group()
    candid.add_argument(
        "--candid", dest="candid", action="store_true", default=None, help="include candid assessments"
    )
    candid.add_argument("--no-candid", dest="candid", action="store_false", help="leave them out")
    p.add_argument("--sign-off", metavar="COLLEAGUE_ID", help="record that this colleague read the pack")
    p.add_argument("--status", action="store_true", help="who is cleared, must re-read, or never read it")

    p = sub.add_parser("serve", help="run the sync server (FastAPI with uvicorn)")
    p.add_argument("--database", metavar="URL", help="default: an SQLite file in the server's data folder")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--ssl-certfile", metavar="FILE")
    p.add_argument("--ssl-keyfile", metavar="FILE")

    p = sub.add_parser("server", help="administer the sync server: teams, users, members, tokens")
    p.add_argument("--database", metavar="URL", help="default: an SQLite file in the server's data folder")
    nouns = p.add_subparsers(dest="noun", metavar="WHAT", required=True)
    v = nouns.add_parser("team", help="teams").add_subparsers(dest="verb", required=True)
    v.add_parser("add").add_argument("name")
    v.add_parser("list")
    v = nouns.add_parser("user", help="users").add_subparsers(dest="verb", required=True)
    v.add_parser("add").add_argument("name")
    v = nouns.add_parser("member", help="who is in which team").add_subparsers(dest="verb", required=True)
    for verb in ("add", "remove"):
        m = v.add_parser(verb)
        m.add_argument("team")
        m.add_argument("user")
    v = nouns.add_parser("token", help="device tokens (shown once)").add_subparsers(
        dest="verb", required=True
    )
    t = v.add_parser("issue")
    t.add_argument("user")
    t.add_argument("--device", required=True, help="which laptop it is for")
    v.add_parser("revoke").add_argument("token_id")

    p = sub.add_parser("sync", help="sync with the team's server: one cycle, or login / status / logout")
    p.add_argument("verb", nargs="?", choices=("login", "status", "logout", "now"), default="now")
    p.add_argument("--server", metavar="URL", help="for login")
    p.add_argument("--team", metavar="NAME", help="for login: the team the local records go to")
    p.add_argument("--token-stdin", action="store_true", help="for login: read the token from standard input")
    p.add_argument("--allow-deletes", action="store_true", help="accept a pull that deletes many records")

    passphrase_help = (
        "protect it with a passphrase (asked for; COMPANION_PASSPHRASE for scripts) instead of the keyring"
    )
    p = sub.add_parser("encrypt", help="encrypt the workspace in place (its key kept in the OS keyring)")
    p.add_argument("--passphrase", action="store_true", help=passphrase_help)
    sub.add_parser("decrypt", help="write the workspace back as a plain SQLite file")
    p = sub.add_parser("backup", help="a consistent copy of the workspace, encrypted as the workspace is")
    p.add_argument("--out", required=True, metavar="FILE", help="the new file (never overwritten)")
    p.add_argument(
        "--passphrase",
        action="store_true",
        help="encrypt the copy with a passphrase, to open on another computer",
    )
    p = sub.add_parser("restore", help="replace the workspace with a checked backup (the old one is kept)")
    p.add_argument("file", metavar="FILE")

    p = sub.add_parser("settings", help="list the settings (and who set them), or change yours")
    p.add_argument("verb", nargs="?", choices=("list", "set", "reset"), default="list")
    p.add_argument("key", nargs="?", help="for set and reset, e.g. sync.interval_minutes")
    p.add_argument("value", nargs="?", help="for set")

    p = sub.add_parser(
        "updates", help="is a newer signed release listed by the team? (settings: updates.feed_url)"
    )
    p.add_argument("--feed", metavar="URL_OR_FOLDER", help="ask this listing instead of the settings' one")

    p = sub.add_parser("demo", help="load the demo workspace, or a large synthetic one")
    p.add_argument("--synthetic", type=int, metavar="N", help="generate N clients instead")
    p.add_argument("--seed", type=int, default=1)
    return parser


def _workspace(args):
    """The workspace, opened with its key; a passphrase is asked for at a terminal when one is needed."""
    from companion.app import opener, workspace_keys
    from companion.app.config import data_dir, workspace_path
    from companion.store.cipher import KeyNeeded

    path = workspace_path(data_dir(args.data_dir))
    try:
        return opener.open_workspace(path)
    except (KeyNeeded, workspace_keys.KeyringUnavailable) as exc:
        new = not path.exists()
        passphrase = _ask_passphrase(str(exc), confirm=new)
        if passphrase is None:
            raise
        return opener.open_workspace(path, passphrase=passphrase)


def _ask_passphrase(why: str, *, confirm: bool) -> str | None:
    """A passphrase typed at a terminal (None without one: scripts set COMPANION_PASSPHRASE)."""
    import getpass

    from companion.model.errors import ValidationError

    if not sys.stdin.isatty():
        return None
    print(f"companion: {why}", file=sys.stderr)
    passphrase = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("Passphrase again: ") != passphrase:
        raise ValidationError("The two passphrases differ. Nothing was written.")
    if not passphrase:
        raise ValidationError("The passphrase is empty. Nothing was written.")
    return passphrase


def _passphrase_option(args, *, confirm: bool) -> str | None:
    """--passphrase: typed at a terminal, else COMPANION_PASSPHRASE; None without the option."""
    from companion.app.workspace_keys import PASSPHRASE_ENV
    from companion.model.errors import ValidationError

    if not getattr(args, "passphrase", False):
        return None
    typed = _ask_passphrase("Choose the passphrase.", confirm=confirm)
    passphrase = typed or os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        raise ValidationError(f"--passphrase needs a terminal to type it at, or {PASSPHRASE_ENV}.")
    return passphrase


def _cmd_workspace_file(args) -> int:
    """encrypt, decrypt, backup and restore: whole-file operations, checked before anything is replaced."""
    from companion.app import workspace_files
    from companion.app.config import data_dir, workspace_path

    path = workspace_path(data_dir(args.data_dir))
    if args.command == "encrypt":
        outcome = workspace_files.encrypt(path, passphrase=_passphrase_option(args, confirm=True))
    elif args.command == "decrypt":
        outcome = workspace_files.decrypt(path, key=_file_key(path))
    elif args.command == "backup":
        if not path.exists():
            print(f"companion: there is no workspace at {path} to back up", file=sys.stderr)
            return EXIT_BAD_INPUT
        if args.passphrase:
            _require_exports(args)  # a copy that opens on another computer is an export
        key = _file_key(path)
        outcome = workspace_files.backup(
            path, Path(args.out), key=key, passphrase=_passphrase_option(args, confirm=True)
        )
    else:
        backup_file = Path(args.file)
        if not backup_file.exists():
            print(f"companion: there is no file {backup_file}", file=sys.stderr)
            return EXIT_BAD_INPUT
        outcome = workspace_files.restore(
            path,
            backup_file,
            backup_key=_file_key(backup_file),
            current_key=_file_key(path) if path.exists() else None,
        )
    print(outcome.message)
    return EXIT_OK


def _file_key(path: Path):
    """The key of an existing file (None when plain): the keyring's or COMPANION_PASSPHRASE, else its
    passphrase typed at a terminal and checked against the file."""
    from companion.app import workspace_keys
    from companion.store.cipher import KeyNeeded

    try:
        return workspace_keys.key_for(path)
    except (KeyNeeded, workspace_keys.KeyringUnavailable) as exc:
        passphrase = _ask_passphrase(str(exc), confirm=False)
        if passphrase is None:
            raise
        return workspace_keys.passphrase_key(path, passphrase)


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
    ws = _workspace(args)
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
    ws = _workspace(args)
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
    ws = _workspace(args)
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
    ws = _workspace(args)
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
    ws = _workspace(args)
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
    ws = _workspace(args)
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
            print(f"{h.kind:<24} {h.record_id}  {h.title}")
    return EXIT_OK


def _require_exports(args) -> None:
    from companion.app import settings
    from companion.app.config import data_dir

    settings.require_exports(settings.load(data_dir(args.data_dir)))


def _cmd_export(args) -> int:
    from companion.interchange.bundle import write_bundle

    _require_exports(args)

    ws = _workspace(args)
    try:
        count = write_bundle(ws, Path(args.out), client_id=args.client)
        notes = ws.export_records(client_id=args.client).get("note", [])
        private = sum(1 for n in notes if n.get("privacy") == "private")
    finally:
        ws.close()
    left = f" ({private} private note{'' if private == 1 else 's'} left out)" if private else ""
    print(f"exported {count} records to {args.out}{left}")
    return EXIT_OK


def _summarise(changes) -> str:
    counts: dict[str, int] = {}
    for c in changes.changes:
        counts[c.op] = counts.get(c.op, 0) + 1
    if not counts:
        return "nothing changed"
    words = {"create": "added", "update": "updated", "restore": "restored", "delete": "deleted"}
    return ", ".join(f"{words[op]} {n}" for op, n in counts.items())


def _cmd_import(args) -> int:
    from companion.interchange.bundle import import_bundle

    ws = _workspace(args)
    try:
        changes = import_bundle(ws, Path(args.file))
    finally:
        ws.close()
    print(_summarise(changes))
    return EXIT_OK


def _cmd_settings(args) -> int:
    from companion.app import settings
    from companion.app.config import data_dir

    loaded = settings.load(data_dir(args.data_dir))
    for problem in loaded.problems:
        print(f"companion: {problem}", file=sys.stderr)
    if args.verb in ("set", "reset"):
        if not args.key or (args.verb == "set" and args.value is None):
            print(
                f"companion: settings {args.verb} needs a key"
                + (" and a value" if args.verb == "set" else ""),
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        try:
            loaded.set(args.key, args.value if args.verb == "set" else None)
        except settings.BadSetting as exc:
            print(f"companion: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"{args.key} = {json.dumps(loaded.value(args.key))} ({loaded.source(args.key)})")
        return EXIT_OK
    sources = {"locked": "locked by your administrator", "user": "yours", "site": "site default"}
    for setting in settings.SETTINGS:
        shown = f"{setting.key} = {json.dumps(loaded.value(setting.key))}"
        print(f"{shown:<52} {sources.get(loaded.source(setting.key), 'built-in')}")
    return EXIT_OK


def _cmd_updates(args) -> int:
    """Asked for explicitly, so it runs even when automatic checks are off, unless an admin locked them off."""
    from companion.app import settings, updates
    from companion.app.config import data_dir

    loaded = settings.load(data_dir(args.data_dir))
    if args.feed:
        if reason := loaded.lock_reason("updates.feed_url"):
            raise settings.LockedSetting(
                f"This laptop asks only {loaded.value('updates.feed_url')}. {reason}"
            )
        loaded.user["updates.feed_url"] = args.feed  # this run only: nothing is saved
    result = updates.check(loaded)
    print(result.summary())
    if result.newer:
        for name in result.release.installers() or sorted(result.release.checksums):
            print(f"  {result.release.location(name)}\n    sha256 {result.release.checksums[name]}")
    return EXIT_OK


def _cmd_demo(args) -> int:
    from companion.core import demo

    ws = _workspace(args)
    try:
        if args.synthetic is not None:
            if args.synthetic < 1:
                raise _bad_input("--synthetic takes a number of clients of at least 1.")
            changes = demo.load_synthetic(ws, clients=args.synthetic, seed=args.seed)
        else:
            changes = demo.load_demo(ws)
    finally:
        ws.close()
    print(_summarise(changes))
    return EXIT_OK


def _cmd_meeting(args) -> int:
    ws = _workspace(args)
    try:
        return MEETING_VERBS[args.verb](ws, args)
    finally:
        ws.close()


def _meeting_list(ws, args) -> int:
    import datetime as dt

    from companion.core import checklist, meetings
    from companion.core.brief import format_when

    since = dt.datetime.combine(dt.date.today(), dt.time()).astimezone()
    rows = ws.columns(kind="meeting", fields=("id", "title", "starts_at", "ends_at", "status"))
    rows = sorted(rows, key=lambda r: str(r[2]))
    shown = 0
    for meeting_id, title, starts_at, ends_at, status in rows:
        upcoming = status in meetings.OPEN_STATUSES and dt.datetime.fromisoformat(str(starts_at)) >= since
        if not (args.all or upcoming):
            continue
        state = checklist.readiness(meetings.checklist_items(ws, meeting_id))
        print(
            f"{meeting_id}  {format_when(starts_at, ends_at)}  {status or 'planned'}  {state.percent:>3}%  {title}"
        )
        shown += 1
    if not shown:
        print("No upcoming meetings." if not args.all else "No meetings.")
    return EXIT_OK


def _meeting_checklist(ws, args) -> int:
    from companion.core import checklist, meetings

    meetings.recompose(ws, meeting_id=args.id)
    items = checklist.shown(meetings.checklist_items(ws, args.id))
    state = checklist.readiness(items)
    print(f"{state.percent}% ticked ({state.done} of {state.total}); {len(state.open_musts)} must-items open")
    section = None
    for item in items:
        if checklist.section_of(item) != section:
            section = checklist.section_of(item)
            print(f"\n{section}")
        mark = "x" if item["done"] else " "
        must = " (must)" if item["must"] else ""
        print(f"  [{mark}] {item['text']}{must}")
    return EXIT_OK


def _meeting_brief(ws, args) -> int:
    from companion.core.meetings import recompose
    from companion.render.brief import brief_document

    recompose(ws, meeting_id=args.id)
    title, markdown = brief_document(ws, meeting_id=args.id)
    if not args.pdf:
        sys.stdout.write(markdown)
        return EXIT_OK
    _require_exports(args)
    from companion.render.pdf import write_pdf

    write_pdf(markdown, Path(args.pdf), page_size=args.page_size, title=title)
    print(f"wrote {args.pdf}")
    return EXIT_OK


def _meeting_ics(ws, args) -> int:
    from companion.core.meetings import recompose
    from companion.interchange.ics import meeting_calendar

    recompose(ws, meeting_id=args.id)
    data = meeting_calendar(ws, meeting_id=args.id)
    if args.out:
        _require_exports(args)
        Path(args.out).write_bytes(data)
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(data.decode("utf-8"))
    return EXIT_OK


def _meeting_import_ics(ws, args) -> int:
    from companion.core.meetings import UNKNOWN_CLIENT, import_calendar
    from companion.interchange.ics import read_ics

    report = import_calendar(ws, events=read_ics(Path(args.file)), client_id=args.client)
    added, updated = len(report.created), len(report.updated)
    print(f"{added} meeting{'' if added == 1 else 's'} added, {updated} updated")
    for title, why in report.skipped:
        hint = " (import again with --client ID)" if why == UNKNOWN_CLIENT else ""
        print(f"skipped “{title}”: {why}{hint}")
    for title, who in report.unmatched:
        print(f"not matched to anyone here: {who} (in “{title}”)")
    return EXIT_OK


def _meeting_log(ws, args) -> int:
    from companion.core.meetings import log_meeting, parse_follow_ups

    follow_ups = parse_follow_ups("\n".join(args.follow_up))
    changes = log_meeting(
        ws, meeting_id=args.id, summary=args.summary, sentiment=args.sentiment, follow_ups=follow_ups
    )
    print(_summarise(changes))
    return EXIT_OK


MEETING_VERBS = {
    "list": _meeting_list,
    "checklist": _meeting_checklist,
    "brief": _meeting_brief,
    "ics": _meeting_ics,
    "import-ics": _meeting_import_ics,
    "log": _meeting_log,
}


def _cmd_pack(args) -> int:
    from companion.core import induction

    ws = _workspace(args)
    try:
        if args.sign_off:
            induction.sign_off(ws, client_id=args.client, colleague_id=args.sign_off)
        state = induction.current(ws, client_id=args.client, candid=args.candid)
        version = int(state.version["number"])
        if args.status:
            for reader in induction.clearance(ws, state=state):
                print(f"{reader.status:<8} {reader.name}: {reader.explanation}")
        elif args.pdf or args.html:
            _require_exports(args)
            from companion.core.people import people_at
            from companion.ui.people.org_picture import pack_images  # draws with the app's own chart

            people = people_at(ws, client_id=args.client)
            images = pack_images(people, candid=state.pack.candid) if state.pack.has_org_chart else {}
            from companion.render.pack import pack_html, write_pack_pdf

            if args.html:
                Path(args.html).write_text(
                    pack_html(state.pack, version=version, images=images), encoding="utf-8"
                )
                print(f"wrote {args.html}")
            if args.pdf:
                write_pack_pdf(
                    state.pack, Path(args.pdf), version=version, images=images, page_size=args.page_size
                )
                print(f"wrote {args.pdf}")
        elif args.sign_off:
            print(f"signed off version {version} ({state.pack.content_hash})")
        else:
            from companion.core.pack import pack_markdown

            sys.stdout.write(pack_markdown(state.pack, version=version))
    finally:
        ws.close()
    return EXIT_OK


def _server_engine(args):
    from companion.app.config import data_dir
    from companion.server import db

    url = args.database or f"sqlite:///{data_dir(args.data_dir) / 'server.sqlite'}"
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(url)
    db.migrate(engine)
    return engine


def _cmd_serve(args) -> int:
    import uvicorn

    from companion.server.app import create_app

    app = create_app(_server_engine(args))
    uvicorn.run(
        app, host=args.host, port=args.port, ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile,
        log_level="warning",
    )  # fmt: skip
    return EXIT_OK


def _cmd_server(args) -> int:
    import sqlalchemy as sa

    from companion.server import admin
    from companion.server.schema import team

    engine = _server_engine(args)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        if args.noun == "team" and args.verb == "add":
            print(admin.add_team(conn, args.name))
        elif args.noun == "team":
            for row in conn.execute(sa.select(team.c.id, team.c.name).order_by(team.c.name)):
                print(f"{row.id}  {row.name}")
        elif args.noun == "user":
            print(admin.add_account(conn, args.name))
        elif args.noun == "member" and args.verb == "add":
            admin.add_member(conn, team_name=args.team, user_name=args.user)
            print(f"{args.user} is a member of {args.team}")
        elif args.noun == "member":
            gone = admin.remove_member(conn, team_name=args.team, user_name=args.user)
            print(f"{args.user} left {args.team}" if gone else f"{args.user} was not a member of {args.team}")
        elif args.verb == "issue":
            token_id, secret = admin.issue_token(conn, user_name=args.user, device=args.device)
            print(f"token {token_id} for {args.user} on {args.device}; shown once, keep it safe:")
            print(secret)
        else:
            admin.revoke_token(conn, args.token_id)
            print(f"revoked {args.token_id}")
    engine.dispose()
    return EXIT_OK


def _cmd_sync(args) -> int:
    import getpass

    from companion.app.sync_account import connected_client, login, logout
    from companion.sync.client import open_conflicts

    ws = _workspace(args)
    try:
        if args.verb == "login":
            from companion.app import settings
            from companion.app.config import data_dir

            args.server = settings.sync_server(settings.load(data_dir(args.data_dir)), args.server)
            if not args.server or not args.team:
                raise _bad_input("sync login needs --server URL and --team NAME.")
            token = (
                sys.stdin.readline().strip()
                if args.token_stdin
                else getpass.getpass("Device token: ").strip()
            )
            login(ws, server=args.server, team_name=args.team, token=token)
            print(
                f"logged in to {args.server} as a member of {args.team}; local records will go to {args.team}"
            )
            return EXIT_OK
        server = ws.meta(key="sync_url")
        if server is None:
            raise _bad_input("This workspace is not connected to a server: run companion sync login first.")
        if args.verb == "logout":
            logout(ws)
            print(f"logged out of {server}; the workspace and its unsynced edits stay here")
            return EXIT_OK
        if args.verb == "status":
            pending = ws.outbox_count()
            print(f"server {server}, team {ws.meta(key='sync_team_name')}")
            print(f"{pending} edits to push, {len(open_conflicts(ws))} conflicts open")
            return EXIT_OK
        summary = connected_client(ws).sync(allow_deletes=args.allow_deletes)
        for message in summary.messages:
            print(message)
        print(summary.line())
        return EXIT_OK if summary.conflicts == 0 else 3
    finally:
        ws.close()


def _bad_input(message: str):
    from companion.model.errors import ValidationError

    return ValidationError(message)


def _cmd_gui(args) -> NoReturn:
    if args.command is None:
        args.quit_after_ready = False
    from companion.app.config import data_dir, workspace_path
    from companion.ui.shell.application import run

    folder = data_dir(args.data_dir)
    code = run(data_dir=folder, workspace_file=workspace_path(folder), quit_after_ready=args.quit_after_ready)
    # The workspace is closed and the window's settings written: what is left is tearing down Qt and
    # every object the interpreter holds, ~25 ms of freeing memory the system takes back anyway.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


COMMANDS = {
    "kinds": _cmd_kinds,
    "list": _cmd_list,
    "show": _cmd_show,
    "add": _cmd_add,
    "set": _cmd_set,
    "delete": _cmd_delete,
    "search": _cmd_search,
    "export": _cmd_export,
    "import": _cmd_import,
    "settings": _cmd_settings,
    "encrypt": _cmd_workspace_file,
    "decrypt": _cmd_workspace_file,
    "backup": _cmd_workspace_file,
    "restore": _cmd_workspace_file,
    "updates": _cmd_updates,
    "demo": _cmd_demo,
    "meeting": _cmd_meeting,
    "pack": _cmd_pack,
    "serve": _cmd_serve,
    "server": _cmd_server,
    "sync": _cmd_sync,
    "gui": _cmd_gui,
    None: _cmd_gui,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.self_test:
        from companion.ui.shell.self_test import run

        return run()
    if args.command not in (None, "gui"):
        # The window shows problems itself; importing logging there would only slow its start.
        import logging

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from companion.model.errors import BundleError, CompanionError, ValidationError

    try:
        return COMMANDS[args.command](args)
    except (ValidationError, BundleError) as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except CompanionError as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # the reader (head, less) has seen enough
        return EXIT_OK
    except OSError as exc:  # a file or folder named on the command line
        print(f"companion: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_FAILED
