"""Read-only admin of the perencanaan app: each part keeps its own admin_<part>.py."""

from terpadu.perencanaan import admin_master, admin_rencana  # noqa: F401
