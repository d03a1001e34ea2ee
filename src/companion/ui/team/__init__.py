"""The team: the colleagues who own clients, people and follow-ups, kept in Edit → Team…"""
