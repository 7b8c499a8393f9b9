from rest_framework.routers import SimpleRouter

from terpadu.monev import api_evaluasi as api

router = SimpleRouter()
router.register("monev/periode", api.PeriodeViewSet, basename="api-monev-periode")
router.register("monev/skala", api.SkalaViewSet, basename="api-monev-skala")
router.register("monev/evaluasi", api.EvaluasiViewSet, basename="api-monev-evaluasi")
router.register("monev/capaian", api.CapaianViewSet, basename="api-monev-capaian")
router.register("monev/peringatan", api.PeringatanViewSet, basename="api-monev-peringatan")
router.register("monev/dashboard", api.DashboardViewSet, basename="api-monev-dashboard")
urlpatterns = router.urls
