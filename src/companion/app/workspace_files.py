"""Whole-file operations on a workspace: encrypt, decrypt, back up, restore. Each writes a new file,
checks it, and only then puts it in place; the original is never changed before that."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from companion.app import workspace_keys
from companion.model.errors import (
    CompanionError,
    DamagedWorkspace,
    ValidationError,
    WorkspaceError,
    WriteFailed,
)
from companion.store import cipher, integrity
from companion.store.cipher import WorkspaceKey
from companion.store.fileinfo import inspect_file, read_only_uri


@dataclass(frozen=True)
class Outcome:
    path: Path
    encrypted: bool
    message: str


@contextlib.contextmanager
def _told_in_one_line(workspace: Path, target: Path) -> Iterator[None]:
    """What goes wrong while the workspace is read and `target` written, in one line naming the file at
    fault: damage or a lock is the workspace's; a full disk, a read-only or missing folder the target's."""
    try:
        yield
    except CompanionError:
        raise
    except cipher.database_errors() as exc:
        text = str(exc).lower()
        if integrity.is_damage(exc) or "locked" in text or "busy" in text:
            raise integrity.translated(exc, workspace) from None
        if "full" in text:
            raise WriteFailed(f"Cannot write {target}: the disk is full. Nothing was written.") from None
        if not Path(target).parent.is_dir():
            raise WriteFailed(integrity.os_error_line(FileNotFoundError(str(exc)), target)) from None
        if "readonly" in text or "unable to open" in text:
            raise WriteFailed(
                f"Cannot write {target}: its folder cannot be written to (read-only). Nothing was written."
            ) from None
        raise WriteFailed(f"Cannot write {target}: {exc}. Nothing was written.") from None
    except OSError as exc:
        raise WriteFailed(integrity.os_error_line(exc, target)) from None


def _check_whole(path: Path, key: WorkspaceKey | None) -> None:
    """SQLite's quick_check over the workspace before it is copied or converted: damage is never carried
    into a backup or a new file."""
    conn = cipher.connect(read_only_uri(path), key, uri=True)
    try:
        cipher.check_key(conn, path)  # a wrong key is not damage
        integrity.quick_check(conn, path)
    finally:
        conn.close()


def _safety_copies(path: Path) -> list[Path]:
    """The copies taken before migrations (workspace.sqlite.before-…bak): encrypted or decrypted with it."""
    return sorted(path.parent.glob(f"{path.name}.before-*.bak"))


def encrypt(path: Path, *, passphrase: str | None = None) -> Outcome:
    """Encrypts a plain workspace in place (and its safety copies, so no plain copy stays behind)."""
    path = Path(path)
    if not path.exists():
        raise WorkspaceError(f"There is no workspace at {path} yet; new ones are encrypted when made.")
    if cipher.is_encrypted(path):
        return Outcome(path, True, f"{path} is encrypted already.")
    inspect_file(path)  # ours, and a version this build knows
    with _told_in_one_line(path, path.with_name(path.name + ".converting")):
        _check_whole(path, None)
        key = workspace_keys.new_key(passphrase)
        for copy in [c for c in _safety_copies(path) if not cipher.is_encrypted(c)]:
            cipher.convert(copy, None, key)
        cipher.convert(path, None, key)
    where = "its passphrase" if key.is_passphrase else "a key kept in this computer's keyring"
    return Outcome(path, True, f"Encrypted {path} with {where}.")


def decrypt(path: Path, *, key: WorkspaceKey | None = None) -> Outcome:
    """Writes the workspace back as plain SQLite, unless the settings require encryption. The key stays
    in the keyring: backups made with it still open."""
    path = Path(path)
    if not path.exists() or not cipher.is_encrypted(path):
        return Outcome(path, False, f"{path} is not encrypted.")
    if reason := workspace_keys.required_because(path.parent):
        raise workspace_keys.EncryptionRequired(
            f"{path} stays encrypted: workspaces on this laptop must be ({reason}). Nothing was changed."
        )
    key = key or workspace_keys.key_for(path)
    inspect_file(path, key)
    with _told_in_one_line(path, path.with_name(path.name + ".converting")):
        _check_whole(path, key)
        cipher.convert(path, key, None)
    for copy in _safety_copies(path):
        if cipher.is_encrypted(copy):
            try:
                cipher.convert(copy, key, None)
            except cipher.WrongKey:
                continue  # a copy under another key: left as it is
    return Outcome(path, False, f"Decrypted {path}: it is a plain SQLite file now.")


def _check_readable(path: Path, key: WorkspaceKey | None) -> str:
    """The file's schema revision once it opens, is a Companion workspace and passes integrity."""
    marked = integrity.known_damage(path) is not None
    try:
        revision = inspect_file(path, key)
    except DamagedWorkspace as exc:
        raise WorkspaceError(f"{path} cannot be restored: it is damaged. Nothing was changed.") from exc
    finally:
        if not marked:
            integrity.clear_mark(path)  # a backup found damaged is refused here, not marked
    if revision is None:
        raise WorkspaceError(f"{path} is empty: it is not a Companion backup. Nothing was changed.")
    conn = cipher.connect(read_only_uri(path), key, uri=True)
    try:
        found = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    except cipher.database_errors() as exc:
        found = [str(exc)]
    finally:
        conn.close()
    if found != ["ok"]:
        raise WorkspaceError(
            f"{path} cannot be restored: it is damaged ({integrity.summary(found)}). Nothing was changed."
        )
    return revision


