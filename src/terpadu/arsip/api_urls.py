from rest_framework.routers import SimpleRouter

from terpadu.arsip import api

router = SimpleRouter()
router.register("arsip/klasifikasi", api.KlasifikasiViewSet, basename="api-arsip-klasifikasi")
router.register("arsip/berkas", api.BerkasViewSet, basename="api-arsip-berkas")
router.register("arsip/retensi", api.RetensiViewSet, basename="api-arsip-retensi")
router.register("arsip/berita-acara", api.BeritaAcaraViewSet, basename="api-arsip-berita-acara")
urlpatterns = router.urls
