"""Which viewsets the naskah API router registers: (prefix, viewset, basename) per part."""

ROUTES: list = []  # e.g. ("naskah/naskah", api.NaskahViewSet, "api-naskah")
EXTRA_PATHS: list = []  # plain django paths, e.g. path("naskah/verifikasi/<code>/", …)
