"""The module's web routes: each part keeps its own urls_<part>.py (one helper per part)."""

from terpadu.kontrak import urls_kontrak

app_name = "kontrak"
urlpatterns = [
    *urls_kontrak.urlpatterns,
]
