"""Update notices: only a release listing signed by a trusted key is believed, from a folder, a file://
address or a web server; an admin can lock checks off."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from companion.app import settings, updates
from companion.app.updates import UntrustedRelease, UpdateCheckFailed, UpdatesTurnedOff
from tests import releases


@pytest.fixture
def release_tool():
    return releases.release_tool()


@pytest.fixture
def site(tmp_path):
    return releases.team_site(tmp_path)


def _loaded(tmp_path, site_folder: Path, text: str = "") -> settings.Settings:
    config = site_folder / "config.toml"
    config.write_text(text, encoding="utf-8")
    return settings.load(tmp_path / "data", site_path=config)


def test_a_newer_signed_release_in_a_shared_folder_is_reported(tmp_path, site):
    folder, secret = site
    feed = releases.publish(tmp_path / "share" / "companion", "0.2.0", secret)
    loaded = _loaded(tmp_path, folder, f'[defaults]\n"updates.feed_url" = "{feed}"\n')
    result = updates.check(loaded, current="0.1.0")
    assert result.newer
    assert result.release.version == "0.2.0"
    assert result.summary() == "Companion 0.2.0 is available (you have 0.1.0); signed by your team."
    assert result.release.installers("linux") == [
        "companion_0.2.0_amd64.deb",
        "companion-0.2.0-linux-x86_64.tar.gz",
    ]
    assert result.release.installers("win32") == ["companion-0.2.0-setup.exe"]
    assert result.release.location("companion_0.2.0_amd64.deb") == str(feed / "companion_0.2.0_amd64.deb")
    deb = (feed / "companion_0.2.0_amd64.deb").read_bytes()
    assert result.release.checksums["companion_0.2.0_amd64.deb"] == hashlib.sha256(deb).hexdigest()
    # The same release is not news to someone who has it; an older one neither.
    assert not updates.check(loaded, current="0.2.0").newer
    assert not updates.check(loaded, current="0.10.0").newer


def test_version_order_is_numeric():
    assert updates.version_key("0.10.0") > updates.version_key("0.9.2")
    assert updates.version_key("1.0") < updates.version_key("1.0.1")
    assert updates.release_version(
        ["companion-0.9.2-setup.exe", "companion_0.10.0_amd64.deb", "notes.txt"]
    ) == ("0.10.0")


def test_a_listing_changed_after_signing_is_refused(tmp_path, site):
    folder, secret = site
    feed = releases.publish(tmp_path / "share", "0.2.0", secret)
    sums = feed / "SHA256SUMS"
    # Someone swaps the .deb and writes its checksum into the list.
    (feed / "companion_0.2.0_amd64.deb").write_bytes(b"!<arch> something else")
    lines = sums.read_text().splitlines()
    lines = [("0" * 64 + "  companion_0.2.0_amd64.deb") if "deb" in line else line for line in lines]
    sums.write_text("\n".join(lines) + "\n")
    loaded = _loaded(tmp_path, folder, f'[defaults]\n"updates.feed_url" = "{feed}"\n')
    with pytest.raises(UntrustedRelease, match=r"changed after key .* signed it"):
        updates.check(loaded, current="0.1.0")


def test_an_unsigned_release_is_never_believed(tmp_path, site, release_tool):
    folder, _secret = site
    feed = tmp_path / "share"
    feed.mkdir()
    (feed / "companion_9.0.0_amd64.deb").write_bytes(b"!<arch>")
    release_tool.sign_release(feed, None)  # SHA256SUMS only
    loaded = _loaded(tmp_path, folder, f'[defaults]\n"updates.feed_url" = "{feed}"\n')
    with pytest.raises(UntrustedRelease, match="not signed"):
        updates.check(loaded, current="0.1.0")


def test_a_release_signed_by_another_key_is_refused(tmp_path, site, release_tool):
    folder, _secret = site
    stranger = tmp_path / "stranger" / "release.key"
    release_tool.keygen(stranger, tmp_path / "stranger" / "release.pub")
    feed = releases.publish(tmp_path / "share", "0.2.0", stranger)
    loaded = _loaded(tmp_path, folder, f'[defaults]\n"updates.feed_url" = "{feed}"\n')
    with pytest.raises(UntrustedRelease, match="which this laptop does not trust"):
        updates.check(loaded, current="0.1.0")


def test_without_a_trusted_key_no_release_is_believed(tmp_path, site):
    folder, secret = site
    feed = releases.publish(tmp_path / "share", "0.2.0", secret)
    (folder / "release.pub").unlink()
    loaded = _loaded(tmp_path, folder, f'[defaults]\n"updates.feed_url" = "{feed}"\n')
    with pytest.raises(UntrustedRelease, match="holds no release key"):
        updates.check(loaded, current="0.1.0")


def test_a_release_signed_with_the_stock_minisign_is_believed(tmp_path):
    if shutil.which("minisign") is None:
        pytest.fail("minisign is not installed: `make test` installs it")
    folder = tmp_path / "etc"
    folder.mkdir()
    feed = tmp_path / "share"
    feed.mkdir()
    (feed / "companion_0.3.0_amd64.deb").write_bytes(b"!<arch> the package")
    (feed / "SHA256SUMS").write_text(
        subprocess.run(
            ["sha256sum", "companion_0.3.0_amd64.deb"], cwd=feed, capture_output=True, text=True, check=True
        ).stdout
    )
    secret = tmp_path / "minisign.key"
    subprocess.run(
        ["minisign", "-G", "-W", "-p", str(folder / "release.pub"), "-s", str(secret)],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["minisign", "-S", "-s", str(secret), "-m", str(feed / "SHA256SUMS")], check=True, capture_output=True
    )
    loaded = _loaded(tmp_path, folder, f'[defaults]\n"updates.feed_url" = "file://{feed}"\n')
    result = updates.check(loaded, current="0.2.9")
    assert result.newer and result.release.version == "0.3.0"


@pytest.fixture
def web_server(tmp_path):
    """A plain web server on 127.0.0.1 serving a folder: how a team publishes releases on its intranet."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_release_listed_on_a_web_server_is_read_over_http(tmp_path, site, web_server):
    folder, secret = site
    root, url = web_server
    releases.publish(root / "companion", "1.4.0", secret)
    loaded = _loaded(tmp_path, folder, f'[defaults]\n"updates.feed_url" = "{url}/companion/"\n')
    result = updates.check(loaded, current="1.3.2")
    assert result.newer
    assert (
        result.release.location("companion_1.4.0_amd64.deb") == f"{url}/companion/companion_1.4.0_amd64.deb"
    )
    loaded = _loaded(tmp_path, folder, f'[defaults]\n"updates.feed_url" = "{url}/nothing-here"\n')
    with pytest.raises(UpdateCheckFailed, match="answered 404"):
        updates.check(loaded, current="1.3.2")


