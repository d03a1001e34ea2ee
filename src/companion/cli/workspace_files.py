"""Whole-file operations on the workspace: encrypt, decrypt, backup, restore, and recover a damaged one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from companion.cli.common import EXIT_BAD_INPUT, EXIT_OK, ask_at_terminal, require_exports


def add_parsers(sub) -> None:
    passphrase_help = (
        "protect it with a passphrase (asked for; COMPANION_PASSPHRASE for scripts) instead of the keyring"
    )
    p = sub.add_parser("encrypt", help="encrypt the workspace in place (its key kept in the OS keyring)")
    p.add_argument("--passphrase", action="store_true", help=passphrase_help)
    p.set_defaults(handler=_cmd_workspace_file)
    p = sub.add_parser("decrypt", help="write the workspace back as a plain SQLite file")
    p.set_defaults(handler=_cmd_workspace_file)
    p = sub.add_parser("backup", help="a consistent copy of the workspace, encrypted as the workspace is")
    p.add_argument("--out", required=True, metavar="FILE", help="the new file (never overwritten)")
    p.add_argument(
        "--passphrase",
        action="store_true",
        help="encrypt the copy with a passphrase, to open on another computer",
    )
    p.set_defaults(handler=_cmd_workspace_file)
    p = sub.add_parser("restore", help="replace the workspace with a checked backup (the old one is kept)")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=_cmd_workspace_file)
    p = sub.add_parser(
        "recover",
        help="save what can be read of a damaged workspace into a new one, and say what was lost",
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help="the new workspace (never overwritten; default: beside the workspace, named with the time)",
    )
    p.set_defaults(handler=_cmd_recover)


def _passphrase_option(args, *, confirm: bool) -> str | None:
    """--passphrase: typed at a terminal, else COMPANION_PASSPHRASE; None without the option."""
    from companion.app.workspace_keys import PASSPHRASE_ENV
    from companion.model.errors import ValidationError

    if not getattr(args, "passphrase", False):
        return None
    typed = ask_at_terminal("Choose the passphrase.", new=confirm)
    passphrase = typed or os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        raise ValidationError(f"--passphrase needs a terminal to type it at, or {PASSPHRASE_ENV}.")
    return passphrase


def _cmd_workspace_file(args) -> int:
    """encrypt, decrypt, backup and restore: whole-file operations, checked before anything is replaced."""
    from companion.app import workspace_files
    from companion.app.config import data_dir, workspace_path

    path = workspace_path(data_dir(args.data_dir))
    if args.command == "encrypt":
        outcome = workspace_files.encrypt(path, passphrase=_passphrase_option(args, confirm=True))
    elif args.command == "decrypt":
        outcome = workspace_files.decrypt(path, key=_file_key(path))
    elif args.command == "backup":
        if not path.exists():
            print(f"companion: there is no workspace at {path} to back up", file=sys.stderr)
            return EXIT_BAD_INPUT
        if args.passphrase:
            require_exports(args)  # a copy that opens on another computer is an export
        key = _file_key(path)
        outcome = workspace_files.backup(
            path, Path(args.out), key=key, passphrase=_passphrase_option(args, confirm=True)
        )
    else:
        backup_file = Path(args.file)
        if not backup_file.exists():
            print(f"companion: there is no file {backup_file}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if not backup_file.is_file():  # a folder, or a named pipe whose opening would wait forever
            print(f"companion: {backup_file} is not a file: give the path of a backup.", file=sys.stderr)
            return EXIT_BAD_INPUT
        outcome = workspace_files.restore(
            path,
            backup_file,
            backup_key=_file_key(backup_file),
            current_key=_file_key(path) if path.exists() else None,
        )
    print(outcome.message)
    return EXIT_OK


def _cmd_recover(args) -> int:
    """Reads what can be read of the workspace into a new file; the damaged one is left as it is."""
    from companion.app import workspace_files
    from companion.app.config import data_dir, workspace_path

    path = workspace_path(data_dir(args.data_dir))
    if not path.exists():
        print(f"companion: there is no workspace at {path} to recover", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = Path(args.out) if args.out else workspace_files.recovered_name(path)
    key = _file_key(path) if path.stat().st_size else None
    outcome = workspace_files.recover(path, out=out, key=key)
    for line in outcome.report():
        print(line)
    print(
        f"To use it: companion restore {out} (the damaged workspace is kept beside it as "
        f"{path.name}.before-restore-….bak)."
    )
    return EXIT_OK


def _file_key(path: Path):
    """The key of an existing file (None when plain): the keyring's or COMPANION_PASSPHRASE, else its
    passphrase typed at a terminal, until it opens the file."""
    from companion.app.opener import key_of

    return key_of(path, ask=ask_at_terminal)
