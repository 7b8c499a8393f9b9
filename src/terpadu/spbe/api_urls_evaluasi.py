from rest_framework.routers import SimpleRouter

from terpadu.spbe import api_evaluasi as api

router = SimpleRouter()
router.register("spbe/kerangka", api.KerangkaViewSet, basename="api-spbe-kerangka")
router.register("spbe/penilaian", api.PenilaianViewSet, basename="api-spbe-penilaian")
router.register("spbe/nilai", api.NilaiViewSet, basename="api-spbe-nilai")
urlpatterns = router.urls
