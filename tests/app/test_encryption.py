"""Encrypted workspaces: nothing readable on disk, a wrong key refused with the file untouched, safe
conversion both ways (even when killed), backups that round-trip, and never a plain file for want of a
keyring. The keyring here is tests/file_keyring.py; test_encryption_keyring.py uses gnome-keyring."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from companion.app import opener, workspace_files, workspace_keys
from companion.core.demo import load_demo, load_synthetic
from companion.core.service import Workspace
from companion.interchange.bundle import export_bundle
from companion.store import cipher
from companion.store.cipher import KeyNeeded, WorkspaceBusy, WorkspaceKey, WrongKey

MARKER = "Quillfeather-Tangerine"  # in a name, a note and an alias: must never be readable on disk
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _fill(ws: Workspace) -> None:
    load_demo(ws)
    client = ws.create(kind="client", values={"name": f"{MARKER} Holdings", "aliases": [f"{MARKER}-alias"]})
    del client
    ws.create(
        kind="contact", values={"name": "Ola Nordmann", "difficult_handling": f"Candid: {MARKER} notes"}
    )


def _content(ws: Workspace) -> str:
    bundle = export_bundle(ws)
    bundle.pop("exported_at", None)
    return json.dumps(bundle, sort_keys=True, default=str)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _raw_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


def test_a_new_workspace_is_encrypted_and_holds_no_plaintext_on_disk(tmp_path):
    path = tmp_path / "workspace.sqlite"
    ws = opener.open_workspace(path)
    try:
        _fill(ws)
        # Full-text search works on the encrypted file.
        assert any(MARKER in hit.title for hit in ws.search(text=MARKER))
        # While open: the write-ahead log is encrypted too.
        assert MARKER.encode() not in _raw_bytes(tmp_path)
    finally:
        ws.close()
    assert cipher.is_encrypted(path)
    raw = _raw_bytes(tmp_path)
    for marker in (MARKER, "Ola Nordmann", "Halvorsen", "CREATE TABLE", "SQLite format 3"):
        assert marker.encode() not in raw, marker
    # Plain SQLite cannot read it; the keyring's key can.
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    again = opener.open_workspace(path)
    assert again.count(kind="client") > 1
    again.close()


def test_a_wrong_key_or_passphrase_is_refused_and_the_file_is_untouched(tmp_path):
    path = tmp_path / "workspace.sqlite"
    opener.open_workspace(path).close()
    before = _digest(path)
    with pytest.raises(WrongKey, match="cannot be opened with this key: the key or passphrase is wrong"):
        Workspace.open(path, WorkspaceKey.random())
    with pytest.raises(WrongKey):
        workspace_keys.passphrase_key(path, "not the passphrase")
    with pytest.raises(KeyNeeded, match="is encrypted"):
        Workspace.open(path)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workspace.sqlite"]


def test_encrypt_then_decrypt_keeps_every_record(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(tmp_path / "none.toml"))
    path = tmp_path / "workspace.sqlite"
    ws = Workspace.open(path)  # plain
    _fill(ws)
    counts = {kind: ws.count(kind=kind) for kind in ("client", "contact", "meeting", "interaction")}
    content = _content(ws)
    ws.close()
    assert MARKER.encode() in path.read_bytes()

    said = workspace_files.encrypt(path)
    assert "Encrypted" in said.message and cipher.is_encrypted(path)
    assert MARKER.encode() not in _raw_bytes(tmp_path)
    ws = opener.open_workspace(path)
    assert {kind: ws.count(kind=kind) for kind in counts} == counts
    assert _content(ws) == content
    ws.close()

    workspace_files.decrypt(path)
    assert not cipher.is_encrypted(path)
    ws = Workspace.open(path)
    assert {kind: ws.count(kind=kind) for kind in counts} == counts
    assert _content(ws) == content
    ws.close()
    assert not list(tmp_path.glob("*.converting"))


def test_conversion_waits_for_the_workspace_to_be_closed(tmp_path):
    """Another process (the window, a command) has the workspace open: nothing is converted."""
    path = tmp_path / "workspace.sqlite"
    ws = Workspace.open(path)
    ws.create(kind="client", values={"name": "Open Elsewhere AS"})
    ws.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(WorkspaceBusy, match="close it and try again"):
            workspace_files.encrypt(path)
        assert not cipher.is_encrypted(path)
        assert not list(tmp_path.glob("*.converting"))
    finally:
        holder.communicate("", timeout=30)
    workspace_files.encrypt(path)
    assert cipher.is_encrypted(path)


# A process with the workspace open, as the window keeps it, until its input closes.
HOLD_OPEN = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("SELECT count(*) FROM client").fetchone()
print("open", flush=True)
sys.stdin.read()
"""


