from django.urls import path

from terpadu.core import api_views

urlpatterns = [
    path("audit/checkpoints/", api_views.CheckpointList.as_view(), name="api-audit-checkpoints"),
    path("audit/events/", api_views.AuditEventList.as_view(), name="api-audit-events"),
    path("notifications/", api_views.NotificationList.as_view(), name="api-notifications"),
    path("search/", api_views.SearchView.as_view(), name="api-search"),
]
