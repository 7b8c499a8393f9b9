"""The module's API routes (/api/v1/): each part keeps its own api_urls_<part>.py."""

from terpadu.monev import api_urls_evaluasi, api_urls_publik

urlpatterns = [
    *api_urls_evaluasi.urlpatterns,
    *api_urls_publik.urlpatterns,
]
