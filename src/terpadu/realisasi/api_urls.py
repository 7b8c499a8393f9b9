"""The module's API routes (/api/v1/): each part keeps its own api_urls_<part>.py."""

from terpadu.realisasi import api_urls_realisasi

urlpatterns = [
    *api_urls_realisasi.urlpatterns,
]
