"""Import and export: the JSON bundle."""
