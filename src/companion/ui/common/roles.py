"""The roles a person picks (they choose the start page), as the welcome and the settings show them."""

from __future__ import annotations

ROLES = (
    ("account_manager", "Account manager — I prepare for and run client meetings"),
    ("new_staff", "New staff — I am learning about our clients"),
    ("admin", "Admin — I set up laptops and the team's workspace"),
)
