from django.urls import path

from terpadu.core import views

app_name = "core"
urlpatterns = [
    path("beranda/", views.home, name="home"),
    path("cari/", views.search_view, name="search"),
    path("pilih/<slug:key>/", views.pick, name="pick"),
    path("notifikasi/", views.notifications_view, name="notifications"),
    path("notifikasi/dibaca/", views.notifications_read, name="notifications_read"),
    path("notifikasi/jumlah/", views.unread_count, name="unread_count"),
    path("platform/tugas/", views.job_list, name="job_list"),
    path("platform/tugas/<int:pk>/", views.job_detail, name="job_detail"),
    path("platform/audit/", views.audit_status, name="audit_status"),
]
