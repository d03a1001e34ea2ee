"""What several verb groups share: exit codes, opening the workspace, the export gate, change summaries."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def workspace(args):
    """The workspace, opened with its key; a passphrase is asked for at a terminal when one is needed."""
    from companion.app import opener, workspace_keys
    from companion.app.config import data_dir, workspace_path

    path = workspace_path(data_dir(args.data_dir))
    try:
        return opener.open_workspace(path)
    except (workspace_keys.KeyNeeded, workspace_keys.KeyringUnavailable) as exc:
        new = not path.exists()
        passphrase = ask_passphrase(str(exc), confirm=new)
        if passphrase is None:
            raise
        return opener.open_workspace(path, passphrase=passphrase)


def ask_passphrase(why: str, *, confirm: bool) -> str | None:
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
