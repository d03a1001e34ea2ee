"""What several verb groups share: exit codes, opening the workspace, the export gate, change summaries."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


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
