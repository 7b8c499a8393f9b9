"""The per-OPD page (/spbe/opd/) and the home card: each OPD sees its own applications, spending, proposals and
the indicators of the open assessment it is responsible for — never another OPD's.

The page's route lives in spbe/urls_opd.py; until spbe/urls.py includes it, these tests mount it themselves
(the urlpatterns below put the spbe namespace with the OPD route in front of the project's routes)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import include, path
from django.utils import timezone

from terpadu import urls as project_urls
from terpadu.spbe import urls as spbe_urls
from terpadu.spbe import urls_opd
from terpadu.spbe.models import (
    Aplikasi,
    AspekEvaluasi,
    BelanjaTik,
    Domain,
    ElemenArsitektur,
    IndikatorEvaluasi,
    Kerangka,
    Muatan,
    NilaiIndikator,
    Penilaian,
    PetaRencanaItem,
    UsulanAplikasi,
)
from terpadu.spbe.views_publik import card_context, link_status

_mounted = any(getattr(p, "name", None) == "opd" for p in spbe_urls.urlpatterns)
urlpatterns = (
    project_urls.urlpatterns
    if _mounted
    else [
        path("spbe/", include(([*spbe_urls.urlpatterns, *urls_opd.urlpatterns], "spbe"))),
        *project_urls.urlpatterns,
    ]
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/spbe/opd/"


def _app(unit, nama, **extra):
    extra.setdefault("status", Aplikasi.Status.OPERASI)
    return Aplikasi.objects.create(nama=nama, jenis=Aplikasi.Jenis.KHUSUS, unit=unit, fungsi_bisnis="Uji", **extra)


@pytest.fixture
def opd_data(city):
    tahun = timezone.localdate().year
    elemen = ElemenArsitektur.objects.create(domain=Domain.APLIKASI, kode="A-01", nama="Elemen Alfa", unit=city.dinas_a)
    rencana = PetaRencanaItem.objects.create(
        muatan=Muatan.APLIKASI, nama="Rencana Alfa", tahun=tahun, unit=city.dinas_a, target_keluaran="1 aplikasi"
    )
    kerangka = Kerangka.objects.create(kode="UJI_2026", nama="Kerangka uji", tahun_mulai=2026, skala="desimal")
    aspek = AspekEvaluasi.objects.create(kerangka=kerangka, kode="A1", nama="Aspek", bobot=Decimal(100))
    ind1 = IndikatorEvaluasi.objects.create(kerangka=kerangka, aspek=aspek, nomor=1, nama="Indikator Alfa", bobot=50)
    ind2 = IndikatorEvaluasi.objects.create(kerangka=kerangka, aspek=aspek, nomor=2, nama="Indikator Beta", bobot=50)
    terbuka = Penilaian.objects.create(kerangka=kerangka, tahun=tahun, jenis=Penilaian.Jenis.MANDIRI)
    terkunci = Penilaian.objects.create(
        kerangka=kerangka, tahun=tahun - 1, jenis=Penilaian.Jenis.MANDIRI, status=Penilaian.Status.TERKUNCI,
        indeks=Decimal("2.5"),
    )  # fmt: skip
    return {
        "aplikasi_a": _app(city.dinas_a, "Aplikasi Milik Alfa"),
        "aplikasi_bidang": _app(city.bidang_a, "Aplikasi Bidang Alfa", publik=False),
        "aplikasi_b": _app(city.dinas_b, "Aplikasi Milik Beta"),
        "belanja_linked": BelanjaTik.objects.create(
            tahun=tahun,
            unit=city.dinas_a,
            uraian="Lisensi server Alfa",
            kategori=BelanjaTik.Kategori.PERANGKAT_LUNAK,
            nilai=Decimal("12500000.00"),
            elemen=elemen,
            peta_rencana=rencana,
        ),  # fmt: skip
        "belanja_unlinked": BelanjaTik.objects.create(
            tahun=tahun,
            unit=city.bidang_a,
            uraian="Internet kantor Alfa",
            kategori=BelanjaTik.Kategori.KONEKTIVITAS,
            nilai=Decimal("3000000.00"),
        ),  # fmt: skip
        "belanja_b": BelanjaTik.objects.create(
            tahun=tahun,
            unit=city.dinas_b,
            uraian="Laptop Beta",
            kategori=BelanjaTik.Kategori.PERANGKAT_KERAS,
            nilai=Decimal("9000000.00"),
        ),  # fmt: skip
        "usulan_a": UsulanAplikasi.objects.create(unit=city.dinas_a, nama_aplikasi="Usulan Alfa"),
        "usulan_b": UsulanAplikasi.objects.create(
            unit=city.dinas_b, nama_aplikasi="Usulan Beta", status=UsulanAplikasi.Status.DIAJUKAN
        ),
        "nilai_a": NilaiIndikator.objects.create(penilaian=terbuka, indikator=ind1, unit=city.dinas_a),
        "nilai_b": NilaiIndikator.objects.create(penilaian=terbuka, indikator=ind2, unit=city.dinas_b),
        "nilai_locked": NilaiIndikator.objects.create(
            penilaian=terkunci, indikator=ind2, unit=city.dinas_a, nilai=Decimal("2.5")
        ),
    }


def test_the_head_of_an_opd_sees_its_own_items_only(client, login, city, opd_data):
    login(client, city.pimpinan)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dinas Alfa" in html
    for own in ("Aplikasi Milik Alfa", "Aplikasi Bidang Alfa", "Lisensi server Alfa", "Internet kantor Alfa",
                "Usulan Alfa", "Indikator Alfa"):  # fmt: skip
        assert own in html, own
    for other in ("Aplikasi Milik Beta", "Laptop Beta", "Usulan Beta", "Indikator Beta"):
        assert other not in html, other
    assert f'data-nilai="{opd_data["nilai_locked"].pk}"' not in html  # a locked assessment is not "open"
    assert f'data-belanja="{opd_data["belanja_linked"].pk}" data-status="tertaut"' in html
    assert f'data-belanja="{opd_data["belanja_unlinked"].pk}" data-status="belum"' in html


def test_another_opd_cannot_be_asked_for(client, login, city, opd_data):
    login(client, city.pimpinan)
    assert client.get(URL, {"unit": city.dinas_b.pk}).status_code == 404


def test_applications_carry_the_catalogue_flags(client, login, city, opd_data):
    from terpadu.spbe import services_katalog

    expected = {f.code for f in services_katalog.flags(opd_data["aplikasi_a"])}
    assert expected  # no layanan, never audited
    login(client, city.pimpinan)
    html = client.get(URL).content.decode()
    for code in expected:
        assert f'data-flag="{code}"' in html


def test_a_whole_pemda_viewer_chooses_the_opd(client, login, city, opd_data):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(city.staff_other, Role.objects.get(code="auditor"))
    login(client, city.staff_other)
    html = client.get(URL, {"unit": city.dinas_b.pk}).content.decode()
    assert "Aplikasi Milik Beta" in html and "Laptop Beta" in html and "Usulan Beta" in html
    assert "Aplikasi Milik Alfa" not in html and "Indikator Alfa" not in html


@pytest.mark.parametrize("persona", ["staff_same", "staff_other", "admin"])
def test_users_without_spbe_view_are_refused(client, login, city, opd_data, persona):
    login(client, getattr(city, persona))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client, city):
    response = client.get(URL)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_the_home_card_counts_the_users_opd(client, login, city, opd_data):
    card = card_context(city.pimpinan)
    assert card["aplikasi"] == 2
    assert (card["belanja"], card["belanja_belum"]) == (2, 1)
    assert card["usulan"] == 1
    assert card["nilai"] == 1
    assert card_context(city.staff_same) is None
    login(client, city.pimpinan)
    html = client.get("/beranda/").content.decode()
    assert 'data-card="spbe"' in html and URL in html


def test_link_status():
    assert link_status(BelanjaTik(elemen_id=1, peta_rencana_id=2))[0] == "tertaut"
    assert link_status(BelanjaTik(elemen_id=1))[0] == "sebagian"
    assert link_status(BelanjaTik(peta_rencana_id=1))[0] == "sebagian"
    assert link_status(BelanjaTik())[0] == "belum"
