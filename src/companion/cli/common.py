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
# Longer than any path or name a person reads: an echoed value that long is shortened in a message.
LONGEST_WORD = 300


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
    """Tells a failure in one line on standard error; returns the exit status. A word too long to read (a
    100,000-character id echoed back) is shown by its start and end."""
    words = (w if len(w) <= LONGEST_WORD else f"{w[:120]}…{w[-40:]}" for w in message.split())
    print(f"companion: {' '.join(words)}", file=sys.stderr)
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


# The days a command may be asked to read "as of" (--today, --as-of): a century either side of now and
# then some, the years a calendar import takes; outside them, the domain's date arithmetic (a year before,
# 90 days after) would leave the calendar.
FIRST_DAY, LAST_DAY = "1900-01-01", "2200-12-31"


def day_option(option: str, text: str | None):
    """The day an option names (YYYY-MM-DD), or None when it is not given; ValidationError naming the
    option for anything else or a day outside FIRST_DAY…LAST_DAY."""
    import datetime as dt

    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise bad_input(f"{option}: '{_short(text, 40)}' is not a date; write it YYYY-MM-DD.") from None
    if not FIRST_DAY <= day.isoformat() <= LAST_DAY:
        raise bad_input(
            f"{option}: {day.isoformat()} is outside the days Companion reads, {FIRST_DAY} to {LAST_DAY}."
        )
    return day
