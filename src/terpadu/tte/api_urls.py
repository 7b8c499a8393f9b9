from django.urls import path
from rest_framework.routers import SimpleRouter

from terpadu.tte import api

router = SimpleRouter()
router.register("tte/sertifikat", api.MySertifikatViewSet, basename="api-tte-sertifikat")
urlpatterns = [
    path("tte/ca/", api.CaView.as_view(), name="api-tte-ca"),
    path("tte/validate/", api.ValidateView.as_view(), name="api-tte-validate"),
    *router.urls,
]
