"""The module's web routes: each part keeps its own urls_<part>.py (one helper per part)."""

from terpadu.monev import urls_evaluasi

app_name = "monev"
urlpatterns = [
    *urls_evaluasi.urlpatterns,
]
