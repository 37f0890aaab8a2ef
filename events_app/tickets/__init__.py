"""Tickets: signed codes and their QR images (pure builders; they know no registration tables)."""
