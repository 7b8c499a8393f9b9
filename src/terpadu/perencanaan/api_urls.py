"""The module's API routes (/api/v1/): each part keeps its own api_urls_<part>.py."""

from terpadu.perencanaan import api_urls_master, api_urls_rencana

urlpatterns = [
    *api_urls_master.urlpatterns,
    *api_urls_rencana.urlpatterns,
]
