from rest_framework.routers import SimpleRouter

from terpadu.spbe import api_belanja as api

router = SimpleRouter()
router.register("spbe/belanja", api.BelanjaViewSet, basename="api-spbe-belanja")
urlpatterns = router.urls
