from django.urls import path

from terpadu.realisasi import views

urlpatterns = [
    path("sp2d/", views.sp2d_list, name="sp2d_list"),
    path("sp2d/baru/", views.sp2d_create, name="sp2d_create"),
    path("sp2d/baris-dpa/", views.dpa_options, name="dpa_options"),
    path("sp2d/impor/", views.sp2d_import, name="sp2d_import"),
    path("sp2d/ekspor/", views.sp2d_export, name="sp2d_export"),
    path("sp2d/<int:pk>/", views.sp2d_detail, name="sp2d_detail"),
    path("sp2d/<int:pk>/batal/", views.sp2d_cancel, name="sp2d_cancel"),
    path("per-baris/", views.lra, name="lra"),
    path("per-baris/ekspor/", views.lra_export, name="lra_export"),
    path("progres/", views.progres_saya, name="progres_saya"),
    path("progres/<int:pk>/", views.progres_entry, name="progres_entry"),
    path("progres/<int:pk>/panel/", views.panel, name="panel"),
    path("foto/<int:pk>/", views.foto_file, name="foto_file"),
    path("foto/<int:pk>/hapus/", views.foto_delete, name="foto_delete"),
]