def _companion(data_dir: Path, *args: str, env: dict[str, str] | None = None, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "companion", "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})}, **kwargs,
    )  # fmt: skip


def _run(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    process = _companion(data_dir, *args, env=env)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_a_conversion_killed_at_any_moment_leaves_a_usable_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(tmp_path / "none.toml"))
    path = tmp_path / "workspace.sqlite"
    converting = tmp_path / "workspace.sqlite.converting"
    ws = Workspace.open(path)
    _fill(ws)
    load_synthetic(ws, clients=300, seed=3)
    content = _content(ws)
    ws.close()
    outcomes = []
    # Killed while the new file is being written (at once, and later), while it is checked, and not at all.
    for pause in (0.0, 0.2, 0.5, 0.8, None, 0.0, 0.3, None):
        command = "decrypt" if cipher.is_encrypted(path) else "encrypt"
        process = _companion(tmp_path, command)
        if pause is not None:
            deadline = time.monotonic() + 60
            while not converting.exists() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(pause)
            process.send_signal(signal.SIGKILL)
        _out, err = process.communicate(timeout=120)
        outcomes.append((command, pause, process.returncode, cipher.is_encrypted(path)))
        if pause is None:
            assert process.returncode == 0, err
        ws = opener.open_workspace(path) if cipher.is_encrypted(path) else Workspace.open(path)
        try:
            assert _content(ws) == content, outcomes
        finally:
            ws.close()
    killed = [o for o in outcomes if o[2] == -signal.SIGKILL]
    assert len(killed) >= 4, outcomes  # most kills landed mid-conversion, not after it


def test_backup_and_restore_round_trip(tmp_path):
    data = tmp_path / "laptop"
    path = data / "workspace.sqlite"
    ws = opener.open_workspace(path)
    _fill(ws)
    content = _content(ws)
    # Backed up while the workspace is open (the online backup API, not a copy of a file in use).
    out = tmp_path / "backups" / "monday.companion"
    out.parent.mkdir()
    said = workspace_files.backup(path, out)
    assert "encrypted with the workspace's key" in said.message
    assert cipher.is_encrypted(out) and MARKER.encode() not in out.read_bytes()
    with pytest.raises(Exception, match="exists already"):
        workspace_files.backup(path, out)
    ws.create(kind="client", values={"name": "Added After The Backup"})
    ws.close()

    said = workspace_files.restore(path, out)
    assert "Restored" in said.message
    ws = opener.open_workspace(path)
    assert _content(ws) == content
    ws.close()
    (kept,) = data.glob("workspace.sqlite.before-restore-*.bak")
    old = Workspace.open(kept, workspace_keys.key_for(kept))
    assert any(c["name"] == "Added After The Backup" for c in old.list(kind="client")), (
        "nothing typed is lost"
    )
    old.close()


def test_a_passphrase_backup_restores_on_another_computer(tmp_path, monkeypatch):
    path = tmp_path / "laptop" / "workspace.sqlite"
    ws = opener.open_workspace(path)
    _fill(ws)
    content = _content(ws)
    ws.close()
    out = tmp_path / "offsite.companion"
    said = workspace_files.backup(path, out, passphrase="correct horse battery")
    assert "passphrase" in said.message
    # Another computer: its keyring holds nothing for this file.
    monkeypatch.setenv("COMPANION_TEST_KEYRING", str(tmp_path / "other-keyring.json"))
    other = tmp_path / "new-laptop" / "workspace.sqlite"
    with pytest.raises(KeyNeeded, match="Enter its passphrase"):
        workspace_files.restore(other, out)
    with pytest.raises(WrongKey):
        workspace_files.restore(other, out, backup_key=WorkspaceKey.from_passphrase("wrong horse"))
    assert not other.exists(), "a failed restore writes nothing"
    workspace_files.restore(other, out, backup_key=WorkspaceKey.from_passphrase("correct horse battery"))
    assert cipher.is_encrypted(other)
    ws = opener.open_workspace(other)  # the new laptop's keyring has a key for it now
    assert _content(ws) == content
    ws.close()


def test_a_damaged_backup_is_refused_before_anything_is_replaced(tmp_path):
    path = tmp_path / "workspace.sqlite"
    ws = opener.open_workspace(path)
    ws.create(kind="client", values={"name": "Still Here AS"})
    ws.close()
    out = tmp_path / "copy.companion"
    workspace_files.backup(path, out)
    damaged = bytearray(out.read_bytes())
    damaged[6000:6100] = bytes(100)  # inside page 2
    out.write_bytes(bytes(damaged))
    before = _digest(path)
    with pytest.raises(Exception, match=r"damaged|integrity|cannot be opened"):
        workspace_files.restore(path, out)
    assert _digest(path) == before
    assert not list(tmp_path.glob("*.restoring"))


