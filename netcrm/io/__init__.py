"""Formats at the edge: CSV, LinkedIn, Google, vCard, iCalendar, JSON, HTML."""
