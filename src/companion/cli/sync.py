"""`companion sync`: one sync cycle with the team's server, or login, status and logout."""

from __future__ import annotations

import sys

from companion.cli.common import EXIT_OK, bad_input, workspace

# The cycle ran, but some edits wait for a person to choose between two versions.
EXIT_CONFLICTS = 3


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "sync",
        help="sync with the team's server: one cycle, or login / status / logout / conflicts / resolve",
    )
    p.add_argument(
        "verb", nargs="?", choices=("login", "status", "logout", "now", "conflicts", "resolve"), default="now"
    )
    p.add_argument(
        "conflict_id", nargs="?", metavar="ID", help="for resolve: the conflict (or the start of its id)"
    )
    p.add_argument(
        "--take",
        metavar="mine|theirs|kept|other|VALUE",
        help="for resolve: this laptop's value, the other laptop's, the one kept now, the one set aside, or a value",
    )
    p.add_argument("--json", action="store_true", help="for conflicts: as JSON")
    p.add_argument("--server", metavar="URL", help="for login")
    p.add_argument("--team", metavar="NAME", help="for login: the team the local records go to")
    p.add_argument("--token-stdin", action="store_true", help="for login: read the token from standard input")
    p.add_argument(
        "--allow-http",
        action="store_true",
        help="for login: allow a plain http server on another computer (the token travels unencrypted)",
    )
    p.add_argument("--allow-deletes", action="store_true", help="accept a pull that deletes many records")
    p.set_defaults(handler=_cmd_sync)


def _cmd_sync(args) -> int:
    import getpass

    from companion.app.sync_account import connected_client, login, logout
    from companion.sync.client import open_conflicts

    ws = workspace(args)
    try:
        if args.verb == "login":
            from companion.app import settings
            from companion.app.config import data_dir
            from companion.sync.client import SyncError, check_transport

            args.server = settings.sync_server(settings.load(data_dir(args.data_dir)), args.server)
            if not args.server or not args.team:
                raise bad_input("sync login needs --server URL and --team NAME.")
            try:  # a mistyped address is bad input, told before the token is asked for
                check_transport(args.server, allow_http=args.allow_http)
            except SyncError as exc:
                raise bad_input(str(exc)) from None
            token = (
                sys.stdin.readline().strip()
                if args.token_stdin
                else getpass.getpass("Device token: ").strip()
            )
            login(ws, server=args.server, team_name=args.team, token=token, allow_http=args.allow_http)
            print(
                f"logged in to {args.server} as a member of {args.team}; local records will go to {args.team}"
            )
            return EXIT_OK
        server = ws.meta(key="sync_url")
        if server is None:
            raise bad_input("This workspace is not connected to a server: run companion sync login first.")
        if args.verb == "logout":
            logout(ws)
            print(f"logged out of {server}; the workspace and its unsynced edits stay here")
            return EXIT_OK
        if args.verb == "conflicts":
            return _list_conflicts(ws, as_json=args.json)
        if args.verb == "resolve":
            return _resolve(ws, args.conflict_id, args.take)
        if args.verb == "status":
            pending = ws.outbox_count()
            print(f"server {server}, team {ws.meta(key='sync_team_name')}")
            print(f"{pending} edits to push, {len(open_conflicts(ws))} conflicts open")
            aside = ws.set_aside()
            if aside:
                print(f"{len(aside)} records from the server set aside (this laptop's rules refuse them):")
                for record_id, item in sorted(aside.items(), key=lambda pair: pair[1]["seq"] or 0):
                    print(f"  {item['kind']} {record_id}: {item['problem']}")
            return EXIT_OK
        summary = connected_client(ws).sync(allow_deletes=args.allow_deletes)
        for message in summary.messages:
            print(message)
        print(summary.line())
        return EXIT_OK if summary.conflicts == 0 else EXIT_CONFLICTS
    finally:
        ws.close()


def _list_conflicts(ws, *, as_json: bool) -> int:
    """The open conflicts with both values (what is kept now, what was set aside), oldest first."""
    import json

    from companion.sync.conflicts import described_conflicts

    found = described_conflicts(ws)
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        print("no conflicts: every laptop agrees")
    for c in found:
        what = f"{c['kind_label']} {c['title'] or c['record_id']}"
        print(f"{c['id']}  {what} · {c['field']}: {c['reason'].replace('_', ' ')}")
        if c["reason"] == "possible_duplicate":
            print(f"    possibly the same as {c['twin'] or c['other']}")
            continue
        for label, key in (("base", "base"), ("now", "kept"), ("other", "other")):
            print(f"    {label + ':':<6} {json.dumps(c[key], ensure_ascii=False)}")
    return EXIT_OK


def _resolve(ws, conflict_id: str | None, take: str | None) -> int:
    """Settles one conflict with the value taken (kept for everyone), then syncs."""
    from companion.app.sync_account import connected_client
    from companion.sync.conflicts import chosen_value, find_conflict

    if not conflict_id or take is None:
        raise bad_input("sync resolve needs a conflict ID and --take mine|theirs|kept|other|VALUE.")
    conflict = find_conflict(ws, conflict_id)
    value = chosen_value(ws, conflict, take)
    client = connected_client(ws)
    client.resolve(conflict_id=conflict["id"], value=value)
    summary = client.sync()
    print(f"resolved {conflict['id']}: {conflict['field']} is now {value!r}")
    print(summary.line())
    return EXIT_OK if summary.conflicts == 0 else EXIT_CONFLICTS