def backup_open(workspace, out: Path) -> Outcome:
    """`backup` of a workspace open in this process, with the key it was opened with."""
    return backup(workspace.path, out, key=workspace.db.key)


def backup(
    path: Path, out: Path, *, key: WorkspaceKey | None = None, passphrase: str | None = None
) -> Outcome:
    """A consistent copy made with SQLite's online backup API (the window may stay open): encrypted with
    the workspace's KEY (a plain workspace's copy with a new key in the keyring, unless new workspaces
    are set to be plain), or with PASSPHRASE, to open on another computer. Never overwrites a file."""
    path, out = Path(path), Path(out)
    if out.exists():
        raise WorkspaceError(f"{out} exists already: choose another name. Nothing was written.")
    if not out.parent.is_dir():
        raise WriteFailed(f"Cannot write {out}: the folder {out.parent} does not exist. Nothing was written.")
    key = key or workspace_keys.key_for(path)
    inspect_file(path, key)
    if passphrase:
        target_key = WorkspaceKey.from_passphrase(passphrase)
    elif key is not None or not workspace_keys.encrypt_new(path.parent):
        target_key = key  # as the workspace is
    else:
        target_key = workspace_keys.new_key()  # a plain workspace's copy is still encrypted, keyring-kept
    partial = out.with_name(out.name + ".partial")
    # When the key changes, the online copy is made beside the workspace (as protected as it is), then
    # exported under the new key: a fresh file, with a salt of its own.
    snapshot = path.with_name(f".{path.name}.backup-snapshot")
    try:
        with _told_in_one_line(path, out):
            source = cipher.connect(read_only_uri(path), key, uri=True)
            try:
                integrity.quick_check(source, path)  # a damaged workspace is never copied as a backup
                _online_copy(source, partial if target_key is key else snapshot, key)
            finally:
                source.close()
        with _told_in_one_line(path, out if target_key is key else snapshot):
            if target_key is not key:
                copy = cipher.connect(snapshot, key, sqlcipher=True)
                try:
                    cipher.export(copy, partial, target_key)
                finally:
                    copy.close()
            _check_readable(partial, target_key)
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, out)
            cipher.sync_folder(out.parent)
    finally:
        for left in (partial, snapshot):  # with what SQLite kept beside them while writing
            for suffix in ("", "-journal", "-wal", "-shm"):
                left.with_name(left.name + suffix).unlink(missing_ok=True)
    integrity.remember_backup(path, out)
    if target_key is None:
        how = "not encrypted, as the workspace is not: give a passphrase to encrypt the copy"
    elif target_key is key:
        how = (
            "encrypted with the workspace's passphrase"
            if key.is_passphrase
            else "encrypted with the workspace's key (kept in this computer's keyring)"
        )
    elif target_key.is_passphrase:
        how = "encrypted with the passphrase you gave"
    else:
        how = "encrypted with a new key kept in this computer's keyring"
    return Outcome(out, target_key is not None, f"Backed up to {out} ({how}).")


def _wants_encryption(path: Path) -> bool:
    """Restored as the workspace it replaces is kept, or as a new one would be made."""
    if workspace_keys.required_because(path.parent):
        return True
    if path.exists() and integrity.header_problem(path) is None:
        return cipher.is_encrypted(path)
    return workspace_keys.encrypt_new(path.parent)


def _online_copy(source, target: Path, key: WorkspaceKey | None) -> None:
    target.unlink(missing_ok=True)  # one a killed run left behind
    destination = cipher.connect(target, key, sqlcipher=key is not None)
    try:
        source.backup(destination)
    finally:
        destination.close()


def _move_log(path: Path, kept: Path) -> None:
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        os.replace(wal, kept.with_name(kept.name + "-wal"))
    path.with_name(path.name + "-shm").unlink(missing_ok=True)


