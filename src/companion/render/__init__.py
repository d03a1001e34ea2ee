"""Documents made from the knowledge: the meeting brief (and later induction packs), as Markdown and PDF."""
