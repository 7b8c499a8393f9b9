"""Every arsip page renders for the people who use it, and bad input gets a form error, not a record."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as
from django.test import Client
from django.urls import reverse

from terpadu.arsip import services
from terpadu.arsip.models import Berkas
from terpadu.arsip.tests.conftest import make_arsiparis, make_naskah
from terpadu.core.models import AuditEvent


@pytest.fixture
def world(city, klasifikasi, jenis, freeze_today):
    rapat = klasifikasi["000.1.5"]
    naskah = make_naskah(city.bidang_a, city.pegawai_same, rapat, jenis["nota_dinas"])
    item = services.propose_for(naskah, city.bidang_a)
    old = services.create_berkas(None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "Lama", "tahun": 2019})
    services.close_berkas(old, on=dt.date(2019, 1, 1))
    freeze_today(dt.date(2026, 1, 1))
    services.run_retention_clock()
    make_arsiparis(city.staff_same, city.dinas_a)
    return {"item": item, "old": old, "rapat": rapat}


def test_arsiparis_pages_render(city, world):
    client = login_as(Client(), city.staff_same)
    item, old = world["item"], world["old"]
    for url in (
        reverse("arsip:berkas_list"),
        reverse("arsip:berkas_list") + "?status=usul_musnah&q=Lama",
        reverse("arsip:berkas_detail", args=[item.berkas_id]),
        reverse("arsip:berkas_create"),
        reverse("arsip:berkas_edit", args=[item.berkas_id]),
        reverse("arsip:usulan_list"),
        reverse("arsip:isi_move", args=[item.pk]),
        reverse("arsip:retensi") + "?status=usul_musnah",
        reverse("arsip:ba_create") + f"?jenis=pemusnahan&berkas={old.pk}",
        reverse("arsip:ba_list"),
        reverse("arsip:klasifikasi_list"),
        reverse("arsip:klasifikasi_detail", args=[world["rapat"].pk]),
        reverse("core:home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    ba_form = client.get(reverse("arsip:ba_create") + f"?jenis=pemusnahan&berkas={old.pk}")
    assert list(ba_form.context["form"].fields["berkas"].queryset) == [old]


def test_admin_pages_render(city, world):
    client = login_as(Client(), city.admin)
    for url in (
        reverse("arsip:versi_list"),
        reverse("arsip:versi_create"),
        reverse("arsip:klasifikasi_import"),
        reverse("arsip:klasifikasi_create"),
        reverse("arsip:klasifikasi_edit", args=[world["rapat"].pk]),
        reverse("arsip:klasifikasi_export") + "?format=xlsx",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("arsip:klasifikasi_export") + "?format=pdf").status_code == 400


def test_bad_input_shows_form_errors_and_writes_nothing(city, world, pdf_upload):
    client = login_as(Client(), city.staff_same)
    before = (AuditEvent.objects.count(), Berkas.objects.count())
    response = client.post(reverse("arsip:berkas_create"), {"unit": city.bidang_a.pk, "uraian": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        reverse("arsip:ba_create"),
        {
            "jenis": "pemusnahan",
            "berkas": [world["old"].pk],
            "nomor": "",
            "tanggal": "kemarin",
            "dokumen": pdf_upload(),
        },
    )
    assert response.status_code == 200 and {"nomor", "tanggal", "confirm"} <= set(response.context["form"].errors)
    future = client.post(
        reverse("arsip:ba_create"),
        {
            "jenis": "pemusnahan",
            "berkas": [world["old"].pk],
            "nomor": "BA/9",
            "tanggal": "2030-01-01",
            "dasar": "x",
            "dokumen": pdf_upload(),
            "confirm": "on",
        },
    )
    assert future.status_code == 200 and "tanggal" in future.context["form"].errors
    assert (AuditEvent.objects.count(), Berkas.objects.count()) == before
    admin = login_as(Client(), city.admin)
    bad_code = admin.post(reverse("arsip:klasifikasi_edit", args=[world["rapat"].pk]), {"nama": "", "skkaad": "x"})
    assert bad_code.status_code == 200 and {"nama", "skkaad"} <= set(bad_code.context["form"].errors)
    assert AuditEvent.objects.count() == before[0]
