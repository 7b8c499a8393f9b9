"""The module's API routes (/api/v1/): each part keeps its own api_urls_<part>.py."""

from terpadu.kontrak import api_urls_kontrak

urlpatterns = [
    *api_urls_kontrak.urlpatterns,
]
