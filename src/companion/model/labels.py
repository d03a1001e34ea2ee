"""How stored values read to a person (no imports: the window's first paint uses it)."""

from __future__ import annotations


def choice_label(value: str) -> str:
    """An enum value as a person reads it: decision_maker → Decision maker."""
    text = value.replace("_", " ")
    return {"dont": "Don't", "sub_group": "Sub-group", "induction_safe": "Induction-safe"}.get(
        value, text[:1].upper() + text[1:]
    )
