"""Crash safety: processes killed with SIGKILL while they write leave a workspace that is whole and syncs."""
