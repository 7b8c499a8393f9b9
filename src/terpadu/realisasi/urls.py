"""The module's web routes: each part keeps its own urls_<part>.py (one helper per part)."""

from terpadu.realisasi import urls_realisasi

app_name = "realisasi"
urlpatterns = [
    *urls_realisasi.urlpatterns,
]
