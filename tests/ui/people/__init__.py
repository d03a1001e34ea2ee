"""Tests of the window's people feature."""