def test_without_a_keyring_nothing_is_written_in_plain(tmp_path):
    data = tmp_path / "headless"
    refused = _run(data, "add", "client", f"name={MARKER}", env=NO_KEYRING)
    assert refused.returncode == 1
    assert (
        "Companion cannot keep the workspace key in this computer's keyring: this computer has no keyring"
        in refused.stderr
    )
    assert "passphrase" in refused.stderr and "Nothing was written." in refused.stderr
    # One line, the keyring library's own words last, as its details.
    (said,) = refused.stderr.splitlines()
    assert " Details: No recommended backend" in said
    assert not (data / "workspace.sqlite").exists() or cipher.is_encrypted(data / "workspace.sqlite")
    # With a passphrase instead: encrypted, and it opens with that passphrase only.
    env = {**NO_KEYRING, "COMPANION_PASSPHRASE": "a long passphrase"}
    assert _run(data, "add", "client", f"name={MARKER}", env=env).returncode == 0
    assert cipher.is_encrypted(data / "workspace.sqlite")
    assert MARKER.encode() not in _raw_bytes(data)
    listed = _run(data, "list", "client", env=env)
    assert MARKER in listed.stdout
    wrong = _run(data, "list", "client", env={**NO_KEYRING, "COMPANION_PASSPHRASE": "guess"})
    assert wrong.returncode == 1 and "key or passphrase is wrong" in wrong.stderr
    # Encrypting a plain workspace without a keyring: refused, the file left plain and whole.
    plain = tmp_path / "plain"
    Workspace.open(plain / "workspace.sqlite").close()
    before = _digest(plain / "workspace.sqlite")
    refused = _run(plain, "encrypt", env=NO_KEYRING)
    assert refused.returncode == 1 and "keyring" in refused.stderr
    assert _digest(plain / "workspace.sqlite") == before


def test_an_admin_can_require_encryption(tmp_path):
    site = tmp_path / "config.toml"
    site.write_text('[locked]\n"workspace.require_encryption" = true\n', encoding="utf-8")
    env = {"COMPANION_SITE_CONFIG": str(site)}
    data = tmp_path / "data"
    Workspace.open(data / "workspace.sqlite").close()  # made plain before the policy
    refused = _run(data, "list", "client", env=env)
    assert refused.returncode == 1 and "must be" in refused.stderr and "companion encrypt" in refused.stderr
    assert _run(data, "encrypt", env=env).returncode == 0
    assert _run(data, "list", "client", env=env).returncode == 0
    kept = _run(data, "decrypt", env=env)
    assert kept.returncode == 1 and "stays encrypted" in kept.stderr
    assert cipher.is_encrypted(data / "workspace.sqlite")
    # And new workspaces are encrypted even if the user turned that off.
    fresh = tmp_path / "fresh"
    assert _run(fresh, "settings", "set", "workspace.encrypt_new", "false", env=env).returncode == 0
    assert _run(fresh, "add", "client", "name=X", env=env).returncode == 0
    assert cipher.is_encrypted(fresh / "workspace.sqlite")


def test_an_encrypted_workspace_migrates_and_its_safety_copy_stays_encrypted(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(tmp_path / "none.toml"))
    fixtures = Path(__file__).parents[1] / "fixtures" / "workspaces"
    path = tmp_path / "workspace.sqlite"
    shutil.copyfile(fixtures / "0001.sqlite", path)
    expected = json.loads((fixtures / "0001.json").read_text(encoding="utf-8"))
    name = expected["client"][0]["name"]
    workspace_files.encrypt(path)  # an old workspace, encrypted before this version opens it
    ws = opener.open_workspace(path)
    try:
        assert ws.export_records() == expected
        assert any(hit.record_id == expected["client"][0]["id"] for hit in ws.search(text=name))
    finally:
        ws.close()
    (safety,) = tmp_path.glob("workspace.sqlite.before-*.bak")
    assert cipher.is_encrypted(safety) and name.encode() not in safety.read_bytes()
    # The keyring's key opens the safety copy too (same key, same salt).
    old = Workspace.open(safety, workspace_keys.key_for(safety))
    assert old.count(kind="client") == len(expected["client"])
    old.close()


def test_a_plain_workspace_backs_up_into_an_encrypted_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(tmp_path / "none.toml"))
    path = tmp_path / "data" / "workspace.sqlite"
    ws = Workspace.open(path)  # plain, made before encryption was the default
    _fill(ws)
    content = _content(ws)
    ws.close()
    out = tmp_path / "copy.companion"
    said = workspace_files.backup(path, out)
    assert "new key kept in this computer's keyring" in said.message
    assert cipher.is_encrypted(out) and MARKER.encode() not in out.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.companion", "data"], "no snapshot left behind"
    other = tmp_path / "elsewhere" / "workspace.sqlite"
    workspace_files.restore(other, out)
    ws = opener.open_workspace(other)
    assert _content(ws) == content
    ws.close()


