"""No admin: the portal has no tables."""
