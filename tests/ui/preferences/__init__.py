"""Tests of the window's preferences feature."""
