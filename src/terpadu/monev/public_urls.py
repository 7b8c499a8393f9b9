"""The public transparency pages of the planning → budget → contract → realisation chain (no login),
and the internal pages where monev.manage keeps items off them (kelola/)."""

from django.urls import path

from terpadu.monev import views_publik as views

app_name = "transparansi"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:tahun>/", views.overview, name="overview"),
    path("<int:tahun>/opd/<int:unit>/", views.opd, name="opd"),
    path("<int:tahun>/sub-kegiatan/", views.sub_kegiatan_list, name="sub_kegiatan_list"),
    path("<int:tahun>/kontrak/", views.kontrak_list, name="kontrak_list"),
    path("<int:tahun>/pengecualian/", views.pengecualian_publik, name="pengecualian"),
    path("sub-kegiatan/<int:pk>/", views.sub_kegiatan, name="sub_kegiatan"),
    path("kontrak/<int:pk>/", views.kontrak, name="kontrak"),
    path("foto/<int:pk>/", views.foto, name="foto"),
    path("kelola/pengecualian/", views.kelola_list, name="kelola_list"),
    path("kelola/pengecualian/baru/", views.kelola_create, name="kelola_create"),
    path("kelola/pengecualian/<int:pk>/hapus/", views.kelola_delete, name="kelola_delete"),
]
