"""A season of events: an event copied to a new date, and runs of copies (weekly, monthly, listed dates, or one
per region for a community-of-practice round). Across events: it reads and writes the programme, the
registration questions and the feedback form, never registrations, check-ins or answers."""
