"""The module's API routes (/api/v1/): each part keeps its own api_urls_<part>.py."""

from terpadu.spbe import (
    api_urls_arsitektur,
    api_urls_belanja,
    api_urls_evaluasi,
    api_urls_katalog,
    api_urls_publik,
    api_urls_usulan,
)

urlpatterns = [
    *api_urls_arsitektur.urlpatterns,
    *api_urls_katalog.urlpatterns,
    *api_urls_belanja.urlpatterns,
    *api_urls_usulan.urlpatterns,
    *api_urls_evaluasi.urlpatterns,
    *api_urls_publik.urlpatterns,
]
