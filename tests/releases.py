"""Release folders for update-check tests: packaging/release_tool.py's keys, checksums and signatures."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "packaging" / "release_tool.py"


@functools.cache
def release_tool():
    spec = importlib.util.spec_from_file_location("release_tool", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def publish(folder: Path, version: str, secret: Path | None) -> Path:
    """What `make dist` leaves for a version (dummy artifacts), listed and signed with SECRET."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"companion-{version}-linux-x86_64.tar.gz").write_bytes(
        b"\x1f\x8b the bundle " + version.encode()
    )
    (folder / f"companion_{version}_amd64.deb").write_bytes(b"!<arch> the package " + version.encode())
    (folder / f"companion-{version}-setup.exe").write_bytes(b"MZ the installer")
    release_tool().sign_release(folder, secret)
    return folder


def team_site(root: Path) -> tuple[Path, Path]:
    """An admin's site folder holding the team's public key, and the secret key kept elsewhere."""
    folder = root / "etc"
    folder.mkdir()
    secret = root / "keys" / "release.key"
    release_tool().keygen(secret, folder / "release.pub")
    return folder, secret
