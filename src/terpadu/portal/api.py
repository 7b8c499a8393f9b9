"""The portal's public JSON is served by its views (checkpoints.json) and by /api/v1/audit/checkpoints/."""
