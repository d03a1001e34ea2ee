"""Companion: what a field account manager needs to know before walking into a client."""

__version__ = "0.1.0"
