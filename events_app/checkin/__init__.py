"""Check-in at the door of an event or a workshop: scans of signed tickets, by staff."""
