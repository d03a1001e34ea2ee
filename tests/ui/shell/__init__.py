"""Tests of the window's shell feature."""
