from rest_framework.routers import SimpleRouter

from terpadu.perencanaan import api_rencana as api

router = SimpleRouter()
router.register("perencanaan/rpjmd", api.RpjmdViewSet, basename="api-perencanaan-rpjmd")
router.register("perencanaan/sasaran", api.SasaranViewSet, basename="api-perencanaan-sasaran")
router.register("perencanaan/renstra", api.RenstraViewSet, basename="api-perencanaan-renstra")
router.register("perencanaan/renja", api.RenjaViewSet, basename="api-perencanaan-renja")
router.register("perencanaan/sub-kegiatan", api.RenjaSubKegiatanViewSet, basename="api-perencanaan-sub-kegiatan")
router.register("perencanaan/indikator", api.IndikatorViewSet, basename="api-perencanaan-indikator")
urlpatterns = router.urls
