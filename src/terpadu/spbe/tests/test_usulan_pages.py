"""Proposal pages per persona: the OPD drafts, sees the overlaps and confirms; Diskominfo reviews and records the
pertimbangan (form errors, nothing written); another OPD and a viewer are refused; the budget check page/API."""

from __future__ import annotations

import pytest
from conftest import login_as
from django.urls import reverse

from terpadu.spbe.models import AplikasiNasional, UsulanAplikasi
from terpadu.spbe.tests.belanja_usulan_helpers import SEVEN, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def who(city, client, settings):
    from terpadu.accounts.models import User

    found = personas(city)
    User.objects.update(language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for user in vars(found).values():
        user.refresh_from_db()
    return found


def test_opd_drafts_confirms_overlaps_and_diskominfo_reviews(client, city, who):
    AplikasiNasional.objects.create(nama="SRIKANDI", bidang="kearsipan", aplikasi_umum=True)
    login_as(client, who.opd_a)
    data = {"unit": city.dinas_a.pk, "nama_aplikasi": "E-Arsip", "bidang": "kearsipan", **dict(SEVEN, jadwal="")}
    response = client.post(reverse("spbe:usulan_create"), data)
    assert response.status_code == 302
    usulan = UsulanAplikasi.objects.get()
    detail = reverse("spbe:usulan_detail", args=[usulan.pk])
    page = client.get(detail).content.decode()
    assert "SRIKANDI" in page and "schedule" in page
    client.post(reverse("spbe:usulan_submit", args=[usulan.pk]), {})
    usulan.refresh_from_db()
    assert usulan.status == "draft"  # the schedule is missing
    client.post(reverse("spbe:usulan_edit", args=[usulan.pk]), {"nama_aplikasi": "E-Arsip", "bidang": "kearsipan",
                                                                **SEVEN})  # fmt: skip
    submit = reverse("spbe:usulan_submit", args=[usulan.pk])
    client.post(submit, {"dilihat_dikirim": "1", "dilihat": [f"nasional:{AplikasiNasional.objects.get().pk}"]})
    usulan.refresh_from_db()
    assert usulan.status == "draft"  # not confirmed
    client.post(submit, {"dilihat_dikirim": "1", "dilihat": [f"nasional:{AplikasiNasional.objects.get().pk}"],
                         "konfirmasi": "on", "justifikasi": "Terintegrasi dengan SRIKANDI"})  # fmt: skip
    usulan.refresh_from_db()
    assert usulan.status == "diajukan" and usulan.tumpang_tindih[0]["nama"] == "SRIKANDI"
    # the OPD cannot review; another OPD cannot even see it
    assert client.post(reverse("spbe:usulan_review", args=[usulan.pk]), {"aksi": "rekomendasikan"}).status_code == 403
    login_as(client, who.opd_b)
    assert client.get(detail).status_code == 404
    # Diskominfo returns it with notes
    login_as(client, who.kominfo)
    client.post(reverse("spbe:usulan_review", args=[usulan.pk]), {"aksi": "kembalikan", "catatan_review": "Lengkapi"})
    usulan.refresh_from_db()
    assert usulan.status == "dikembalikan" and usulan.catatan_review == "Lengkapi"


def test_pertimbangan_form_errors_and_viewer_is_refused(client, city, who):
    usulan = UsulanAplikasi.objects.create(unit=city.dinas_a, nama_aplikasi="X", status="dikirim", **SEVEN)
    login_as(client, who.kominfo)
    url = reverse("spbe:usulan_pertimbangan", args=[usulan.pk])
    response = client.post(url, {"keputusan": "disetujui"})
    page = response.content.decode()
    assert response.status_code == 200 and "number of the pertimbangan" in page and "Upload the pertimbangan" in page
    usulan.refresh_from_db()
    assert usulan.status == "dikirim"
    login_as(client, who.viewer)
    assert client.get(reverse("spbe:usulan_detail", args=[usulan.pk])).status_code == 200
    assert client.get(url).status_code == 403
    assert client.post(reverse("spbe:usulan_kirim", args=[usulan.pk])).status_code == 403


def test_budget_check_page_and_api(client, chain, city, who):
    UsulanAplikasi.objects.create(unit=city.dinas_a, nama_aplikasi="SIM Parkir", sub_kegiatan=chain.sub, **SEVEN)
    login_as(client, who.viewer)
    page = client.get(reverse("spbe:usulan_cek_anggaran") + f"?sub_kegiatan={chain.sub.pk}").content.decode()
    assert "SIM Parkir" in page
    data = client.get(f"/api/v1/spbe/cek-anggaran/{chain.sub.pk}/").json()
    assert data["pertimbangan_disetujui"] is False and "SIM Parkir" in data["alasan"][0]
    assert client.get(f"/api/v1/spbe/cek-anggaran/{chain.sub_b.pk}/").status_code == 404  # Dinas Beta: not in scope
