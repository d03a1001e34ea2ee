"""People: the People section, contact cards, the directory, moves, the org chart and the relationship map."""
