from rest_framework.routers import SimpleRouter

from terpadu.accounts import api

router = SimpleRouter()
router.register("akses/pengguna", api.UserViewSet, basename="api-user")
router.register("akses/peran", api.RoleViewSet, basename="api-role")
urlpatterns = router.urls
