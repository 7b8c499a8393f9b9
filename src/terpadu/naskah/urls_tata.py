"""Routes of the naskah module's 'tata' part (merged by naskah/urls.py): kinds, templates, instructions."""

from django.urls import path

from terpadu.naskah import views_tata as views

urlpatterns: list = [
    path("tata/", views.jenis_list, name="tata_jenis_list"),
    path("tata/jenis/<int:pk>/aktif/", views.jenis_toggle, name="tata_jenis_toggle"),
    path("tata/template/", views.template_list, name="tata_template_list"),
    path("tata/template/baru/", views.template_edit, name="tata_template_create"),
    path("tata/template/pratinjau/", views.template_preview, name="tata_template_preview"),
    path("tata/template/<int:pk>/", views.template_edit, name="tata_template_edit"),
    path("tata/template/<int:pk>/pdf/", views.template_pdf, name="tata_template_pdf"),
    path("tata/instruksi/", views.instruksi_list, name="tata_instruksi_list"),
    path("tata/instruksi/<int:pk>/", views.instruksi_edit, name="tata_instruksi_edit"),
    path("tata/instruksi/<int:pk>/geser/", views.instruksi_move, name="tata_instruksi_move"),
    path("tata/instruksi/<int:pk>/aktif/", views.instruksi_toggle, name="tata_instruksi_toggle"),
]