def test_a_passphrase_backup_is_an_export_and_follows_the_admin(tmp_path):
    site = tmp_path / "config.toml"
    site.write_text('[locked]\n"exports.allowed" = false\n', encoding="utf-8")
    env = {"COMPANION_SITE_CONFIG": str(site), "COMPANION_PASSPHRASE": "a long passphrase"}
    data = tmp_path / "data"
    assert (
        _run(data, "add", "client", "name=Kept Here AS", env={"COMPANION_SITE_CONFIG": str(site)}).returncode
        == 0
    )
    refused = _run(data, "backup", "--out", str(tmp_path / "away.companion"), "--passphrase", env=env)
    assert refused.returncode == 1 and "Exports are turned off" in refused.stderr
    assert not (tmp_path / "away.companion").exists()
    # A copy with the workspace's own key stays bound to this computer's keyring: allowed.
    kept = _run(
        data, "backup", "--out", str(tmp_path / "here.companion"), env={"COMPANION_SITE_CONFIG": str(site)}
    )
    assert kept.returncode == 0, kept.stderr


def test_backups_still_open_after_the_workspace_is_decrypted(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_SITE_CONFIG", str(tmp_path / "none.toml"))
    path = tmp_path / "data" / "workspace.sqlite"
    ws = opener.open_workspace(path)
    _fill(ws)
    content = _content(ws)
    ws.close()
    out = tmp_path / "before-decrypt.companion"
    workspace_files.backup(path, out)
    workspace_files.decrypt(path)
    assert workspace_keys.key_for(out) is not None, "the key the backup needs is kept"
    workspace_files.restore(tmp_path / "again" / "workspace.sqlite", out)
    ws = opener.open_workspace(tmp_path / "again" / "workspace.sqlite")
    assert _content(ws) == content
    ws.close()


def test_a_passphrase_backup_restores_on_the_computer_that_made_it(tmp_path):
    data = tmp_path / "data"
    assert _run(data, "add", "client", f"name={MARKER} Here").returncode == 0
    env = {"COMPANION_PASSPHRASE": "a long passphrase"}
    made = _run(data, "backup", "--out", str(tmp_path / "off.companion"), "--passphrase", env=env)
    assert made.returncode == 0, made.stderr
    # Its own salt: the workspace's keyring key is not mistaken for it.
    assert cipher.file_salt(tmp_path / "off.companion") != cipher.file_salt(data / "workspace.sqlite")
    restored = _run(tmp_path / "other", "restore", str(tmp_path / "off.companion"), env=env)
    assert restored.returncode == 0, restored.stderr
    assert MARKER in _run(tmp_path / "other", "list", "client").stdout


def test_a_passphrase_workspace_backs_up_and_restores_without_a_keyring(tmp_path):
    env = {**NO_KEYRING, "COMPANION_PASSPHRASE": "the only passphrase"}
    data = tmp_path / "data"
    assert _run(data, "add", "client", f"name={MARKER} Offline", env=env).returncode == 0
    made = _run(data, "backup", "--out", str(tmp_path / "copy.companion"), env=env)
    assert made.returncode == 0 and "workspace's passphrase" in made.stdout, made.stderr
    assert _run(data, "add", "client", "name=After The Backup", env=env).returncode == 0
    restored = _run(data, "restore", str(tmp_path / "copy.companion"), env=env)
    assert restored.returncode == 0, restored.stderr
    listed = _run(data, "list", "client", env=env).stdout
    assert MARKER in listed and "After The Backup" not in listed


def test_a_restore_cut_short_before_its_last_rename_leaves_the_old_workspace(tmp_path, monkeypatch):
    path = tmp_path / "workspace.sqlite"
    ws = opener.open_workspace(path)
    ws.create(kind="client", values={"name": "The Old One AS"})
    ws.close()
    out = tmp_path / "copy.companion"
    workspace_files.backup(path, out)
    real_replace = os.replace

    def crash(source, target):
        if Path(target) == path:
            raise OSError("the process died here")
        return real_replace(source, target)

    monkeypatch.setattr(workspace_files.os, "replace", crash)
    with pytest.raises(OSError, match="died here"):
        workspace_files.restore(path, out)
    monkeypatch.undo()
    ws = opener.open_workspace(path)
    assert [c["name"] for c in ws.list(kind="client")] == ["The Old One AS"]
    ws.close()
    assert list(tmp_path.glob("workspace.sqlite.before-restore-*.bak")), "the second name was made first"
