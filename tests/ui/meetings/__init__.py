"""Tests of the window's meetings feature."""
