"""Tests of the window's clients feature."""
