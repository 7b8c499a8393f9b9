"""Read-only admin of the anggaran app: each part keeps its own admin_<part>.py."""

from terpadu.anggaran import admin_master, admin_rka  # noqa: F401
