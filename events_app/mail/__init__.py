"""Mail: the outbox, its sender, and the message templates. It knows events, never registrations."""
