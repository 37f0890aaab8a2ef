"""Feedback after events, tied to stakeholder groups, and the reports read by group."""
