"""The module's web routes: each part keeps its own urls_<part>.py (one helper per part)."""

from terpadu.perencanaan import urls_master, urls_rencana

app_name = "perencanaan"
urlpatterns = [
    *urls_master.urlpatterns,
    *urls_rencana.urlpatterns,
]
