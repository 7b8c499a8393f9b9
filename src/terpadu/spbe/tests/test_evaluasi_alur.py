"""Loading, the self-assessment workflow with its gates, lock, what-if, providers, exports, API and audit."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.spbe import services_evaluasi as sv
from terpadu.spbe.models import BuktiDukung, Kerangka, NilaiIndikator, Penilaian
from terpadu.spbe.tests.evaluasi_fixtures import kerangka, personas  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)


def _open(kerangka, kode, tahun, city):  # noqa: F811
    with acting(None, via="command"):
        p = sv.buat_penilaian(kerangka[kode], tahun)
        for n in p.nilai.select_related("indikator"):
            sv.tetapkan(n, unit=city.dinas_a if n.indikator.nomor <= 5 else city.dinas_b)
    return p


def test_load_is_idempotent_and_audited(kerangka):  # noqa: F811
    assert kerangka["SPBE_2020"].indikator.count() == 47 and kerangka["SPBE_2020"].domain.count() == 4
    assert kerangka["PEMDI_2026"].indikator.filter(indeks_eksternal__gt="").count() == 4
    assert AuditEvent.objects.filter(action="spbe.kerangka_dimuat").count() == 2
    with acting(None, via="command"):
        assert {o for _k, o in sv.muat_semua()} == {"unchanged"}


def test_bad_weights_write_nothing(db):
    spec = sv.baca_kerangka("SPBE_2020")
    spec.aspek["A4"]["bobot"] = D("6.00")
    with acting(None, via="command"), pytest.raises(ValidationError) as exc:
        sv.simpan_kerangka(spec)
    assert "aspect A4 has weight 6.00 but its indicators' weights sum to 5.00" in " ".join(exc.value.messages)
    assert not Kerangka.objects.exists()


def test_upload_new_framework_dry_run_then_write(personas, client, login):  # noqa: F811
    login(client, personas.admin)
    ind = "number,aspect_no,aspect_name,aspect_weight,indicator_name,indicator_weight\n1,1,A,60,X,60\n2,2,B,40,Y,40\n"
    bands = "predikat,min_inclusive,max_exclusive\nRendah,1.00,3.00\nTinggi,3.00,\n"

    def post(dry):
        data = {"kode": "UJI_2030", "nama": "Uji", "tahun_mulai": 2030, "skala": "level", "nilai_min": 1,
                "nilai_maks": 5, "indikator": SimpleUploadedFile("i.csv", ind.encode()),
                "predikat": SimpleUploadedFile("p.csv", bands.encode())}  # fmt: skip
        if dry:
            data["dry_run"] = "on"
        return client.post(reverse("spbe:kerangka_unggah"), data)

    response = post(True)
    assert response.status_code == 200 and b"Nothing was written" in response.content
    assert not Kerangka.objects.filter(kode="UJI_2030").exists()
    response = post(False)
    assert response.status_code == 302
    assert Kerangka.objects.get(kode="UJI_2030").indikator.count() == 2
    bad = ind.replace("60,X,60", "60,X,50")
    response = client.post(reverse("spbe:kerangka_unggah"), {
        "kode": "UJI_2031", "nama": "Uji", "tahun_mulai": 2030, "skala": "level", "nilai_min": 1, "nilai_maks": 5,
        "indikator": SimpleUploadedFile("i.csv", bad.encode()), "predikat": SimpleUploadedFile("p.csv", bands.encode()),
    })  # fmt: skip
    assert b"weights sum to 90, not 100" in response.content
    assert not Kerangka.objects.filter(kode="UJI_2031").exists()


def test_workflow_gate_per_persona(personas, kerangka, client, login):  # noqa: F811
    city = personas
    p = _open(kerangka, "SPBE_2020", 2025, city)
    alfa = p.nilai.get(indikator__nomor=1)
    beta = p.nilai.get(indikator__nomor=11)
    # operator-opd of Dinas Alfa fills its own indicator through the page
    login(client, city.staff_same)
    response = client.post(reverse("spbe:nilai_isi", args=[alfa.pk]), {"nilai": "3", "justifikasi": "Perwali 12/2024"})
    assert response.status_code == 302
    alfa.refresh_from_db()
    assert alfa.nilai == D(3)
    # … but not Dinas Beta's: not even visible (404), and the service refuses too
    assert client.post(reverse("spbe:nilai_isi", args=[beta.pk]), {"nilai": "3"}).status_code == 404
    with acting(city.staff_same), pytest.raises(PermissionDenied):
        sv.isi_nilai(beta, city.staff_same, skor=3)
    # staff of Dinas Beta cannot fill Alfa's indicator
    client.logout()
    login(client, city.staff_other)
    assert client.post(reverse("spbe:nilai_isi", args=[alfa.pk]), {"nilai": "5"}).status_code == 404
    alfa.refresh_from_db()
    assert alfa.nilai == D(3)
    # scale errors are clear and write nothing
    with acting(city.staff_same), pytest.raises(ValidationError, match="level 7 is outside the scale"):
        sv.isi_nilai(alfa, city.staff_same, skor="7")
    with acting(city.staff_same), pytest.raises(ValidationError, match="not a whole level"):
        sv.isi_nilai(alfa, city.staff_same, skor="2.5")
    alfa.refresh_from_db()
    assert alfa.nilai == D(3)


def _fill_all(p, city, level=3):
    with acting(None, via="command"):
        for n in p.nilai.select_related("indikator"):
            if n.indikator.indeks_eksternal:
                sv.isi_nilai(n, None, justifikasi="external")
            else:
                sv.isi_nilai(n, None, skor=level, justifikasi="ok")
            sv.kirim_nilai(n, None)


def test_review_lock_and_locked_refuses_edits(personas, kerangka):  # noqa: F811
    city = personas
    p = _open(kerangka, "SPBE_2020", 2025, city)
    _fill_all(p, city)
    with acting(city.admin):
        first = p.nilai.get(indikator__nomor=1)
        with pytest.raises(ValidationError, match="Say what must be revised"):
            sv.tinjau_nilai(first, False, "", city.admin)
        sv.tinjau_nilai(first, False, "Upload the signed Perwali", city.admin)
        with pytest.raises(ValidationError, match="not yet accepted: 1, 2"):
            sv.kunci(p, city.admin)
    with acting(city.staff_same):
        sv.isi_nilai(first, city.staff_same, skor=4, justifikasi="Perwali signed")
        sv.kirim_nilai(first, city.staff_same)
    with acting(city.admin):
        for n in p.nilai.all():
            sv.tinjau_nilai(n, True, "", city.admin)
        sv.kunci(p, city.admin)
    p.refresh_from_db()
    # 46 indicators at 3 and #1 (w 1.30) at 4: 3 + 1.30/100 = 3.013 → Baik, stored unrounded
    assert p.status == Penilaian.Status.TERKUNCI and p.indeks == D("3.013") and p.predikat == "Baik"
    with acting(city.staff_same), pytest.raises(ValidationError, match="locked"):
        sv.isi_nilai(first, city.staff_same, justifikasi="late change")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"spbe.penilaian_dibuka", "spbe.nilai_diisi", "spbe.nilai_diajukan", "spbe.nilai_dikembalikan",
            "spbe.nilai_diterima", "spbe.penilaian_dikunci"} <= actions  # fmt: skip


def test_external_index_conversion_and_missing_counts_as_one(personas, kerangka):  # noqa: F811
    city = personas
    p = _open(kerangka, "PEMDI_2026", 2026, city)
    sdi = p.nilai.get(indikator__nomor=5)
    with acting(None, via="command"):
        sv.isi_nilai(sdi, None, nilai_eksternal="70")
        epss = p.nilai.get(indikator__nomor=7)
        sv.isi_nilai(epss, None, nilai_eksternal="3.6")  # EPSS uses the IPS table (alias file): level 4
        with pytest.raises(ValidationError, match="not scored from an external index"):
            sv.isi_nilai(p.nilai.get(indikator__nomor=1), None, nilai_eksternal="50")
    assert p.nilai.get(indikator__nomor=5).nilai == D(4) and p.nilai.get(indikator__nomor=7).nilai == D(4)
    result = sv.hitung(p)
    assert 6 in result["eksternal_default"] and result["provisional"]
    # 5 (w5) at 4, 7 (w3) at 4, everything else counted at 1: 1 + (5·3 + 3·3)/100 = 1.24
    assert result["indeks"] == D("1.24")


def test_what_if_writes_nothing(personas, kerangka, client, login):  # noqa: F811
    city = personas
    p = _open(kerangka, "SPBE_2020", 2025, city)
    _fill_all(p, city, level=2)
    before = (AuditEvent.objects.count(), list(NilaiIndikator.objects.values_list("nilai", flat=True)))
    login(client, city.admin)
    response = client.post(
        reverse("spbe:penilaian_whatif", args=[p.pk]), {"t11": "4", "t12": "4"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"2,10" in response.content or b"2.10" in response.content
    api = client.post(
        f"/api/v1/spbe/penilaian/{p.pk}/what-if/", {"targets": {"11": 4}}, content_type="application/json"
    )
    assert (
        api.status_code == 200 and D(api.json()["sesudah"]["indeks"]) == D("2.05") and api.json()["disimpan"] is False
    )
    bad = client.post(
        f"/api/v1/spbe/penilaian/{p.pk}/what-if/", {"targets": {"11": 9}}, content_type="application/json"
    )
    assert bad.status_code == 400 and "outside the scale" in bad.json()["error"]["message"]
    assert before == (AuditEvent.objects.count(), list(NilaiIndikator.objects.values_list("nilai", flat=True)))


def test_api_scores_write_gate_and_errors(personas, kerangka, client, login):  # noqa: F811
    city = personas
    p = _open(kerangka, "SPBE_2020", 2025, city)
    alfa, beta = p.nilai.get(indikator__nomor=2), p.nilai.get(indikator__nomor=20)
    login(client, city.staff_same)
    ok = client.patch(
        f"/api/v1/spbe/nilai/{alfa.pk}/", {"nilai": "4", "justifikasi": "x"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["nilai"] == "4.00"
    bad = client.patch(f"/api/v1/spbe/nilai/{alfa.pk}/", {"nilai": "0"}, content_type="application/json")
    assert bad.status_code == 400 and "outside the scale" in bad.json()["error"]["message"]
    other = client.patch(f"/api/v1/spbe/nilai/{beta.pk}/", {"nilai": "4"}, content_type="application/json")
    assert other.status_code == 404 and "error" in other.json()
    listed = client.get(f"/api/v1/spbe/nilai/?penilaian={p.pk}").json()
    assert {r["nomor"] for r in listed["results"]} == {1, 2, 3, 4, 5}
    assert client.get("/api/v1/spbe/kerangka/").status_code == 200


def test_provider_registry_and_accept_creates_evidence(personas, kerangka, client, login):  # noqa: F811
    city = personas
    p = _open(kerangka, "SPBE_2020", 2025, city)
    calls = []

    def fn(penilaian, indikator):
        calls.append(indikator.nomor)
        return [sv.Proposal("3 documents", "from a test", [{"a": 1, "b": "x"}])]

    sv.register_evidence_provider("test.docs", "Test docs", {"SPBE_2020": [3]}, fn)
    sv.register_evidence_provider("test.pred", lambda ind: ind.nomor == 4, fn, label="Predicate")
    try:
        three = p.nilai.get(indikator__nomor=3)
        assert [pr.key for pr in sv.providers_for(three.indikator)] == ["test.docs"]
        assert "test.pred" in [pr.key for pr in sv.providers_for(p.nilai.get(indikator__nomor=4).indikator)]
        login(client, city.staff_same)
        page = client.get(reverse("spbe:nilai_detail", args=[three.pk]))
        assert b"3 documents" in page.content
        response = client.post(
            reverse("spbe:nilai_usulan_terima", args=[three.pk]), {"penyedia": "test.docs", "posisi": 0}
        )
        assert response.status_code == 302
        bukti = BuktiDukung.objects.get(nilai=three)
        assert bukti.penyedia == "test.docs" and bukti.keterangan == "3 documents"
        content = bukti.file.file.read().decode()
        assert "a,b" in content and "1,x" in content
        assert AuditEvent.objects.filter(action="spbe.bukti_ditambahkan").exists()
    finally:
        sv.PROVIDERS.pop("test.docs", None)
        sv.PROVIDERS.pop("test.pred", None)


def test_builtin_providers_registered():
    assert {"spbe.arsitektur", "spbe.peta_rencana", "spbe.katalog.ringkasan", "naskah.tte"} <= set(sv.PROVIDERS)


def test_upload_evidence_and_exports(personas, kerangka, client, login):  # noqa: F811
    city = personas
    p = _open(kerangka, "SPBE_2020", 2025, city)
    n1 = p.nilai.get(indikator__nomor=1)
    login(client, city.staff_same)
    client.post(reverse("spbe:nilai_isi", args=[n1.pk]), {"nilai": "2", "justifikasi": "draft"})
    response = client.post(reverse("spbe:nilai_bukti", args=[n1.pk]),
                           {"keterangan": "Perwali", "file": SimpleUploadedFile("p.png", PNG)})  # fmt: skip
    assert response.status_code == 302 and n1.bukti.count() == 1
    client.logout()
    login(client, city.admin)
    xlsx = client.get(reverse("spbe:penilaian_ekspor", args=[p.pk]) + "?format=xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Tingkat Kematangan Kebijakan Internal Arsitektur SPBE Instansi Pusat/Pemerintah Daerah" in values
    assert "Predikat" in values
    pdf = client.get(reverse("spbe:penilaian_ekspor", args=[p.pk]) + "?format=pdf")
    assert pdf.content.startswith(b"%PDF")


def test_pages_render(personas, kerangka, client, login):  # noqa: F811
    city = personas
    p = _open(kerangka, "PEMDI_2026", 2026, city)
    with acting(None, via="command"):
        sv.catat_hasil_resmi(kerangka["SPBE_2020"], 2024, "3.57", keputusan="Kepmen 663/2024", sumber="demo")
        with pytest.raises(ValidationError, match="give Sangat Baik"):
            sv.catat_hasil_resmi(kerangka["SPBE_2020"], 2023, "3.57", predikat="Baik")
    login(client, city.admin)
    for url in (reverse("spbe:kerangka_list"), reverse("spbe:kerangka_detail", args=[kerangka["PEMDI_2026"].pk]),
                reverse("spbe:penilaian_list"), reverse("spbe:penilaian_detail", args=[p.pk]),
                reverse("spbe:penilaian_gains", args=[p.pk]), reverse("spbe:penilaian_whatif", args=[p.pk]),
                reverse("spbe:perbandingan"), reverse("spbe:nilai_detail", args=[p.nilai.first().pk])):  # fmt: skip
        assert client.get(url).status_code == 200, url
    assert b"Kota Madiun" in client.get(reverse("spbe:perbandingan")).content
