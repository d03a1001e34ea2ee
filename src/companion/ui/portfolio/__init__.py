"""The Portfolio page: clients ranked by each perspective of their scorecards, and the surveys."""
