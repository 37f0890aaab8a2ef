"""Registration: places at events and in sessions, waiting lists, approval, and the delegate's own changes."""
