"""Tests of the window's induction feature."""
