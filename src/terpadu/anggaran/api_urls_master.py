from rest_framework.routers import SimpleRouter

from terpadu.anggaran import api_master

router = SimpleRouter()
router.register("anggaran/kode-rekening", api_master.KodeRekeningViewSet, basename="api-anggaran-kode-rekening")
router.register("anggaran/standar-harga", api_master.StandarHargaViewSet, basename="api-anggaran-standar-harga")
urlpatterns = router.urls
