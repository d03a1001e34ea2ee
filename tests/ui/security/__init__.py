"""Tests of the window's security feature."""
