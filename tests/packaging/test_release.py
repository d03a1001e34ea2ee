"""Release signing: SHA256SUMS signed in minisign's format, checked with the stock minisign and sha256sum."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
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
