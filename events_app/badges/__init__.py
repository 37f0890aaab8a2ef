"""Name badges: which registrations get one, the PDF, and the record of each badge printed."""
