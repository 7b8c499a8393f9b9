from rest_framework.routers import SimpleRouter

from terpadu.spbe import api_katalog

router = SimpleRouter()
router.register("spbe/aplikasi", api_katalog.AplikasiViewSet, basename="api-spbe-aplikasi")
router.register("spbe/aplikasi-nasional", api_katalog.AplikasiNasionalViewSet, basename="api-spbe-aplikasi-nasional")
urlpatterns = router.urls
