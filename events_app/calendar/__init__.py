"""Calendars: iCalendar documents (ics.py, pure builders) and the feeds people subscribe to (feeds.py)."""
