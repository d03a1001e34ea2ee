"""The domain: record kinds, rules and the services that are the one write path. No Qt, no HTTP."""
