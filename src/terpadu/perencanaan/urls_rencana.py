"""Web routes of the planning documents (RPJMD, Renstra PD, Renja PD / RKPD, pohon kinerja)."""

from django.urls import path

from terpadu.perencanaan import views_rencana as views

urlpatterns = [
    path("rpjmd/", views.rpjmd_list, name="rpjmd_list"),
    path("rpjmd/baru/", views.rpjmd_create, name="rpjmd_create"),
    path("rpjmd/<int:pk>/", views.rpjmd_detail, name="rpjmd_detail"),
    path("rpjmd/<int:pk>/ubah/", views.rpjmd_edit, name="rpjmd_edit"),
    path("rpjmd/<int:pk>/tetapkan/", views.rpjmd_adopt, name="rpjmd_adopt"),
    path("rpjmd/sasaran/<int:pk>/", views.sasaran_detail, name="sasaran_detail"),
    path("rpjmd/sasaran/<int:pk>/program/baru/", views.program_prioritas_create, name="program_prioritas_create"),
    path("dokumen/<str:kind>/<int:pk>/buka/", views.dokumen_reopen, name="dokumen_reopen"),
    path("elemen/<str:kind>/baru/<int:parent>/", views.element_create, name="element_create"),
    path("elemen/<str:kind>/<int:pk>/ubah/", views.element_edit, name="element_edit"),
    path("elemen/<str:kind>/<int:pk>/hapus/", views.element_delete, name="element_delete"),
    path("indikator/<str:kind>/<int:pk>/baru/", views.indikator_create, name="indikator_create"),
    path("indikator/<int:pk>/ubah/", views.indikator_edit, name="indikator_edit"),
    path("renstra/", views.renstra_list, name="renstra_list"),
    path("renstra/baru/", views.renstra_create, name="renstra_create"),
    path("renstra/<int:pk>/", views.renstra_detail, name="renstra_detail"),
    path("renstra/<int:pk>/tetapkan/", views.renstra_adopt, name="renstra_adopt"),
    path("renstra/<int:pk>/item/baru/", views.item_create, name="item_create"),
    path("renstra/item/<int:pk>/pagu/", views.item_pagu, name="item_pagu"),
    path("renja/", views.renja_list, name="renja_list"),
    path("renja/tarik/", views.renja_draw, name="renja_draw"),
    path("renja/<int:pk>/", views.renja_detail, name="renja_detail"),
    path("renja/<int:pk>/tetapkan/", views.renja_adopt, name="renja_adopt"),
    path("renja/<int:pk>/sub-kegiatan/baru/", views.sub_kegiatan_add, name="sub_kegiatan_add"),
    path("sub-kegiatan/<int:pk>/", views.sub_kegiatan_detail, name="sub_kegiatan_detail"),
    path("sub-kegiatan/<int:pk>/ubah/", views.sub_kegiatan_edit, name="sub_kegiatan_edit"),
    path("sub-kegiatan/<int:pk>/hapus/", views.sub_kegiatan_remove, name="sub_kegiatan_remove"),
    path("rkpd/", views.rkpd, name="rkpd"),
    path("rkpd/ekspor/", views.rkpd_export, name="rkpd_export"),
    path("pohon-kinerja/", views.pohon, name="pohon"),
]
