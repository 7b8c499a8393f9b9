from rest_framework.routers import SimpleRouter

from terpadu.spbe import api_arsitektur as api

router = SimpleRouter()
router.register("spbe/referensi", api.ReferensiViewSet, basename="api-spbe-referensi")
router.register("spbe/elemen", api.ElemenViewSet, basename="api-spbe-elemen")
router.register("spbe/relasi", api.RelasiViewSet, basename="api-spbe-relasi")
router.register("spbe/kesenjangan", api.KesenjanganViewSet, basename="api-spbe-kesenjangan")
router.register("spbe/kebutuhan", api.KebutuhanViewSet, basename="api-spbe-kebutuhan")
router.register("spbe/peta-rencana", api.RencanaViewSet, basename="api-spbe-rencana")
urlpatterns = router.urls
