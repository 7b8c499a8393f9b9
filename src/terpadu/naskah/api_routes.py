"""Which viewsets the naskah API router registers: (prefix, viewset, basename) per part."""

ROUTES: list = []  # e.g. ("naskah/naskah", api.NaskahViewSet, "api-naskah")
EXTRA_PATHS: list = []  # plain django paths, e.g. path("naskah/verifikasi/<code>/", …)

# -- cari: search, numbering, number formats --
from terpadu.naskah import api_cari  # noqa: E402

ROUTES += [
    ("naskah/cari", api_cari.NaskahSearchViewSet, "api-naskah-cari"),
    ("naskah/nomor-cadangan", api_cari.NomorCadanganViewSet, "api-naskah-nomor"),
    ("naskah/format-nomor", api_cari.FormatNomorViewSet, "api-naskah-format"),
]

from terpadu.naskah import api_masuk  # noqa: E402  (incoming part: registration, inbox, dispositions)

ROUTES += api_masuk.ROUTES

# -- keluar: outgoing naskah and the public verification JSON --
from django.urls import path  # noqa: E402

from terpadu.naskah import api as api_keluar  # noqa: E402

ROUTES += [("naskah/keluar", api_keluar.NaskahKeluarViewSet, "api-naskah-keluar")]
EXTRA_PATHS += [
    path("naskah/verifikasi/<str:code>/", api_keluar.PublicVerification.as_view(), name="api-naskah-verifikasi")
]

# -- tata: kinds, templates, disposition instructions --
from terpadu.naskah import api_tata  # noqa: E402

ROUTES += [
    ("naskah/jenis", api_tata.JenisViewSet, "api-naskah-jenis"),
    ("naskah/template", api_tata.TemplateViewSet, "api-naskah-template"),
    ("naskah/instruksi", api_tata.InstruksiViewSet, "api-naskah-instruksi"),
]
