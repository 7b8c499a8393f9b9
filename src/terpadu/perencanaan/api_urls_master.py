from rest_framework.routers import SimpleRouter

from terpadu.perencanaan import api_master

router = SimpleRouter()
router.register("perencanaan/nomenklatur", api_master.NomenklaturViewSet, basename="api-perencanaan-nomenklatur")
urlpatterns = router.urls
