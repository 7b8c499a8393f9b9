"""The naskah module's routes, one list per part: tata naskah (kinds, templates), outgoing, incoming and
dispositions, search. Each part keeps its own urls_<part>.py."""

from terpadu.naskah import urls_cari, urls_keluar, urls_masuk, urls_tata

app_name = "naskah"
urlpatterns = [*urls_tata.urlpatterns, *urls_keluar.urlpatterns, *urls_masuk.urlpatterns, *urls_cari.urlpatterns]
