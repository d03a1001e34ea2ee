"""The command line: one generic set of verbs over every record kind, driven by the kinds table."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from companion import __version__
from companion.cli import gui
from companion.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK

# The verb groups (modules of this package), in the order `companion --help` lists their commands.
GROUPS = (
    "gui",
    "records",
    "contacts",
    "meeting",
    "warnings",
    "pack",
    "plan",
    "review",
    "scorecard",
    "opportunity",
    "campaign",
    "survey",
    "server",
    "sync",
    "workspace_files",
    "settings",
    "updates",
    "demo",
)


def _only_the_window(argv: Sequence[str]) -> bool:
    """No command (or `gui`) and no help asked for: the window starts without loading the other groups."""
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "-h" or (len(word) > 2 and ("--help".startswith(word) or "--version".startswith(word))):
            return False  # argparse takes `--he` for `--help`
        if word == "--data-dir":
            rest = rest[1:]
        elif not word.startswith("-"):
            return word == "gui"
    return True


def _parser(groups: Sequence[str] = GROUPS) -> argparse.ArgumentParser:
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
    # No command opens the window; a command's own parser sets its handler, which argparse puts over this.
    parser.set_defaults(handler=gui.cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in groups:
        import_module(f"companion.cli.{group}").add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser(("gui",) if _only_the_window(argv) else GROUPS).parse_args(argv)
    if args.self_test:
        return gui.self_test()
    if args.command not in (None, "gui"):
        # The window shows problems itself; importing logging there would only slow its start.
        import logging

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from companion.model.errors import BundleError, CompanionError, ValidationError

    try:
        return args.handler(args)
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
