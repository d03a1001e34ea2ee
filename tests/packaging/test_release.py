"""Release signing: SHA256SUMS signed in minisign's format, checked with the stock minisign and sha256sum."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "packaging" / "release_tool.py"


@pytest.fixture(scope="module")
def release():
    spec = importlib.util.spec_from_file_location("release_tool", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def dist(tmp_path):
    folder = tmp_path / "dist"
    folder.mkdir()
    (folder / "companion-1.0-linux-x86_64.tar.gz").write_bytes(b"\x1f\x8b the bundle")
    (folder / "companion_1.0_amd64.deb").write_bytes(b"!<arch> the package")
    return folder


def _tool(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    missing = [t for t in args[:1] if shutil.which(t) is None]
    if missing:
        pytest.fail(f"{missing[0]} is not installed: `make test` installs it (Debian: apt install minisign)")
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False)


def test_a_signed_release_verifies_with_the_stock_tools_and_tampering_fails(release, dist, tmp_path):
    key, public = tmp_path / "keys" / "release.key", tmp_path / "release.pub"
    release.keygen(key, public)
    assert key.stat().st_mode & 0o777 == 0o600
    assert "wrote" in release.sign_release(dist, key)
    assert _tool("minisign", "-Vm", "SHA256SUMS", "-p", str(public), cwd=dist).returncode == 0
    assert _tool("sha256sum", "-c", "SHA256SUMS", cwd=dist).returncode == 0
    # A changed artifact fails its checksum; a changed checksum list fails its signature.
    artifact = dist / "companion_1.0_amd64.deb"
    artifact.write_bytes(artifact.read_bytes() + b"\x00")
    assert _tool("sha256sum", "-c", "SHA256SUMS", cwd=dist).returncode != 0
    sums = dist / "SHA256SUMS"
    sums.write_text(sums.read_text().replace("companion_1.0", "companion_6.6"))
    verified = _tool("minisign", "-Vm", "SHA256SUMS", "-p", str(public), cwd=dist)
    assert verified.returncode != 0 and "verification failed" in (verified.stdout + verified.stderr).lower()


def test_a_signature_by_another_key_is_refused(release, dist, tmp_path):
    release.keygen(tmp_path / "ours.key", tmp_path / "ours.pub")
    release.keygen(tmp_path / "theirs.key", tmp_path / "theirs.pub")
    release.sign_release(dist, tmp_path / "theirs.key")
    assert _tool("minisign", "-Vm", "SHA256SUMS", "-p", str(tmp_path / "ours.pub"), cwd=dist).returncode != 0


def test_a_key_inside_the_repository_is_refused_and_nothing_is_written(release, dist, tmp_path):
    inside = release.REPO / "packaging" / "oops.key"
    with pytest.raises(release.ReleaseError, match="inside the repository"):
        release.keygen(inside, tmp_path / "release.pub")
    assert not inside.exists() and not (tmp_path / "release.pub").exists()
    with pytest.raises(release.ReleaseError, match="inside the repository"):
        release.sign_release(dist, inside)


def test_without_a_key_the_release_is_listed_and_said_to_be_unsigned(release, dist):
    said = release.sign_release(dist, None)
    assert "UNSIGNED" in said
    assert not (dist / "SHA256SUMS.minisig").exists()
    assert _tool("sha256sum", "-c", "SHA256SUMS", cwd=dist).returncode == 0


def test_an_existing_key_is_never_overwritten(release, tmp_path):
    key = tmp_path / "release.key"
    release.keygen(key, tmp_path / "release.pub")
    before = key.read_bytes()
    with pytest.raises(release.ReleaseError, match="exists already"):
        release.keygen(key, tmp_path / "other.pub")
    assert key.read_bytes() == before


@pytest.fixture
def gpg_home():
    """A throwaway GnuPG home with one passphrase-less signing key; its agent is stopped afterwards.
    (mkdtemp under /tmp: the agent's socket path must stay short.)"""
    if shutil.which("gpg") is None:
        pytest.fail("gpg is not installed: `make test` installs it (Debian: apt install gpg gpg-agent)")
    home = Path(tempfile.mkdtemp(prefix="gpg-", dir="/tmp"))
    home.chmod(0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    subprocess.run(
        ["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Release <release@example.invalid>",
         "ed25519", "sign", "never"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    yield env
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, check=False, capture_output=True)
    shutil.rmtree(home, ignore_errors=True)


def test_an_optional_gpg_signature_verifies_and_tampering_fails(release, dist, gpg_home, monkeypatch):
    monkeypatch.setenv("GNUPGHOME", gpg_home["GNUPGHOME"])
    said = release.sign_release(dist, None, gpg_key="release@example.invalid")
    assert "SHA256SUMS.asc" in said and "UNSIGNED" in said  # no minisign key: still said
    check = ["gpg", "--batch", "--verify", "SHA256SUMS.asc", "SHA256SUMS"]
    verified = subprocess.run(check, cwd=dist, env=gpg_home, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stderr
    assert "Good signature" in verified.stderr
    sums = dist / "SHA256SUMS"
    sums.write_text(sums.read_text().replace("companion_1.0", "companion_6.6"))
    assert subprocess.run(check, cwd=dist, env=gpg_home, capture_output=True).returncode != 0
    with pytest.raises(release.ReleaseError, match=r"gpg could not sign with nobody@example\.invalid"):
        release.sign_release(dist, None, gpg_key="nobody@example.invalid")
    assert not (dist / "SHA256SUMS.asc").exists(), (
        "no signature of an earlier list is left beside the new one"
    )
