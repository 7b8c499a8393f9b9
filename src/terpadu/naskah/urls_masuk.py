"""Routes of the naskah module's 'masuk' part (merged by naskah/urls.py)."""

from django.urls import path

from terpadu.naskah import views_masuk as views

urlpatterns: list = [
    path("masuk/", views.inbox, name="inbox"),
    path("masuk/registrasi/", views.register, name="register"),
    path("masuk/agenda/", views.agenda, name="agenda"),
    path("disposisi/", views.disposisi_list, name="disposisi_list"),
    path("disposisi/keluar/", views.disposisi_keluar, name="disposisi_keluar"),
    path("disposisi/<int:pk>/batal/", views.disposisi_cancel, name="disposisi_cancel"),
    path("disposisi/<int:pk>/selesai/", views.disposisi_complete, name="disposisi_complete"),
    path("<int:pk>/disposisi/", views.disposisi_tree, name="disposisi_tree"),
    path("<int:pk>/disposisi/panel/", views.disposisi_panel, name="disposisi_panel"),
    path("<int:pk>/disposisi/baru/", views.disposisi_create, name="disposisi_create"),
    path("<int:pk>/disposisi/lembar/", views.lembar_disposisi, name="lembar_disposisi"),
]
