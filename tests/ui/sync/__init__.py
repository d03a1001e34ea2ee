"""Tests of the window's sync feature."""
