from rest_framework.routers import SimpleRouter

from terpadu.realisasi import api

router = SimpleRouter()
router.register("realisasi/sp2d", api.Sp2dViewSet, basename="api-realisasi-sp2d")
router.register("realisasi/per-baris", api.RealisasiBarisViewSet, basename="api-realisasi-per-baris")
router.register("realisasi/progres", api.ProgresViewSet, basename="api-realisasi-progres")
urlpatterns = router.urls
