"""The sync server: `serve` runs it; `server WHAT VERB` administers its teams, users, members and tokens."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from companion.cli.common import EXIT_OK, whole_number

# More worker processes than this is a typo: each holds its own database connections.
MOST_WORKERS = 64
# A token valid for longer than a century is a typo (and past the calendar's end in a few millennia).
LONGEST_TOKEN_DAYS = 36_500


def add_parsers(sub) -> None:
    p = sub.add_parser("serve", help="run the sync server (FastAPI with uvicorn)")
    p.add_argument("--database", metavar="URL", help="default: an SQLite file in the server's data folder")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument(
        "--workers", type=int, default=1, metavar="N", help="worker processes answering requests (default 1)"
    )
    p.add_argument("--ssl-certfile", metavar="FILE")
    p.add_argument("--ssl-keyfile", metavar="FILE")
    p.add_argument(
        "--api-docs", action="store_true", help="serve the API's description at /docs and /openapi.json"
    )
    p.set_defaults(handler=_cmd_serve)

    p = sub.add_parser("server", help="administer the sync server: teams, users, members, tokens")
    p.add_argument("--database", metavar="URL", help="default: an SQLite file in the server's data folder")
    p.set_defaults(handler=_cmd_server)
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
    t.add_argument(
        "--expires-in", type=int, metavar="DAYS", help="refused after this many days (default: never)"
    )
    v.add_parser("revoke").add_argument("token_id")
    v.add_parser("list", help="every token: user, device, issued, last used, expiry")


def _print_tokens(tokens: list[dict]) -> None:
    """One line a token: its id, whose, which device, and its dates (to the minute)."""
    from companion.server.admin import now

    def day(value: str | None, never: str) -> str:
        return value[:16].replace("T", " ") if value else never

    print(
        f"{'token':<36}  {'user':<16} {'device':<16} {'issued':<16}  {'last used':<16}  {'expires':<16}  state"
    )
    for t in tokens:
        state = (
            "revoked" if t["revoked"] else "expired" if t["expires"] and t["expires"] <= now() else "active"
        )
        print(
            f"{t['id']:<36}  {t['user'][:16]:<16} {t['device'][:16]:<16} {day(t['issued'], ''):<16}  "
            f"{day(t['last_used'], 'never'):<16}  {day(t['expires'], 'never'):<16}  {state}"
        )


def _database_url(args) -> str:
    from companion.app.config import data_dir

    url = args.database or f"sqlite:///{data_dir(args.data_dir) / 'server.sqlite'}"
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return url


def _server_engine(args):
    from companion.server import db

    engine = db.make_engine(_database_url(args))
    db.migrate(engine)
    return engine


def _cmd_serve(args) -> int:
    whole_number("--port", args.port, least=1, most=65_535)
    whole_number("--workers", args.workers, least=1, most=MOST_WORKERS)
    from companion.server import worker
    from companion.sync.client import is_loopback

    # Migrated once here, before any worker starts; each worker then opens its own engine.
    _server_engine(args).dispose()
    os.environ[worker.DATABASE_VARIABLE] = _database_url(args)
    os.environ[worker.API_DOCS_VARIABLE] = "1" if args.api_docs else "0"
    if not args.ssl_certfile and not is_loopback(f"http://{args.host}"):
        print(
            f"companion serve: listening on {args.host} without TLS: device tokens and records cross the "
            "network unencrypted. Give --ssl-certfile and --ssl-keyfile, or put an https proxy in front.",
            file=sys.stderr,
        )
    worker.serve(
        workers=args.workers, host=args.host, port=args.port, ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile, log_level="warning",
    )  # fmt: skip
    return EXIT_OK


def _cmd_server(args) -> int:
    from companion.server import admin

    if args.noun == "token" and args.verb == "issue":
        whole_number("--expires-in", args.expires_in, least=1, most=LONGEST_TOKEN_DAYS)

    engine = _server_engine(args)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        if args.noun == "team" and args.verb == "add":
            print(admin.add_team(conn, args.name))
        elif args.noun == "team":
            for team_id, name in admin.list_teams(conn):
                print(f"{team_id}  {name}")
        elif args.noun == "user":
            print(admin.add_account(conn, args.name))
        elif args.noun == "member" and args.verb == "add":
            admin.add_member(conn, team_name=args.team, user_name=args.user)
            print(f"{args.user} is a member of {args.team}")
        elif args.noun == "member":
            gone = admin.remove_member(conn, team_name=args.team, user_name=args.user)
            print(f"{args.user} left {args.team}" if gone else f"{args.user} was not a member of {args.team}")
        elif args.verb == "issue":
            token_id, secret = admin.issue_token(
                conn, user_name=args.user, device=args.device, expires_in_days=args.expires_in
            )
            until = f", valid {args.expires_in} days" if args.expires_in else ""
            print(f"token {token_id} for {args.user} on {args.device}{until}; shown once, keep it safe:")
            print(secret)
        elif args.verb == "list":
            _print_tokens(admin.list_tokens(conn))
        else:
            admin.revoke_token(conn, args.token_id)
            print(f"revoked {args.token_id}")
    engine.dispose()
    return EXIT_OK