def test_an_unreachable_listing_says_so(tmp_path, site):
    folder, _secret = site
    loaded = _loaded(tmp_path, folder, f'[defaults]\n"updates.feed_url" = "{tmp_path / "gone"}"\n')
    with pytest.raises(UpdateCheckFailed, match=r"Could not read .*SHA256SUMS"):
        updates.check(loaded)
    loaded = _loaded(tmp_path, folder, "")
    with pytest.raises(UpdateCheckFailed, match="No release listing is set"):
        updates.check(loaded)


def test_an_admin_locks_update_checks_off(tmp_path, site):
    folder, secret = site
    feed = releases.publish(tmp_path / "share", "0.2.0", secret)
    loaded = _loaded(
        tmp_path, folder, f'[defaults]\n"updates.feed_url" = "{feed}"\n[locked]\n"updates.check" = false\n'
    )
    with pytest.raises(settings.LockedSetting):
        loaded.set("updates.check", True)
    with pytest.raises(UpdatesTurnedOff, match="Set by your administrator"):
        updates.check(loaded, current="0.1.0")


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "companion", *args],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=120,
    )  # fmt: skip


def test_the_command_line_reports_the_newer_release_and_respects_the_lock(tmp_path, site):
    folder, secret = site
    feed = releases.publish(tmp_path / "share", "0.2.0", secret)
    (folder / "config.toml").write_text("")
    env = {"COMPANION_SITE_CONFIG": str(folder / "config.toml"), "COMPANION_DATA_DIR": str(tmp_path / "data")}
    shown = _cli("updates", "--feed", str(feed), env=env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Companion 0.2.0 is available")
    assert str(feed / "companion_0.2.0_amd64.deb") in shown.stdout
    (folder / "config.toml").write_text('[locked]\n"updates.check" = false\n')
    refused = _cli("updates", "--feed", str(feed), env=env)
    assert refused.returncode == 1
    assert "Update checks are turned off" in refused.stderr
