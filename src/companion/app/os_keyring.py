"""The OS keyring (the `keyring` library), found without loading every backend it knows: on Linux the
Secret Service is tried first, which saves ~45 ms of a start-up that needs the workspace key."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from pathlib import Path

_chosen = False
# What reading a key from the Secret Service loads: keyring, its backend, secretstorage, jeepney (60-odd
# modules).
_SECRET_SERVICE_MODULES = (
    "keyring",
    "keyring.errors",
    "keyring.util.platform_",
    "keyring.backends.SecretService",
)


def load_ahead(workspace_file: Path) -> None:
    """Imports, on Linux, the modules reading an encrypted workspace's key will need: the window's start-up
    calls it before PySide6, whose import hook reads the source of every module imported after it (~14 ms)."""
    from companion.store.cipher import is_encrypted

    if sys.platform.startswith("linux") and is_encrypted(workspace_file):
        for name in _SECRET_SERVICE_MODULES:
            with contextlib.suppress(
                ImportError
            ):  # no Secret Service library: found, or not, later as before
                importlib.import_module(name)


def keyring():
    """The `keyring` module, its backend chosen: the Secret Service on Linux when it answers and nothing
    (PYTHON_KEYRING_BACKEND, a keyringrc.cfg) says otherwise; keyring's own discovery everywhere else."""
    import keyring as library

    global _chosen
    if not _chosen:
        _chosen = True
        if (
            sys.platform.startswith("linux")
            and not os.environ.get("PYTHON_KEYRING_BACKEND")
            and not _configured()
        ):
            try:
                from keyring.backends import SecretService

                candidate = SecretService.Keyring()
                candidate.priority  # noqa: B018 (raises when no Secret Service answers)
                library.set_keyring(candidate)
            except Exception:  # no D-Bus, no service: keyring's discovery decides (KWallet, libsecret, none)
                pass
    return library


def _configured() -> bool:
    from keyring.util.platform_ import config_root

    return (config_root() / "keyringrc.cfg").exists()
