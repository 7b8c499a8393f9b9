"""No forms yet: the portal is read-only."""
