"""Search everything (Ctrl+K)."""
