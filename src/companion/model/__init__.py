"""The ground floor: the kinds table and its rules, errors, ids, labels. Imports nothing of the project."""
