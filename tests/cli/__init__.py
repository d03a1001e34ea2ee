"""Tests of the command line, run as real processes."""
