"""Clients: the list, a client's page and its sections, new clients, logging interactions."""
