"""Tests of the window's common feature."""
