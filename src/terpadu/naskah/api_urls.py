"""The naskah module's API under /api/v1/naskah/…: one router; each part registers its viewsets."""

from rest_framework.routers import SimpleRouter

from terpadu.naskah import api_routes

router = SimpleRouter()
for prefix, viewset, basename in api_routes.ROUTES:
    router.register(prefix, viewset, basename=basename)
urlpatterns = [*router.urls, *api_routes.EXTRA_PATHS]
