"""Induction packs: reader mode, sign-off and exports."""
