"""Preferences: managed settings and update notices."""
