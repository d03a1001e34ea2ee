"""The composition root: configuration and resources, managed settings, the OS keyring and workspace keys,
workspace files, update notices, the sync account, and the one opener of workspaces."""
