"""The open API of the transparency portal: /api/v1/publik/anggaran/… (no sign-in)."""

from django.urls import path

from terpadu.monev import api_publik as api

PREFIX = "publik/anggaran/"
LISTS = [
    ("opd", api.OpdList),
    ("program", api.ProgramList),
    ("kegiatan", api.KegiatanList),
    ("sub-kegiatan", api.SubKegiatanList),
    ("kontrak", api.KontrakList),
    ("pengecualian", api.PengecualianList),
]

urlpatterns = [
    path(f"{PREFIX}ringkasan/", api.RingkasanView.as_view(), name="api-publik-anggaran-ringkasan"),
]
for _name, _view in LISTS:
    urlpatterns += [
        path(f"{PREFIX}{_name}/", _view.as_view(), name=f"api-publik-anggaran-{_name}"),
        path(f"{PREFIX}{_name}.csv", _view.as_view(csv_route=True), name=f"api-publik-anggaran-{_name}-csv"),
    ]
