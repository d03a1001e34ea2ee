"""The OS keyring (the `keyring` library), found without loading every backend it knows: on Linux the
Secret Service is tried first, which saves ~45 ms of a start-up that needs the workspace key."""

from __future__ import annotations

import os
import sys

_chosen = False


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
