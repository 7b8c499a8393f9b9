"""Platform lists (jobs, notifications) are per-user and need no filter set yet."""
