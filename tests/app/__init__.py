"""Tests of the composition root: settings, keys and encryption, workspace files, update notices."""
