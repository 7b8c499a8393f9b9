"""Web routes of the master part (nomenklatur editions, codes, mapping, import/export)."""

from terpadu.perencanaan.views_master import NOMENKLATUR_PAGES, url_patterns

urlpatterns: list = url_patterns(NOMENKLATUR_PAGES, "nomenklatur/")
