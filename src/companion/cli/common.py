"""What several verb groups share: exit codes, opening the workspace, the export gate, change summaries,
and the one line a failure is told in."""

from __future__ import annotations

import sys

# 2: what the person asked for cannot be done as asked (a bad value, an unknown id); 1: the environment
# failed (a file, a lock, the server); 130 (128 + SIGINT, the shells' convention): stopped by Ctrl+C,
# so a script tells a person's stop from a failure.
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
# What the last resort says, so a test can tell it from every explained failure.
UNEXPECTED = "something went wrong that Companion did not expect"


def workspace(args):
    """The workspace, opened with its key; a passphrase is asked for at a terminal when one is needed."""
    from companion.app import opener
    from companion.app.config import data_dir, workspace_path

    return opener.open_workspace(workspace_path(data_dir(args.data_dir)), ask=ask_at_terminal)


def ask_at_terminal(why: str, *, new: bool, details: str = "", problem: str | None = None) -> str | None:
    """The passphrase `app.opener` asks for, typed at a terminal (None without one: scripts set
    COMPANION_PASSPHRASE)."""
    if not sys.stdin.isatty():
        return None
    if problem:
        print(f"companion: {problem}", file=sys.stderr)
    else:
        print(f"companion: {why}" + (f" ({details})" if details else ""), file=sys.stderr)
    return ask_passphrase(confirm=new)


def ask_passphrase(*, confirm: bool) -> str:
    """A passphrase typed at a terminal: twice when `confirm`."""
    import getpass

    from companion.model.errors import ValidationError

    passphrase = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("Passphrase again: ") != passphrase:
        raise ValidationError("The two passphrases differ. Nothing was written.")
    if not passphrase:
        raise ValidationError("The passphrase is empty. Nothing was written.")
    return passphrase


def require_exports(args) -> None:
    from companion.app import settings
    from companion.app.config import data_dir

    settings.require_exports(settings.load(data_dir(args.data_dir)))


def summarise(changes) -> str:
    counts: dict[str, int] = {}
    for c in changes.changes:
        counts[c.op] = counts.get(c.op, 0) + 1
    if not counts:
        return "nothing changed"
    words = {"create": "added", "update": "updated", "restore": "restored", "delete": "deleted"}
    return ", ".join(f"{words[op]} {n}" for op, n in counts.items())


def bad_input(message: str):
    from companion.model.errors import ValidationError

    return ValidationError(message)


def say(message: str, status: int) -> int:
    """Tells a failure in one line on standard error; returns the exit status."""
    print(f"companion: {' '.join(message.split())}", file=sys.stderr)
    return status


def crash_report(exc: BaseException, *, data_dir: str | None) -> str:
    """The last resort's line for an error nobody foresaw; its traceback is kept in a crash log in the data
    folder (else the temporary folder) for whoever fixes it."""
    import datetime as dt
    import tempfile
    import traceback
    from pathlib import Path

    from companion.app.config import data_dir as data_folder
    from companion.model.files import write_whole

    details = "".join(traceback.format_exception(exc))
    name = f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    what = f"{type(exc).__name__}: {_short(str(exc))}" if str(exc) else type(exc).__name__
    for folder in (data_folder(data_dir), Path(tempfile.gettempdir())):
        try:
            written = write_whole(folder / name, lambda part: part.write_text(details, encoding="utf-8"))
        except Exception:  # a crash log that cannot be written must not hide the crash
            continue
        return f"{UNEXPECTED} ({what}). Details were written to {written}; nothing else was changed."
    return f"{UNEXPECTED} ({what}). The details could not be written anywhere; nothing else was changed."


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def whole_number(option: str, value: int | None, *, least: int, most: int) -> int | None:
    """An option's whole number checked against its sensible range (argparse has read it as an int)."""
    if value is not None and not least <= value <= most:
        raise bad_input(
            f"{option} takes a whole number from {least:,} to {most:,}; {_short(str(value), 40)} is not."
        )
    return value
