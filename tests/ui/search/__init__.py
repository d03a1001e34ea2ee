"""Tests of the search palette."""
