"""The module's web routes: each part keeps its own urls_<part>.py (one helper per part)."""

from terpadu.spbe import urls_arsitektur, urls_belanja, urls_evaluasi, urls_katalog, urls_opd, urls_usulan

app_name = "spbe"
urlpatterns = [
    *urls_arsitektur.urlpatterns,
    *urls_katalog.urlpatterns,
    *urls_belanja.urlpatterns,
    *urls_usulan.urlpatterns,
    *urls_evaluasi.urlpatterns,
    *urls_opd.urlpatterns,
]
