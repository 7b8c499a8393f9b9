"""Numbering pages and API: a pencatat reserves, inserts and voids in their unit; formats need naskah.configure
and show the pattern's errors on the form."""

from __future__ import annotations

import pytest
from conftest import login_as
from django.urls import reverse

from terpadu.core.context import acting
from terpadu.naskah.models import FormatNomor, NomorCadangan


@pytest.fixture
def pencatat(city):
    """staff_same as pencatat-surat of Dinas Alfa (naskah.number there)."""
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role

    with acting(None, via="command"):
        access.assign_role(city.staff_same, Role.objects.get(code="pencatat-surat"), city.dinas_a)
    return city.staff_same


def _reserve(client, unit, **extra):
    data = {"unit": unit.pk, "tahun": 2026, "alasan": "Untuk SK", **extra}
    return client.post(reverse("naskah:number_reserve"), data)


def test_pencatat_reserves_inserts_and_voids(client, city, jenis, pencatat):
    login_as(client, pencatat)
    response = _reserve(client, city.dinas_a, jenis=jenis["surat_dinas"].pk)
    assert response.status_code == 302
    cadangan = NomorCadangan.objects.get()
    assert (cadangan.urut, cadangan.urutan.unit, cadangan.dibuat_oleh) == (1, city.dinas_a, pencatat)
    inserted = client.post(
        reverse("naskah:number_insert"),
        {"unit": city.dinas_a.pk, "tahun": 2026, "alasan": "Susulan", "after_urut": 1},
    )
    assert inserted.status_code == 302
    assert NomorCadangan.objects.filter(sisipan="a", urut=1).exists()
    page = client.get(reverse("naskah:number_index"), {"unit": city.dinas_a.pk, "tahun": 2026})
    assert page.status_code == 200 and "Untuk SK" in page.text and "1a" in page.text
    voided = client.post(reverse("naskah:number_void", args=[cadangan.pk]), {"alasan": "Tidak jadi"})
    assert voided.status_code == 302
    cadangan.refresh_from_db()
    assert cadangan.status == NomorCadangan.Status.DIBATALKAN


def test_bad_numbering_input_gets_a_clear_message(client, city, pencatat):
    login_as(client, pencatat)
    too_far = client.post(
        reverse("naskah:number_insert"), {"unit": city.dinas_a.pk, "tahun": 2026, "alasan": "X", "after_urut": 9}
    )
    assert too_far.status_code == 400 and "already given" in too_far.text
    other_unit = _reserve(client, city.dinas_b)
    assert other_unit.status_code == 400  # not a choice: outside the pencatat's scope
    assert not NomorCadangan.objects.exists()


def test_numbering_needs_the_number_right(client, city):
    login_as(client, city.pimpinan)
    assert client.get(reverse("naskah:number_index")).status_code == 403
    assert _reserve(client, city.dinas_a).status_code == 403


def test_format_form_shows_the_pattern_error_and_saves_a_good_one(client, city, jenis):
    login_as(client, city.admin)
    bad = client.post(reverse("naskah:format_create"), {"unit": city.dinas_a.pk, "pola": "{klasifikasi}/{tahun}"})
    assert bad.status_code == 200 and "must contain {urut}" in bad.text and not FormatNomor.objects.exists()
    good = client.post(
        reverse("naskah:format_create"),
        {"unit": city.dinas_a.pk, "jenis": jenis["nota_dinas"].pk, "pola": "{urut}/ND/{tahun}", "digit": 3},
    )
    assert good.status_code == 302
    assert FormatNomor.objects.get().pola == "{urut}/ND/{tahun}"
    twice = client.post(
        reverse("naskah:format_create"),
        {"unit": city.dinas_a.pk, "jenis": jenis["nota_dinas"].pk, "pola": "{urut}", "digit": 0},
    )
    assert twice.status_code == 200 and FormatNomor.objects.count() == 1
    preview = client.get(
        reverse("naskah:format_preview"), {"pola": "{urut}/{kode_unit}/{tahun}", "unit": city.dinas_a.pk, "digit": 3}
    )
    assert "001/400.1/" in preview.text
    assert "{foo}" in client.get(reverse("naskah:format_preview"), {"pola": "{urut}/{foo}"}).text


def test_numbering_api(client, city, jenis, pencatat):
    login_as(client, pencatat)
    url = reverse("api-naskah-nomor-list")
    created = client.post(url, {"unit": city.dinas_a.pk, "tahun": 2026, "alasan": "API", "jenis": "surat_dinas"})
    assert created.status_code == 201 and created.json()["urut"] == 1
    outside = client.post(url, {"unit": city.dinas_b.pk, "tahun": 2026, "alasan": "API"})
    assert outside.status_code == 403 and "error" in outside.json()
    missing = client.post(url, {"unit": city.dinas_a.pk, "tahun": 2026})
    assert missing.status_code == 400 and "alasan" in missing.json()["error"]["details"]
    report = client.get(reverse("api-naskah-nomor-laporan"), {"unit": city.dinas_a.pk, "tahun": 2026}).json()
    assert [(row["urut"], row["status"]) for row in report] == [(1, "reserved")]
    pk = created.json()["id"]
    voided = client.post(reverse("api-naskah-nomor-batal", args=[pk]), {"alasan": "Batal"})
    assert voided.status_code == 200 and voided.json()["status"] == "dibatalkan"
    again = client.post(reverse("api-naskah-nomor-batal", args=[pk]), {"alasan": "Batal"})
    assert again.status_code == 400


def test_format_api_validates_the_pattern(client, city):
    login_as(client, city.admin)
    url = reverse("api-naskah-format-list")
    bad = client.post(url, {"unit": city.dinas_a.pk, "pola": "{nomor}"}, content_type="application/json")
    assert bad.status_code == 400 and "pola" in bad.json()["error"]["details"]
    good = client.post(url, {"unit": city.dinas_a.pk, "pola": "{urut}/{tahun}"}, content_type="application/json")
    assert good.status_code == 201 and FormatNomor.objects.get().pola == "{urut}/{tahun}"
    login_as(client, city.pimpinan)
    assert client.get(url).status_code == 403
