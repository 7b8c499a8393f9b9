from django.urls import path

from terpadu.spbe import views_belanja as v

urlpatterns = [
    path("belanja/", v.belanja_list, name="belanja_list"),
    path("belanja/tidak-teridentifikasi/", v.belanja_unlinked, name="belanja_unlinked"),
    path("belanja/rekap/", v.belanja_rekap, name="belanja_rekap"),
    path("belanja/baru/", v.belanja_create, name="belanja_create"),
    path("belanja/dpa/", v.belanja_dpa, name="belanja_dpa"),
    path("belanja/impor/", v.belanja_import, name="belanja_import"),
    path("belanja/<int:pk>/", v.belanja_detail, name="belanja_detail"),
    path("belanja/<int:pk>/ubah/", v.belanja_edit, name="belanja_edit"),
    path("belanja/<int:pk>/hapus/", v.belanja_delete, name="belanja_delete"),
]
