"""Sync: the wire protocol shared with the server, merge rules, and the laptop's side of a sync."""
