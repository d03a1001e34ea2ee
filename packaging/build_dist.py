"""`make dist`: the frozen app (PyInstaller, one folder), a reproducible .tar.gz, a .deb, SHA256SUMS and
its minisign signature, all in dist/.

    python packaging/build_dist.py [--out dist] [--key FILE] [--gpg-key ID] [--site-config FILE] [--skip-build]

Reproducible: SOURCE_DATE_EPOCH comes from the last commit, PYTHONHASHSEED is 0, archive entries are
sorted with fixed owners and times. The signing key (--key or COMPANION_SIGNING_KEY) must live outside
the repository; without one the artifacts are listed in SHA256SUMS and said to be unsigned.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import release_tool

REPO = Path(__file__).resolve().parents[1]
NAME = "companion"
RELEASE_KEY_ENV = "COMPANION_RELEASE_PUB"  # read by companion.spec
DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=Companion
GenericName=Client knowledge for account managers
Comment=Clients, their people, culture and meeting preparation, offline
Exec=/usr/bin/companion
Icon=companion
Terminal=false
Categories=Office;ContactManagement;
"""


def version() -> str:
    namespace: dict[str, str] = {}
    exec((REPO / "src" / "companion" / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def source_date_epoch() -> int:
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    found = subprocess.run(
        ["git", "-C", str(REPO), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=False
    )
    return int(found.stdout.strip()) if found.returncode == 0 and found.stdout.strip() else 0


def build_bundle(work: Path, epoch: int, key: Path | None) -> Path:
    """The frozen app; with a signing key, its public half goes in, so the app trusts (only) the
    releases that key signs when it checks for updates (companion.app.updates)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
    env.pop(RELEASE_KEY_ENV, None)
    if key is not None:
        work.mkdir(parents=True, exist_ok=True)
        public = work / "release.pub"
        public.write_text(release_tool.public_key_of(key), encoding="ascii")
        env[RELEASE_KEY_ENV] = str(public)
    subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "ERROR",
            "--distpath", str(work / "dist"), "--workpath", str(work / "work"),
            str(REPO / "packaging" / "companion.spec"),
        ],
        env=env, check=True,
    )  # fmt: skip
    return work / "dist" / NAME


def _normalised(info: tarfile.TarInfo, epoch: int) -> tarfile.TarInfo:
    info.mtime = epoch
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    if info.isfile():
        info.mode = 0o755 if info.mode & 0o111 else 0o644
    elif info.isdir():
        info.mode = 0o755
    return info


def reproducible_tar_gz(bundle: Path, target: Path, epoch: int, *, prefix: str) -> Path:
    """The bundle as PREFIX/…: entries sorted, times and owners fixed, gzip without a name or time."""
    paths = sorted(bundle.rglob("*"), key=lambda p: p.relative_to(bundle).as_posix())
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        tar.addfile(_normalised(tar.gettarinfo(str(bundle), arcname=prefix), epoch))
        for path in paths:
            info = _normalised(
                tar.gettarinfo(str(path), arcname=f"{prefix}/{path.relative_to(bundle).as_posix()}"), epoch
            )
            if info.isfile():
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
            else:
                tar.addfile(info)
    with target.open("wb") as out, gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=epoch) as packed:
        packed.write(raw.getvalue())
    return target


def deb_architecture() -> str:
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def build_deb(bundle: Path, target: Path, epoch: int, *, site_config: Path | None) -> Path:
    """/opt/companion (the bundle), /usr/bin/companion, the .desktop file and the icon; a preset
    /etc/xdg/companion/config.toml when given (a conffile: an admin's later edit survives upgrades)."""
    stage = target.parent / f".{target.stem}-stage"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(bundle, stage / "opt" / NAME, symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / NAME).symlink_to(f"/opt/{NAME}/{NAME}")
    applications = stage / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / f"{NAME}.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    icons = stage / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps"
    icons.mkdir(parents=True)
    shutil.copy(REPO / "resources" / "icons" / "app.svg", icons / f"{NAME}.svg")
    control = stage / "DEBIAN"
    control.mkdir()
    conffiles = []
    if site_config is not None:
        etc = stage / "etc" / "xdg" / NAME
        etc.mkdir(parents=True)
        shutil.copy(site_config, etc / "config.toml")
        conffiles.append(f"/etc/xdg/{NAME}/config.toml")
    size_kib = sum(p.stat().st_size for p in stage.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    (control / "control").write_text(
        f"Package: {NAME}\nVersion: {version()}\nArchitecture: {deb_architecture()}\n"
        f"Maintainer: Companion team <companion@example.invalid>\nInstalled-Size: {size_kib}\n"
        "Section: misc\nPriority: optional\nDepends: libc6, libfontconfig1, libxkbcommon0, libegl1\n"
        "Description: client knowledge for field account managers, offline\n"
        " Clients, the people inside them, their culture, do's and don'ts and site rules, and a\n"
        " pre-meeting checklist; shared with a team through an optional sync server.\n",
        encoding="utf-8",
    )
    if conffiles:
        (control / "conffiles").write_text("\n".join(conffiles) + "\n", encoding="utf-8")
    for path in [stage, *stage.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
        os.utime(path, (epoch, epoch), follow_symlinks=False)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(stage), str(target)],
        env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    shutil.rmtree(stage)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=REPO / "dist")
    parser.add_argument("--work", type=Path, default=REPO / "build")
    key_default = Path(os.environ[release_tool.KEY_ENV]) if os.environ.get(release_tool.KEY_ENV) else None
    parser.add_argument("--key", type=Path, default=key_default)
    parser.add_argument(
        "--gpg-key", default=os.environ.get(release_tool.GPG_KEY_ENV), help="also sign SHA256SUMS with gpg"
    )
    parser.add_argument("--site-config", type=Path, help="a config.toml the .deb installs for every user")
    parser.add_argument("--skip-build", action="store_true", help="package the bundle already in --work")
    args = parser.parse_args(argv)
    try:
        if args.key is not None:
            release_tool.outside_repository(args.key)  # refused before a minute of building
        epoch = source_date_epoch()
        bundle = args.work / "dist" / NAME if args.skip_build else build_bundle(args.work, epoch, args.key)
        shutil.rmtree(args.out, ignore_errors=True)
        args.out.mkdir(parents=True)
        stem = f"{NAME}-{version()}-linux-{platform.machine()}"
        reproducible_tar_gz(bundle, args.out / f"{stem}.tar.gz", epoch, prefix=stem)
        if shutil.which("dpkg-deb"):
            build_deb(
                bundle,
                args.out / f"{NAME}_{version()}_{deb_architecture()}.deb",
                epoch,
                site_config=args.site_config,
            )
        else:
            print("no dpkg-deb here: the .deb is built on Debian or Ubuntu")
        print(release_tool.sign_release(args.out, args.key, gpg_key=args.gpg_key))
    except release_tool.ReleaseError as exc:
        print(f"dist: {exc}", file=sys.stderr)
        return 1
    for artifact in sorted(args.out.iterdir()):
        print(f"{artifact.stat().st_size / 1e6:8.1f} MB  {artifact.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
