from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from terpadu.core import errors
from terpadu.accounts.views import set_language as set_language_user
from terpadu.core.views import health

api_v1 = [
    path("", include("terpadu.organisasi.api_urls")),
    path("", include("terpadu.accounts.api_urls")),
    path("", include("terpadu.core.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", include("terpadu.portal.urls")),
    path("", include("terpadu.core.urls")),
    path("akun/", include("terpadu.accounts.urls")),
    path("bahasa/", set_language_user, name="set_language_user"),
    path("organisasi/", include("terpadu.organisasi.urls")),
    path("api/v1/", include(api_v1)),
    path("health", health, name="health"),
    path("django-admin/", admin.site.urls),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
