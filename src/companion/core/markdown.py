"""Writing Markdown from records: plain text kept plain, long texts (Markdown already) kept on one line."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def escape(text: str) -> str:
    """Plain text (a name, a title) that must not turn into Markdown."""
    return _SPECIAL.sub(r"\\\1", text)


def flat(markdown: str) -> str:
    """A Markdown field (long texts are Markdown) on one line, to sit inside a list item or paragraph."""
    lines = [
        line.strip().removeprefix("- ").removeprefix("* ") for line in markdown.splitlines() if line.strip()
    ]
    joined = ""
    for line in lines:
        if joined:
            # Sentences already end themselves; list fragments are joined with a semicolon.
            joined += " " if joined.endswith((".", "!", "?", ":", ";")) else "; "
        joined += line
    return joined
