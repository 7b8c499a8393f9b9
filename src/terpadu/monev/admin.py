"""Read-only admin of the monev app: each part keeps its own admin_<part>.py."""

from terpadu.monev import admin_evaluasi  # noqa: F401
