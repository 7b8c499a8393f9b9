"""The module's web routes: each part keeps its own urls_<part>.py (one helper per part)."""

from terpadu.anggaran import urls_master, urls_rka

app_name = "anggaran"
urlpatterns = [
    *urls_master.urlpatterns,
    *urls_rka.urlpatterns,
]
