"""The command line: one generic set of verbs over every record kind, driven by the kinds table."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from companion import __version__
from companion.cli import demo, gui, meeting, pack, records, server, settings, sync, updates, workspace_files
from companion.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK

# The order the commands are listed in `companion --help`.
GROUPS = (gui, records, meeting, pack, server, sync, workspace_files, settings, updates, demo)


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
    # No command opens the window; a command's own parser sets its handler, which argparse puts over this.
    parser.set_defaults(handler=gui.cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
