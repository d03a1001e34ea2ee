"""`make dist` end to end: the frozen app passes its self-test; the .deb holds the app, the .desktop file,
the icon and a preset site config; the signed checksums verify with the stock tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion import __version__

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    for tool in ("dpkg-deb", "minisign", "sha256sum"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: `make test` installs it")
    root = tmp_path_factory.mktemp("dist")
    key, public = root / "keys" / "release.key", root / "release.pub"
    tool = REPO / "packaging" / "release_tool.py"
    subprocess.run(
        [sys.executable, str(tool), "keygen", "--secret", str(key), "--public", str(public)], check=True
    )
    site = root / "config.toml"
    site.write_text('[locked]\n"sync.server_url" = "https://sync.example.com"\n', encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable, str(REPO / "packaging" / "build_dist.py"), "--work", str(root / "build"),
            "--out", str(root / "out"), "--key", str(key), "--site-config", str(site),
        ],
        capture_output=True, text=True, timeout=1200, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return root, public


def test_the_frozen_app_passes_its_self_test(built):
    root, _ = built
    frozen = root / "build" / "dist" / "companion" / "companion"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")} | {
        "QT_QPA_PLATFORM": "offscreen"
    }
    result = subprocess.run(
        [str(frozen), "--self-test"], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("self-test passed")


def test_the_deb_holds_the_app_the_desktop_file_the_icon_and_the_site_config(built):
    root, _ = built
    (deb,) = (root / "out").glob("*.deb")
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[5] for line in listing.splitlines()}
    for expected in (
        "./opt/companion/companion",
        "./usr/share/applications/companion.desktop",
        "./usr/share/icons/hicolor/scalable/apps/companion.svg",
        "./etc/xdg/companion/config.toml",
        "./usr/bin/companion",
    ):
        assert expected in names, expected
    assert all(line.split()[1] == "root/root" for line in listing.splitlines())
    # An admin's later edit of the preset survives upgrades: it is a conffile.
    conffiles = subprocess.run(
        ["dpkg-deb", "-I", str(deb), "conffiles"], capture_output=True, text=True, check=True
    )
    assert conffiles.stdout.strip() == "/etc/xdg/companion/config.toml"


def test_the_release_verifies_and_a_tampered_archive_does_not(built):
    root, public = built
    out = root / "out"
    check = subprocess.run(["minisign", "-Vm", "SHA256SUMS", "-p", str(public)], cwd=out, capture_output=True)
    assert check.returncode == 0, check.stderr
    assert subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True).returncode == 0
    (archive,) = out.glob("*.tar.gz")
    copy = root / "tampered"
    shutil.copytree(out, copy)
    with (copy / archive.name).open("r+b") as handle:
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    assert subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=copy, capture_output=True).returncode != 0


def test_the_frozen_app_trusts_the_releases_its_key_signed(built, tmp_path):
    """The build bundles the signing key's public half: the installed app believes the team's listing
    with no site key beside it, and sees it is the newest release."""
    root, public = built
    frozen = root / "build" / "dist" / "companion" / "companion"
    bundled = root / "build" / "dist" / "companion" / "_internal" / "resources" / "release.pub"
    assert bundled.read_text() == public.read_text()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")} | {
        "COMPANION_SITE_CONFIG": str(tmp_path / "no-site" / "config.toml"),
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [str(frozen), "updates", "--feed", str(root / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"Companion {__version__} is up to date"), result.stdout
