from django.urls import path

from terpadu.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("transparansi/audit/", views.audit_checkpoints, name="audit_checkpoints"),
    path("transparansi/audit/checkpoints.json", views.audit_checkpoints_json, name="audit_checkpoints_json"),
]
