"""Update notices: the newest release the team lists, believed only when its SHA256SUMS is signed by a
release key this laptop trusts (minisign's format, as packaging/release_tool.py writes it).

The team lists releases by publishing what `make dist` wrote (the artifacts, SHA256SUMS and
SHA256SUMS.minisig) in one folder, on a web server or a shared drive: `updates.feed_url` names it.
The trusted keys are the one the installer was built with (resources/release.pub) and one an admin puts
beside the site config (release.pub). Nothing is downloaded or installed here: the person is told which
signed release is newer and where it is, with its checksum.
"""

from __future__ import annotations

import base64
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from companion import __version__
from companion.model.errors import CompanionError

SUMS = "SHA256SUMS"
SIGNATURE = SUMS + ".minisig"
KEY_FILE = "release.pub"
TIMEOUT_SECONDS = 15
_VERSION_IN_NAME = re.compile(r"^companion[-_](\d+(?:\.\d+)*)[-_.]", re.IGNORECASE)
# What a person on this system installs, best first.
_INSTALLERS = {"linux": (".deb", ".tar.gz"), "win32": ("-setup.exe", ".msi"), "darwin": (".dmg",)}


class UpdateCheckFailed(CompanionError):
    """The release listing could not be read (no network, no such folder, a file missing)."""


class UntrustedRelease(CompanionError):
    """The listing is not signed, or not by a key this laptop trusts, or was changed after signing."""


class UpdatesTurnedOff(CompanionError):
    """An administrator locked update checks off on this laptop."""


@dataclass(frozen=True)
class ReleaseKey:
    key_id: bytes
    public: bytes
    source: str

    @property
    def name(self) -> str:
        return self.key_id[::-1].hex().upper()  # as minisign prints it


@dataclass(frozen=True)
class Release:
    version: str
    feed: str
    checksums: dict[str, str]  # artifact name → sha256
    signed_by: str

    def installers(self, platform: str = sys.platform) -> list[str]:
        """The artifacts someone on this system would install, best first."""
        suffixes = _INSTALLERS.get(platform, ())
        found = [n for n in self.checksums if n.lower().endswith(suffixes)]
        return sorted(found, key=lambda n: next(i for i, s in enumerate(suffixes) if n.lower().endswith(s)))

    def location(self, name: str) -> str:
        return f"{self.feed.rstrip('/')}/{name}" if _is_web(self.feed) else str(_folder(self.feed) / name)


@dataclass(frozen=True)
class UpdateCheck:
    current: str
    release: Release

    @property
    def newer(self) -> bool:
        return version_key(self.release.version) > version_key(self.current)

    def summary(self) -> str:
        if not self.newer:
            return f"Companion {self.current} is up to date (the newest signed release is {self.release.version})."
        return (
            f"Companion {self.release.version} is available (you have {self.current}); signed by your team."
        )


def version_key(version: str) -> tuple[int, ...]:
    """0.10.0 comes after 0.9.2; anything after the numbers (a 'rc1') is ignored."""
    match = re.match(r"\d+(?:\.\d+)*", version.strip())
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


def read_key(text: str, source: str) -> ReleaseKey:
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        raw = base64.b64decode(lines[-1], validate=True)
    except (IndexError, ValueError):
        raise UntrustedRelease(f"{source} is not a minisign public key.") from None
    if len(raw) != 42 or raw[:2] != b"Ed":
        raise UntrustedRelease(f"{source} is not a minisign Ed25519 public key.")
    return ReleaseKey(raw[2:10], raw[10:], source)


def trusted_keys(site_config: Path | None = None) -> list[ReleaseKey]:
    """The key the installer was built with, and the one an admin keeps beside the site config."""
    from companion.app.config import resources_dir
    from companion.app.settings import site_config_path

    site = site_config if site_config is not None else site_config_path()
    keys = []
    for path in (resources_dir() / KEY_FILE, site.parent / KEY_FILE):
        try:
            keys.append(read_key(path.read_text(encoding="ascii"), str(path)))
        except (OSError, UnicodeDecodeError):
            continue
    return keys


