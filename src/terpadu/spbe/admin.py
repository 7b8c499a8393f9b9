"""Read-only admin of the spbe app: each part keeps its own admin_<part>.py."""

from terpadu.spbe import admin_arsitektur, admin_katalog  # noqa: F401
