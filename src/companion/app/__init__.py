"""The composition root: what wires a laptop's program together, and the one opener of workspaces."""
