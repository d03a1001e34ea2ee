"""Shared by every feature: the database thread, edits with undo, the theme, the generic record forms and dialogs."""
