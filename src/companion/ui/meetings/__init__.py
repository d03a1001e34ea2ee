"""Meetings: planning, the meeting page with its checklist and brief, templates, calendar files."""
