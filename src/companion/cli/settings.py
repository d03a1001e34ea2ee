"""`companion settings`: every setting with who set it (built-in, site, yours, locked), or change yours."""

from __future__ import annotations

import json
import sys

from companion.cli.common import EXIT_BAD_INPUT, EXIT_OK


def add_parsers(sub) -> None:
    p = sub.add_parser("settings", help="list the settings (and who set them), or change yours")
    p.add_argument("verb", nargs="?", choices=("list", "set", "reset"), default="list")
    p.add_argument("key", nargs="?", help="for set and reset, e.g. sync.interval_minutes")
    p.add_argument("value", nargs="?", help="for set")
    p.set_defaults(handler=_cmd_settings)


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
        source = (
            "held safe: the site config cannot be read"
            if setting.key in loaded.held_safe
            else sources.get(loaded.source(setting.key), "built-in")
        )
        print(f"{shown:<52} {source}")
    return EXIT_OK
