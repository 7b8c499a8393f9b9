from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from terpadu.accounts.views import set_language as set_language_user
from terpadu.core import errors
from terpadu.core.views import health

api_v1 = [
    path("", include("terpadu.organisasi.api_urls")),
    path("", include("terpadu.accounts.api_urls")),
    path("", include("terpadu.core.api_urls")),
    path("", include("terpadu.naskah.api_urls")),
    path("", include("terpadu.arsip.api_urls")),
    path("", include("terpadu.tte.api_urls")),
    path("", include("terpadu.perencanaan.api_urls")),
    path("", include("terpadu.anggaran.api_urls")),
    path("", include("terpadu.kontrak.api_urls")),
    path("", include("terpadu.realisasi.api_urls")),
    path("", include("terpadu.monev.api_urls")),
    path("", include("terpadu.spbe.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", include("terpadu.portal.urls")),
    path("", include("terpadu.core.urls")),
    path("akun/", include("terpadu.accounts.urls")),
    path("bahasa/", set_language_user, name="set_language_user"),
    path("organisasi/", include("terpadu.organisasi.urls")),
    path("naskah/", include("terpadu.naskah.urls")),
    path("v/", include("terpadu.naskah.public_urls")),
    path("arsip/", include("terpadu.arsip.urls")),
    path("tte/", include("terpadu.tte.urls")),
    path("perencanaan/", include("terpadu.perencanaan.urls")),
    path("anggaran/", include("terpadu.anggaran.urls")),
    path("kontrak/", include("terpadu.kontrak.urls")),
    path("realisasi/", include("terpadu.realisasi.urls")),
    path("monev/", include("terpadu.monev.urls")),
    path("transparansi/anggaran/", include("terpadu.monev.public_urls")),
    path("spbe/", include("terpadu.spbe.urls")),
    path("transparansi/spbe/", include("terpadu.spbe.public_urls")),
    path("api/v1/", include(api_v1)),
    path("health", health, name="health"),
    # One sign-in for everything: the admin's own login form (no throttling, no 2FA step) is not used.
    path(
        "django-admin/login/",
        RedirectView.as_view(url="/akun/masuk/?next=/django-admin/", query_string=False),
        name="admin_login_redirect",
    ),
    path("django-admin/", admin.site.urls),
]

if settings.BENCH:  # bench-only floors (loopback clients only), see bench/README.md
    urlpatterns.append(path("_bench/", include("bench.floor_views")))

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
