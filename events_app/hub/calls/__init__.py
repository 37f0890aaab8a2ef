"""Calls (/calls/{slug}): for session proposals for an event, or good-practice examples for the hub."""
