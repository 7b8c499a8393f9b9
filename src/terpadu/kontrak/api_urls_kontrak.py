from rest_framework.routers import SimpleRouter

from terpadu.kontrak import api

router = SimpleRouter()
router.register("kontrak/paket", api.PaketViewSet, basename="api-kontrak-paket")
router.register("kontrak/kontrak", api.KontrakViewSet, basename="api-kontrak-kontrak")
router.register("kontrak/termin", api.TerminViewSet, basename="api-kontrak-termin")
router.register("kontrak/jaminan", api.JaminanViewSet, basename="api-kontrak-jaminan")
router.register("kontrak/adendum", api.AdendumViewSet, basename="api-kontrak-adendum")
router.register("kontrak/penyedia", api.PenyediaViewSet, basename="api-kontrak-penyedia")
urlpatterns = router.urls
