from rest_framework.routers import SimpleRouter

from terpadu.organisasi import api

router = SimpleRouter()
router.register("organisasi/pemda", api.PemdaViewSet, basename="api-pemda")
router.register("organisasi/unit", api.UnitViewSet, basename="api-unit")
router.register("organisasi/jabatan", api.JabatanViewSet, basename="api-jabatan")
router.register("organisasi/pegawai", api.PegawaiViewSet, basename="api-pegawai")
urlpatterns = router.urls
