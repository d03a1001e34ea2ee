"""The command line: one generic set of verbs over every record kind, driven by the kinds table."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Sequence
from importlib import import_module

from companion import __version__
from companion.cli import gui
from companion.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    crash_report,
    say,
)

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

# Arguments that name files: any bytes the system allows in a name are fine there (see _check_text).
PATH_ARGUMENTS = frozenset(
    {"data_dir", "file", "out", "pdf", "html", "csv", "feed", "database", "ssl_certfile", "ssl_keyfile"}
)
# What a Ctrl+C leaves, by command: a command's changes are one transaction, rolled back whole; a sync
# cycle commits page by page, and the pages done stay (the next cycle carries on from them).
INTERRUPTED = {
    None: "Interrupted: nothing of it was written.",
    "sync": "Interrupted: the steps of the sync that had finished stay; nothing half-done was written. "
    "Run companion sync again to finish.",
}


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
    if args.command in (None, "gui"):
        return _run(args)  # the window shows problems itself (and importing logging would slow its start)
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # A file name that is not UTF-8 (argv keeps its bytes as surrogates) is echoed, never a crash.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")
    if threading.current_thread() is not threading.main_thread():
        return _run(args)  # only the main thread may handle signals
    previous = signal.signal(signal.SIGINT, _interrupt_once)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGINT, previous)


def _say_settings_notices(args) -> None:
    """Before every command: a site config that cannot be read (its locks held at their safe values) or a
    damaged settings file set aside, in one line each (the window shows them in its band)."""
    from companion.app import settings
    from companion.app.config import data_dir

    for line in settings.startup_notices(data_dir(args.data_dir)):
        say(line, EXIT_OK)


def _check_text(args) -> None:
    """Refuses an argument holding bytes that are not UTF-8 (Python keeps them as lone surrogates, which
    no database or file takes as text), except a file's name, which may be any bytes the system allows;
    and a NUL character anywhere (no program started from a shell gets one, but main() may be called)."""
    from companion.model.errors import ValidationError

    for name, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            if "\x00" in text:
                raise ValidationError(f"The {name.replace('_', ' ')} given holds a NUL character.")
            if name in PATH_ARGUMENTS or text.isascii():
                continue
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                shown = text.encode("utf-8", "backslashreplace").decode()[:80]
                raise ValidationError(
                    f"The {name.replace('_', ' ')} given, '{shown}', holds bytes that are not UTF-8 text:"
                    " check the terminal's encoding."
                ) from None


def _interrupt_once(signum, frame) -> None:
    # A second Ctrl+C must not cut short the rollback and the clean-up the first one started.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _run(args) -> int:
    """Runs the command's handler: whatever goes wrong ends as one line and an exit status."""
    from companion.model.errors import (
        BundleError,
        CompanionError,
        Interrupted,
        NotFoundError,
        ValidationError,
    )

    try:
        _check_text(args)
        if args.command not in (None, "gui"):
            _say_settings_notices(args)
        return args.handler(args)
    except (ValidationError, BundleError, NotFoundError) as exc:  # what the person asked for
        return say(str(exc), EXIT_BAD_INPUT)
    except (KeyboardInterrupt, Interrupted):
        return say(INTERRUPTED.get(args.command, INTERRUPTED[None]), EXIT_INTERRUPTED)
    except CompanionError as exc:  # the environment: files, locks, settings, the server
        return say(str(exc), EXIT_FAILED)
    except BrokenPipeError:  # the reader (head, less) has seen enough
        return EXIT_OK
    except OSError as exc:  # a file or folder named on the command line
        return say(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), EXIT_FAILED)
    except Exception as exc:  # the last resort: a bug, told in one line, its details kept in a file
        return say(crash_report(exc, data_dir=args.data_dir), EXIT_FAILED)
