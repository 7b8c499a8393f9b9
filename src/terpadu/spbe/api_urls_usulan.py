from django.urls import path
from rest_framework.routers import SimpleRouter

from terpadu.spbe import api_usulan as api

router = SimpleRouter()
router.register("spbe/usulan", api.UsulanViewSet, basename="api-spbe-usulan")
urlpatterns = [
    *router.urls,
    path("spbe/cek-anggaran/<int:pk>/", api.CekAnggaranView.as_view(), name="api-spbe-cek-anggaran"),
]