def _kept_name(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.before-restore-{stamp}.bak")
    number = 2
    while kept.exists():
        kept = path.with_name(f"{path.name}.before-restore-{stamp}-{number}.bak")
        number += 1
    return kept


def restore(
    path: Path,
    backup_file: Path,
    *,
    backup_key: WorkspaceKey | None = None,
    current_key: WorkspaceKey | None = None,
) -> Outcome:
    """Replaces the workspace with a backup once the backup is checked; the workspace it replaces is
    kept beside it (workspace.sqlite.before-restore-….bak). Killed at any point, there is a workspace:
    the old one, or the restored one."""
    path, backup_file = Path(path), Path(backup_file)
    if not backup_file.exists():
        raise WorkspaceError(f"There is no file {backup_file}.")
    if not backup_file.is_file():  # a folder, a named pipe (opening one would wait forever), a device
        raise ValidationError(f"{backup_file} is not a file: give the path of a backup of the workspace.")
    # Both keys first: nothing is written before it is known that both files open.
    backup_key = backup_key or workspace_keys.key_for(backup_file)
    replacing = path.exists()  # an empty or damaged one too: kept beside it, never just replaced
    # A damaged workspace is not opened to see that nobody else has it: no Companion opens it anyway.
    damaged = replacing and (
        integrity.header_problem(path) is not None or integrity.known_damage(path) is not None
    )
    if replacing and not damaged and cipher.is_encrypted(path):
        current_key = current_key or workspace_keys.key_for(path)
    if replacing and not damaged:
        try:  # damage nothing has found yet: the damaged file is kept aside exactly as it is
            _check_whole(path, current_key)
        except DamagedWorkspace:
            damaged = True
    # An older backup is fine: opening the restored workspace migrates it, with its own safety copy.
    _check_readable(backup_file, backup_key)
    target_key = None
    if _wants_encryption(path):
        if backup_key is not None and not backup_key.is_passphrase:
            target_key = backup_key  # the keyring's key for the backup: the restored file shares it
        else:
            try:  # the keyring, as for any workspace; the backup's passphrase where there is none
                target_key = workspace_keys.new_key()
            except workspace_keys.KeyringUnavailable:
                if backup_key is None:
                    raise
                target_key = backup_key
    restoring = path.with_name(path.name + ".restoring")
    path.parent.mkdir(parents=True, exist_ok=True)
    source = cipher.connect(backup_file, backup_key, sqlcipher=True)
    try:
        cipher.check_key(source, backup_file)
        cipher.export(source, restoring, target_key)
        cipher.verify_copy(source, restoring, target_key)
    except BaseException:
        restoring.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    kept = _kept_name(path) if replacing else None
    current = cipher.connect(path, current_key) if replacing and not damaged else None
    try:
        if current is not None:
            cipher.check_key(current, path)
            cipher.hold_alone(current, path)  # the window or a command must not have it open
        if kept is not None:
            # The old workspace gets its second name first (a hard link, or a copy where links cannot be
            # made); one atomic rename then puts the restored file in place.
            try:
                os.link(path, kept)
            except OSError:
                shutil.copy2(path, kept)
            if os.name == "nt" and current is not None:  # Windows replaces no file that is open
                current.close()
            if damaged:  # its log and its mark go with it: left here, they would be the restored file's
                _move_log(path, kept)
                if integrity.mark_path(path).exists():
                    os.replace(integrity.mark_path(path), integrity.mark_path(kept))
        os.replace(restoring, path)
    finally:
        if current is not None:
            current.close()
        restoring.unlink(missing_ok=True)
    cipher.sync_folder(path.parent)
    integrity.clear_mark(path)  # the damaged file is the one kept aside now
    before = f"; the workspace it replaced is kept as {kept.name}" if kept is not None else ""
    return Outcome(path, target_key is not None, f"Restored {path} from {backup_file}{before}.")


def latest_backup(path: Path) -> Path | None:
    """The newest backup of the workspace there still is (offered when it is damaged)."""
    return integrity.latest_backup(path)


def recovered_name(path: Path) -> Path:
    """Where `recover` puts the new workspace unless told: beside the damaged one, named with the time."""
    path = Path(path)
    return path.with_name(f"{path.stem}-recovered-{time.strftime('%Y%m%d-%H%M%S')}{path.suffix}")


def recover(path: Path, *, out: Path | None = None, key: WorkspaceKey | None = None):
    """What can be read of a damaged workspace saved into a new one with the same key (store/recovery.py):
    a Recovery, whose report() says what was lost. The damaged file is only read."""
    from companion.store import recovery

    return recovery.recover(Path(path), Path(out) if out else recovered_name(path), key=key)


def check_open(workspace) -> None:
    """SQLite's quick_check over an open workspace's file, on a connection of its own (the window's
    schedule): DamagedWorkspace, the file marked so nothing writes to it, when pages cannot be read."""
    _check_whole(workspace.path, workspace.db.key)
