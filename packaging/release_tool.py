"""Release signing and checksums: an Ed25519 key pair, SHA256SUMS over the artifacts, and its signature
in minisign's format, so an admin verifies with the stock tools:

    minisign -Vm SHA256SUMS -p release.pub && sha256sum -c SHA256SUMS

    python packaging/release_tool.py keygen --secret ~/keys/companion.key --public packaging/release.pub
    python packaging/release_tool.py sign dist/ [--key FILE]      # or COMPANION_SIGNING_KEY=FILE
        [--gpg-key ID]                                            # also SHA256SUMS.asc, for gpg --verify

The secret key stays outside the repository: the tool refuses one inside it. Without a key, `sign`
writes SHA256SUMS, says the release is unsigned, and exits 0.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import secrets
import sys
import time
from pathlib import Path

KEY_ENV = "COMPANION_SIGNING_KEY"
GPG_KEY_ENV = "COMPANION_GPG_KEY"
REPO = Path(__file__).resolve().parents[1]
SUMS = "SHA256SUMS"


class ReleaseError(Exception):
    """Something the person running the build must fix; nothing half-written is left."""


def _ed25519():
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(text)


def outside_repository(path: Path) -> Path:
    path = path.expanduser().resolve()
    if path == REPO or REPO in path.parents:
        raise ReleaseError(
            f"{path} is inside the repository: keep the signing key elsewhere (and never commit it)."
        )
    return path


def keygen(secret_path: Path, public_path: Path) -> str:
    """A new key pair; the secret file is created 0600 and never overwritten. Returns the key id."""
    secret_path = outside_repository(secret_path)
    if secret_path.exists():
        raise ReleaseError(f"{secret_path} exists already: a new key would orphan every release it signed.")
    ed25519 = _ed25519()
    seed = secrets.token_bytes(32)
    private = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    public = private.public_key().public_bytes_raw()
    key_id = secrets.token_bytes(8)
    _write_private(
        secret_path,
        "untrusted comment: companion release secret key (Ed25519 seed; keep it offline)\n"
        + base64.b64encode(b"Ed" + key_id + seed + public).decode()
        + "\n",
    )
    public_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.write_text(_public_text(key_id, public), encoding="ascii")
    return key_id[::-1].hex().upper()


def _public_text(key_id: bytes, public: bytes) -> str:
    return (
        f"untrusted comment: minisign public key {key_id[::-1].hex().upper()}\n"
        + base64.b64encode(b"Ed" + key_id + public).decode()
        + "\n"
    )


def public_key_of(key_path: Path) -> str:
    """The public key (minisign's format) of a secret key: what the app bundles to trust its updates."""
    key_id, private = _read_secret(key_path)
    return _public_text(key_id, private.public_key().public_bytes_raw())


def _read_secret(path: Path):
    path = outside_repository(path)
    try:
        lines = path.read_text(encoding="ascii").splitlines()
        raw = base64.b64decode(lines[1], validate=True)
    except (OSError, IndexError, ValueError) as exc:
        raise ReleaseError(f"{path} is not a companion release key ({exc}).") from None
    if len(raw) != 2 + 8 + 32 + 32 or raw[:2] != b"Ed":
        raise ReleaseError(f"{path} is not a companion release key.")
    key_id, seed = raw[2:10], raw[10:42]
    return key_id, _ed25519().Ed25519PrivateKey.from_private_bytes(seed)


def sign_file(path: Path, key_path: Path, *, trusted_comment: str | None = None) -> Path:
    """Writes PATH.minisig: a prehashed (BLAKE2b-512) Ed25519 signature, as `minisign -S -H` would."""
    key_id, private = _read_secret(key_path)
    digest = hashlib.blake2b(path.read_bytes(), digest_size=64).digest()
    signature = private.sign(digest)
    trusted = trusted_comment or f"timestamp:{int(time.time())}\tfile:{path.name}\thashed"
    global_signature = private.sign(signature + trusted.encode())
    target = path.with_name(path.name + ".minisig")
    target.write_text(
        "untrusted comment: signature from companion release key\n"
        + base64.b64encode(b"ED" + key_id + signature).decode()
        + "\n"
        + f"trusted comment: {trusted}\n"
        + base64.b64encode(global_signature).decode()
        + "\n",
        encoding="utf-8",
    )
    return target


def write_sums(folder: Path) -> Path:
    """SHA256SUMS over every artifact in the folder (sorted; not the sums or signatures themselves)."""
    artifacts = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.name != SUMS and not p.name.endswith((".minisig", ".asc"))
    )
    if not artifacts:
        raise ReleaseError(f"{folder} holds no artifacts to list.")
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in artifacts]
    sums = folder / SUMS
    sums.write_text("".join(lines), encoding="utf-8")
    return sums


def gpg_sign(path: Path, gpg_key: str) -> Path:
    """PATH.asc: an armored detached signature by the gpg key GPG_KEY (from the user's keyring)."""
    import shutil
    import subprocess

    if shutil.which("gpg") is None:
        raise ReleaseError("gpg is not installed, so no GPG signature can be made (Debian: apt install gpg).")
    target = path.with_name(path.name + ".asc")
    made = subprocess.run(
        ["gpg", "--batch", "--yes", "--armor", "--detach-sign", "--local-user", gpg_key,
         "--output", str(target), str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        target.unlink(missing_ok=True)
        raise ReleaseError(f"gpg could not sign with {gpg_key}: {made.stderr.strip()}")
    return target


def sign_release(folder: Path, key_path: Path | None, *, gpg_key: str | None = None) -> str:
    sums = write_sums(folder)
    for stale in (folder / f"{SUMS}.minisig", folder / f"{SUMS}.asc"):
        stale.unlink(missing_ok=True)  # a signature of an earlier list must not sit beside this one
    signatures = [sign_file(sums, key_path).name] if key_path is not None else []
    if gpg_key:
        signatures.append(gpg_sign(sums, gpg_key).name)
    said = f"wrote {sums}" + "".join(f" and {name}" for name in signatures)
    if key_path is None:
        said += f"; UNSIGNED: no key (--key or {KEY_ENV}), so admins cannot verify this release with minisign"
    return said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    verbs = parser.add_subparsers(dest="verb", required=True)
    k = verbs.add_parser("keygen", help="create the release signing key pair")
    k.add_argument(
        "--secret", type=Path, required=True, help="where the secret key goes (outside the repository)"
    )
    k.add_argument("--public", type=Path, default=REPO / "packaging" / "release.pub")
    s = verbs.add_parser("sign", help="SHA256SUMS over a folder's artifacts, signed when a key is given")
    s.add_argument("folder", type=Path)
    s.add_argument("--key", type=Path, default=Path(os.environ[KEY_ENV]) if os.environ.get(KEY_ENV) else None)
    s.add_argument("--gpg-key", default=os.environ.get(GPG_KEY_ENV), help="also a GPG detached signature")
    args = parser.parse_args(argv)
    try:
        if args.verb == "keygen":
            key_id = keygen(args.secret, args.public)
            print(f"key {key_id}: secret in {args.secret} (0600, keep it offline), public in {args.public}")
        else:
            print(sign_release(args.folder, args.key, gpg_key=args.gpg_key))
    except ReleaseError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
