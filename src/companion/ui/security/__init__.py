"""Security: unlocking the workspace before the window opens, locking the window, backups."""
