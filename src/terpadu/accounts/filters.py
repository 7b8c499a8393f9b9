"""Filters of the access lists (the user list searches by username, name or NIP in the view)."""