def verify(message: bytes, signature_text: str, keys: list[ReleaseKey]) -> tuple[ReleaseKey, str]:
    """The key that signed MESSAGE and the signed (trusted) comment; UntrustedRelease otherwise."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    lines = signature_text.splitlines()
    try:
        signature_block = base64.b64decode(lines[1], validate=True)
        if not lines[2].startswith("trusted comment: "):
            raise ValueError("no trusted comment")
        trusted = lines[2].removeprefix("trusted comment: ")
        global_signature = base64.b64decode(lines[3], validate=True)
    except (IndexError, ValueError):
        raise UntrustedRelease(f"{SIGNATURE} is not a minisign signature.") from None
    if len(signature_block) != 74 or signature_block[:2] not in (b"ED", b"Ed"):
        raise UntrustedRelease(f"{SIGNATURE} is not an Ed25519 minisign signature.")
    algorithm, key_id, signature = signature_block[:2], signature_block[2:10], signature_block[10:]
    key = next((k for k in keys if k.key_id == key_id), None)
    if key is None:
        raise UntrustedRelease(
            f"The release is signed with key {key_id[::-1].hex().upper()}, which this laptop does not trust"
            + (f" (it trusts {', '.join(k.name for k in keys)})." if keys else " (it holds no release key).")
        )
    import hashlib  # on use: it loads OpenSSL, which start-up does not otherwise need

    signed = hashlib.blake2b(message, digest_size=64).digest() if algorithm == b"ED" else message
    public = Ed25519PublicKey.from_public_bytes(key.public)
    try:
        public.verify(signature, signed)
        public.verify(global_signature, signature + trusted.encode())
    except InvalidSignature:
        raise UntrustedRelease(
            f"{SUMS} does not match its signature: it was changed after key {key.name} signed it."
        ) from None
    return key, trusted


def parse_sums(text: str) -> dict[str, str]:
    checksums = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](\S.*)", line.strip())
        if not match:
            raise UntrustedRelease(f"{SUMS} line {number} is not '<sha256>  <file>'.")
        checksums[match.group(2)] = match.group(1)
    return checksums


def release_version(names) -> str | None:
    versions = [m.group(1) for n in names if (m := _VERSION_IN_NAME.match(n))]
    return max(versions, key=version_key) if versions else None


def _is_web(feed: str) -> bool:
    return urlsplit(feed).scheme in ("http", "https")


def _folder(feed: str) -> Path:
    parts = urlsplit(feed)
    return Path(parts.path) if parts.scheme == "file" else Path(feed).expanduser()


def _fetch(feed: str, name: str) -> bytes:
    if _is_web(feed):
        import httpx

        url = f"{feed.rstrip('/')}/{name}"
        try:
            reply = httpx.get(url, timeout=TIMEOUT_SECONDS, follow_redirects=True)
        except httpx.HTTPError as exc:
            raise UpdateCheckFailed(f"Could not reach {url}: {exc}.") from None
        if reply.status_code != 200:
            raise UpdateCheckFailed(f"{url} answered {reply.status_code}: the team lists no release there.")
        return reply.content
    path = _folder(feed) / name
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UpdateCheckFailed(f"Could not read {path}: {exc.strerror or exc}.") from None


def latest_release(feed: str, keys: list[ReleaseKey]) -> Release:
    """The release listed at FEED, once its signature is checked: an unsigned listing is never believed."""
    if not keys:
        raise UntrustedRelease(
            "This laptop holds no release key, so no release can be trusted: install Companion from a "
            f"signed installer, or ask your administrator to put the team's {KEY_FILE} beside the site config."
        )
    sums = _fetch(feed, SUMS)
    try:
        signature = _fetch(feed, SIGNATURE).decode("utf-8")
    except UpdateCheckFailed:
        raise UntrustedRelease(f"The release at {feed} is not signed ({SIGNATURE} is missing).") from None
    except UnicodeDecodeError:
        raise UntrustedRelease(f"{SIGNATURE} at {feed} is not a minisign signature.") from None
    key, _trusted = verify(sums, signature, keys)
    try:
        checksums = parse_sums(sums.decode("utf-8"))
    except UnicodeDecodeError:
        raise UntrustedRelease(f"{SUMS} at {feed} is not text.") from None
    version = release_version(checksums)
    if version is None:
        raise UpdateCheckFailed(f"The release at {feed} lists no Companion installer.")
    return Release(version=version, feed=feed, checksums=checksums, signed_by=key.name)


def check(loaded, *, keys: list[ReleaseKey] | None = None, current: str = __version__) -> UpdateCheck:
    """Asks the team's listing (settings' updates.feed_url) for its newest signed release."""
    if loaded.value("updates.check") is False and loaded.lock_reason("updates.check"):
        raise UpdatesTurnedOff(f"Update checks are turned off: {loaded.lock_reason('updates.check')}")
    feed = str(loaded.value("updates.feed_url") or "").strip()
    if not feed:
        raise UpdateCheckFailed(
            "No release listing is set: put the folder or web address where your team publishes "
            "releases in Settings (updates.feed_url)."
        )
    keys = trusted_keys(loaded.site_path) if keys is None else keys
    return UpdateCheck(current=current, release=latest_release(feed, keys))
