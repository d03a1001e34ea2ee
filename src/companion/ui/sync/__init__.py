"""Sync in the window: status, sync now, connecting to a server, conflicts."""
