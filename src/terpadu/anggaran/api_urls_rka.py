from django.urls import path
from rest_framework.routers import SimpleRouter

from terpadu.anggaran import api_rka as api

router = SimpleRouter()
router.register("anggaran/tahap", api.TahapViewSet, basename="api-anggaran-tahap")
router.register("anggaran/pagu", api.PaguViewSet, basename="api-anggaran-pagu")
router.register("anggaran/rka", api.RkaViewSet, basename="api-anggaran-rka")
router.register("anggaran/rincian", api.RincianViewSet, basename="api-anggaran-rincian")
router.register("anggaran/dpa", api.DpaViewSet, basename="api-anggaran-dpa")
urlpatterns = [
    *router.urls,
    path("anggaran/perbandingan/", api.PerbandinganView.as_view(), name="api-anggaran-perbandingan"),
]
