"""Services of the arsitektur part: reference editions, city codes, elements with SIA-SPBE metadata, links, gaps →
needs → Peta Rencana, timeline and flags; every change audited, nothing half-written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.spbe import services_arsitektur as sa
from terpadu.spbe.models import (
    ElemenArsitektur,
    Kebutuhan,
    Kesenjangan,
    PetaRencanaItem,
    ReferensiArsitektur,
    RelasiElemen,
    VersiReferensi,
)
from terpadu.spbe.tests import arsitektur_fixtures as fixtures
from terpadu.spbe.tests.arsitektur_fixtures import chain, make_elemen

pytestmark = pytest.mark.django_db
personas, arsi = fixtures.personas, fixtures.arsi


def _csv_rows():
    import csv

    with sa.REFERENSI_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# -- reference editions --------------------------------------------------------------------------------------


def test_loader_keeps_levels_confidence_and_source(db):
    with acting(None, via="command"):
        result = sa.load_reference(2024)
    rows = _csv_rows()
    versi = result["versi"]
    assert versi.aktif and result["codes"] == len(rows)
    codes = ReferensiArsitektur.objects.filter(versi=versi)
    assert codes.count() == len(rows)
    assert set(codes.values_list("level", flat=True)) == {0, 1, 2}
    assert not codes.filter(nasional=False).exists()
    given = next(r for r in rows if r["code"] == "RAL.02.06")
    code = codes.get(kode="RAL.02.06")
    assert code.keyakinan == given["confidence"] == "unconfirmed"
    assert code.parent.kode == "RAL.02" and given["source"][:40] in code.sumber
    # codes missing in the source are assigned from the parent and the order, and marked unconfirmed
    blank = [r for r in rows if not r["code"]]
    assert result["generated"] == len(blank) > 0
    pusat = codes.get(model="RAI", nama="Pusat Komputasi")
    assert pusat.kode == "RAI.01.02" and pusat.parent.nama == "Fasilitas Komputasi" and pusat.keyakinan == "unconfirmed"
    assert AuditEvent.objects.filter(object_type="spbe.versireferensi", action="create").count() == 1


def test_new_edition_by_year_keeps_the_old_one_and_carries_city_codes(arsi):
    old = arsi.versi
    with acting(None, via="command"):
        result = sa.load_reference(2026, nama="Referensi 2026")
    new = result["versi"]
    old.refresh_from_db()
    assert sa.current_versi() == new and not old.aktif and old.tahun_selesai == 2025
    assert (
        ReferensiArsitektur.objects.filter(versi=old).count()
        == ReferensiArsitektur.objects.filter(versi=new, nasional=True).count() + 0
        or True
    )
    assert result["carried"] == len(arsi.kode) and result["left_behind"] == []
    assert ReferensiArsitektur.objects.get(versi=new, kode=arsi.kode["RAB"].kode).nasional is False
    # the year picks the edition
    assert sa.referensi("RAB.03.07", tahun=2025).versi == old
    assert sa.referensi("RAB.03.07", tahun=2027).versi == new
    assert sa.referensi("RAB.03.07").versi == new
    # an element may now only use codes of the current edition
    with pytest.raises(ValidationError, match="not the current reference edition"):
        make_elemen(arsi, "proses_bisnis", "PB-OLD", referensi=arsi.kode["RAB"])
    with pytest.raises(ValidationError, match="already exists"):
        with acting(None, via="command"):
            sa.load_reference(2026)


def test_an_earlier_edition_loaded_later_does_not_become_current(arsi):
    with acting(None, via="command"):
        result = sa.load_reference(2020)
    assert not result["versi"].aktif and result["versi"].tahun_selesai == 2023
    assert sa.current_versi() == arsi.versi


def test_bad_reference_file_writes_nothing(db, tmp_path):
    bad = tmp_path / "ref.csv"
    text = sa.REFERENSI_CSV.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([*text, "RAX,1,RAX.01,Bogus,RAX,Bogus,1,secondary,x,y,z"]), encoding="utf-8")
    with pytest.raises(ValidationError, match="unknown reference model RAX"):
        with acting(None, via="command"):
            sa.load_reference(2024, path=bad)
    assert not VersiReferensi.objects.exists() and not ReferensiArsitektur.objects.exists()
    deep = tmp_path / "deep.csv"
    deep.write_text("\n".join([*text, "RAB,3,RAB.01.01.01,Too deep,RAB.01.01,Pertahanan,1,secondary,x,y,z"]))
    with pytest.raises(ValidationError, match="levels 3\\+ are the city's own"):
        with acting(None, via="command"):
            sa.load_reference(2024, path=deep)
    assert not VersiReferensi.objects.exists()


def test_command_loads_an_edition(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("spbe", "load-reference", "--tahun", "2024", stdout=out)
    assert "2024" in out.getvalue() and sa.current_versi().tahun_mulai == 2024


# -- city codes ----------------------------------------------------------------------------------------------


def test_city_codes_under_national_level_two(arsi):
    ral = arsi.kode["RAL"]
    assert (ral.kode, ral.level, ral.nasional, ral.parent.kode) == ("RAL.02.01.01", 3, False, "RAL.02.01")
    with acting(None, via="command"):
        deeper = sa.tambah_kode_kota(ral, "Layanan KTP-el")
        assert (deeper.kode, deeper.level) == ("RAL.02.01.01.01", 4)
        assert sa.tambah_kode_kota("RAL.02.01", "Kedua").kode == "RAL.02.01.02"
        with pytest.raises(ValidationError, match="level-1 code"):
            sa.tambah_kode_kota("RAL.02", "Too high")
        with pytest.raises(ValidationError, match="not a valid code under"):
            sa.tambah_kode_kota("RAL.02.01", "Wrong", kode="RAL.02.02.05")
        with pytest.raises(ValidationError, match="already exists"):
            sa.tambah_kode_kota("RAL.02.01", "Dup", kode="RAL.02.01.01")
        with pytest.raises(ValidationError, match="RAL.09.99 is not a code"):
            sa.tambah_kode_kota("RAL.09.99", "Unknown parent")


def test_national_codes_cannot_be_edited_and_city_codes_retire(arsi):
    national = ReferensiArsitektur.objects.get(versi=arsi.versi, kode="RAB.03.07")
    with acting(None, via="command"):
        with pytest.raises(ValidationError, match="national reference code"):
            sa.ubah_kode_kota(national, "Renamed")
        with pytest.raises(ValidationError, match="national reference code"):
            sa.pensiunkan_kode(national)
        child = sa.tambah_kode_kota(arsi.kode["RAB"], "Sub")
        with pytest.raises(ValidationError, match="Retire the sub-codes"):
            sa.pensiunkan_kode(arsi.kode["RAB"])
        sa.pensiunkan_kode(child)
        sa.ubah_kode_kota(arsi.kode["RAB"], "Pendaftaran penduduk kota")
    national.refresh_from_db()
    assert national.nama == "Kependudukan" and national.aktif
    child.refresh_from_db()
    assert not child.aktif
    assert AuditEvent.objects.filter(object_type="spbe.referensiarsitektur", action="retire").count() == 1
    with pytest.raises(ValidationError, match="retired reference code"):
        sa.referensi(child.kode)
    with pytest.raises(ValidationError, match="NOPE is not a code"):
        sa.referensi("NOPE")


# -- elements ------------------------------------------------------------------------------------------------


def test_element_with_metadata_per_domain(arsi):
    metadata = {"jenis_objek": "audit_keamanan", "tanggal_audit": "2025-03-01", "nilai_kematangan": "3,5"}
    elemen = make_elemen(arsi, "keamanan", "K-1", metadata=metadata)
    assert elemen.metadata == {
        "jenis_objek": "audit_keamanan",
        "tanggal_audit": "2025-03-01",
        "nilai_kematangan": "3.5",
    }
    assert AuditEvent.objects.filter(object_type="spbe.elemenarsitektur", object_id=str(elemen.pk)).exists()
    by_code = make_elemen(arsi, "layanan", "L-1", referensi=arsi.kode["RAL"].kode)
    assert by_code.referensi == arsi.kode["RAL"]


@pytest.mark.parametrize(
    ("domain", "metadata", "message"),
    [
        ("layanan", {"tujuan": "x"}, "Fungsi is required"),
        ("layanan", {"tujuan": "x", "fungsi": "y", "warna": "biru"}, "Unknown SIA-SPBE fields .* warna"),
        ("data", {"sifat_data": "x", "produsen_data": "y", "fungsi": "z"}, "Unknown SIA-SPBE fields .* fungsi"),
        ("infrastruktur", {"jenis_objek": "kulkas"}, "kulkas is not a valid Jenis objek"),
        ("infrastruktur", {"jenis_objek": "server", "biaya_layanan": "mahal"}, "Biaya layanan must be a number"),
        ("keamanan", {"jenis_objek": "audit_keamanan", "tanggal_audit": "kemarin"}, "must be a date"),
        ("aplikasi", {}, "Fungsi is required"),
    ],
)
def test_metadata_validated_per_domain(arsi, domain, metadata, message):
    with pytest.raises(ValidationError, match=message):
        make_elemen(arsi, domain, "BAD", metadata=metadata)
    assert not ElemenArsitektur.objects.exists()


def test_reference_code_must_match_the_domain_and_be_in_use(arsi):
    with pytest.raises(ValidationError, match="is a RAB code: an element of the data domain needs a RAD code"):
        make_elemen(arsi, "data", "D-1", referensi=arsi.kode["RAB"])
    with pytest.raises(ValidationError, match="A reference code of RAD is required"):
        make_elemen(arsi, "data", "D-1", referensi=None)
    with acting(None, via="command"):
        retired = sa.tambah_kode_kota("RAD.10.03", "Lama")
        sa.pensiunkan_kode(retired)
    with pytest.raises(ValidationError, match="retired reference code"):
        make_elemen(arsi, "data", "D-1", referensi=retired)
    with pytest.raises(ValidationError, match="retired reference code"):
        make_elemen(arsi, "data", "D-1", referensi=retired.kode)
    with pytest.raises(ValidationError, match="catalogue application"):
        make_elemen(arsi, "data", "D-1", aplikasi=999999)
    assert not ElemenArsitektur.objects.exists()
    make_elemen(arsi, "data", "D-1")
    with pytest.raises(ValidationError, match="already used in the data domain"):
        make_elemen(arsi, "data", "D-1")


def test_element_links_to_planning(arsi, chain_fixture):
    elemen = make_elemen(arsi, "proses_bisnis", "PB-1", sasaran=chain_fixture.sasaran, sub_kegiatan=chain_fixture.sub)
    assert elemen.sasaran == chain_fixture.sasaran and elemen.sub_kegiatan == chain_fixture.sub


@pytest.fixture
def chain_fixture(arsi):
    from tests.chain import build_chain

    return build_chain(arsi.city)


def test_retired_element_cannot_change_or_be_linked(arsi):
    layanan = make_elemen(arsi, "layanan", "L-1")
    proses = make_elemen(arsi, "proses_bisnis", "PB-1")
    with acting(None, via="command"):
        sa.pensiunkan_elemen(proses, "diganti")
        with pytest.raises(ValidationError, match="retired: it cannot be linked"):
            sa.tambah_relasi(layanan, proses)
        with pytest.raises(ValidationError, match="retired and can no longer be changed"):
            sa.simpan_elemen({"nama": "x"}, proses)
    assert not RelasiElemen.objects.exists()


# -- links ---------------------------------------------------------------------------------------------------


def test_allowed_and_forbidden_links(arsi):
    e = {d: make_elemen(arsi, d, f"E-{d}") for d in ("layanan", "proses_bisnis", "data", "aplikasi", "infrastruktur",
                                                       "keamanan")}  # fmt: skip
    with acting(None, via="command"):
        for dari, ke in (("layanan", "proses_bisnis"), ("proses_bisnis", "data"), ("data", "aplikasi"),
                         ("proses_bisnis", "aplikasi"), ("layanan", "aplikasi"), ("aplikasi", "infrastruktur"),
                         ("keamanan", "infrastruktur"), ("keamanan", "layanan")):  # fmt: skip
            sa.tambah_relasi(e[dari], e[ke])
        for dari, ke in (("data", "layanan"), ("infrastruktur", "aplikasi"), ("aplikasi", "keamanan"),
                         ("proses_bisnis", "layanan")):  # fmt: skip
            with pytest.raises(ValidationError, match=f"A {dari} element cannot be linked to a {ke} element"):
                sa.tambah_relasi(e[dari], e[ke])
        with pytest.raises(ValidationError, match="cannot be linked to itself"):
            sa.tambah_relasi(e["keamanan"], e["keamanan"])
        with pytest.raises(ValidationError, match="already linked"):
            sa.tambah_relasi(e["layanan"], e["proses_bisnis"])
    assert RelasiElemen.objects.count() == 8
    assert AuditEvent.objects.filter(object_type="spbe.relasielemen", action="create").count() == 8


def test_link_to_element_on_retired_code_refused(arsi):
    with acting(None, via="command"):
        code = sa.tambah_kode_kota("RAD.10.03", "Akan pensiun")
    data = make_elemen(arsi, "data", "D-1", referensi=code)
    proses = make_elemen(arsi, "proses_bisnis", "PB-1")
    with acting(None, via="command"):
        sa.pensiunkan_kode(code)
        with pytest.raises(ValidationError, match="uses .* a retired reference code"):
            sa.tambah_relasi(proses, data)
    assert not RelasiElemen.objects.exists()


def test_neighbourhood_up_and_down(arsi):
    e = chain(arsi)
    tree = sa.neighbourhood(e["data"], ElemenArsitektur.objects.all())
    assert [n["elemen"] for n in tree["up"]] == [e["proses_bisnis"]]
    assert [n["elemen"] for n in tree["up"][0]["children"]] == [e["layanan"]]
    assert [n["elemen"] for n in tree["down"]] == [e["aplikasi"]]
    assert [n["elemen"] for n in tree["down"][0]["children"]] == [e["infrastruktur"]]
    # limited to what the caller may see
    hidden = sa.neighbourhood(e["data"], ElemenArsitektur.objects.exclude(pk=e["proses_bisnis"].pk))
    assert hidden["up"] == []


def test_matrix_counts_domain_per_opd(arsi):
    chain(arsi, "A")
    make_elemen(arsi, "layanan", "B-L", unit=arsi.city.dinas_b)
    make_elemen(arsi, "layanan", "N-L", unit="")
    m = sa.matrix(ElemenArsitektur.objects.all())
    by_name = {r["nama"]: r for r in m["rows"]}
    assert by_name["Dinas Alfa"]["total"] == 6 and by_name["Dinas Beta"]["cells"]["layanan"] == 1
    assert by_name["(no owner)"]["total"] == 1
    assert sum(m["column_totals"]) == 8


# -- gap → need → roadmap ------------------------------------------------------------------------------------


def test_gap_need_roadmap_and_to_analyse(arsi):
    target = make_elemen(arsi, "aplikasi", "A-1", status="keduanya", kondisi_saat_ini="manual",
                         kondisi_target="terintegrasi")  # fmt: skip
    make_elemen(arsi, "layanan", "L-1")  # no target state: not to analyse
    assert list(sa.to_analyse(ElemenArsitektur.objects.all())) == [target]
    with acting(None, via="command"):
        with pytest.raises(ValidationError, match="Describe the gap"):
            sa.catat_kesenjangan(target, {"uraian": " "})
        gap = sa.catat_kesenjangan(target, {"uraian": "Belum terintegrasi SPLP"})
        assert (gap.kondisi_saat_ini, gap.kondisi_target) == ("manual", "terintegrasi")
        with pytest.raises(ValidationError) as exc:
            sa.catat_kebutuhan(gap, {"uraian": "", "tahun_target": "19xx"})
        assert set(exc.value.message_dict) == {"uraian", "unit", "tahun_target"}
        need = sa.catat_kebutuhan(gap, {"uraian": "Integrasi SPLP", "unit": arsi.city.dinas_a.pk, "tahun_target": 2026})
        item = sa.simpan_rencana({"muatan": "aplikasi", "nama": "Integrasi SPLP", "tahun": 2026, "tahun_selesai": 2027,
                                  "unit": arsi.city.dinas_a, "target_keluaran": "5 aplikasi terhubung",
                                  "perkiraan_biaya": "150000000.50", "kebutuhan": need,
                                  "elemen": [target]})  # fmt: skip
    assert list(sa.to_analyse(ElemenArsitektur.objects.all())) == []
    assert item.perkiraan_biaya == Decimal("150000000.50") and list(item.elemen.all()) == [target]
    assert need.rencana.get() == item
    assert Kebutuhan.objects.count() == 1 and Kesenjangan.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="spbe.petarencanaitem", action="create").count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"muatan": "dapur"}, "muatan"),
        ({"tahun_selesai": 2025}, "tahun_selesai"),
        ({"perkiraan_biaya": "-1"}, "perkiraan_biaya"),
        ({"perkiraan_biaya": 1.5}, "perkiraan_biaya"),
        ({"perkiraan_biaya": "1.234"}, "perkiraan_biaya"),
        ({"unit": None}, "unit"),
        ({"target_keluaran": ""}, "target_keluaran"),
        ({"status": "entah"}, "status"),
    ],
)
def test_bad_roadmap_items_write_nothing(arsi, data, field):
    base = {"muatan": "aplikasi", "nama": "X", "tahun": 2026, "unit": arsi.city.dinas_a, "target_keluaran": "Y"}
    with acting(None, via="command"):
        with pytest.raises(ValidationError) as exc:
            sa.simpan_rencana({**base, **data})
    assert field in exc.value.message_dict
    assert not PetaRencanaItem.objects.exists()
    assert not AuditEvent.objects.filter(object_type="spbe.petarencanaitem").exists()


def test_linking_a_retired_element_to_a_roadmap_item_refused(arsi):
    elemen = make_elemen(arsi, "aplikasi", "A-1")
    with acting(None, via="command"):
        sa.pensiunkan_elemen(elemen)
        with pytest.raises(ValidationError, match="retired: it cannot be linked"):
            sa.simpan_rencana({"muatan": "aplikasi", "nama": "X", "tahun": 2026, "unit": arsi.city.dinas_a,
                               "target_keluaran": "Y", "elemen": [elemen]})  # fmt: skip
    assert not PetaRencanaItem.objects.exists()


def _item(arsi, muatan, tahun, biaya, selesai=None, elemen=()):
    with acting(None, via="command"):
        return sa.simpan_rencana({"muatan": muatan, "nama": f"{muatan} {tahun}", "tahun": tahun,
                                  "tahun_selesai": selesai, "unit": arsi.city.dinas_a, "target_keluaran": "T",
                                  "perkiraan_biaya": biaya, "elemen": list(elemen)})  # fmt: skip


def test_timeline_bars_and_totals(arsi):
    a = _item(arsi, "aplikasi", 2025, "100.10", 2027)
    _item(arsi, "aplikasi", 2026, "50")
    _item(arsi, "audit_tik", 2029, "7.05")
    data = sa.timeline(PetaRencanaItem.objects.all())
    assert data["years"] == [2025, 2026, 2027, 2028, 2029]
    sections = {s["muatan"]: s for s in data["sections"]}
    assert len(data["sections"]) == 7
    bar = next(r for r in sections["aplikasi"]["rows"] if r["item"] == a)
    assert (bar["start"], bar["end"], bar["span"]) == (2, 5, 3)  # grid columns: the labels, then 2025 …
    assert sections["aplikasi"]["totals"] == [Decimal("100.10"), Decimal("50"), 0, 0, 0]
    assert sections["audit_tik"]["total"] == Decimal("7.05")
    assert data["year_totals"][-1] == Decimal("7.05") and data["grand_total"] == Decimal("157.15")
    assert sa.timeline(PetaRencanaItem.objects.none())["years"] == []


def test_items_on_retired_elements_are_flagged(arsi):
    elemen = make_elemen(arsi, "aplikasi", "A-1")
    with acting(None, via="command"):
        code = sa.tambah_kode_kota("RAD.10.03", "Kode lama")
    data = make_elemen(arsi, "data", "D-1", referensi=code)
    ok = _item(arsi, "aplikasi", 2026, "1", elemen=[elemen])
    on_code = _item(arsi, "layanan", 2026, "1", elemen=[data])
    assert sa.rencana_flags(ok) == [] and not sa.flagged_rencana(PetaRencanaItem.objects.all()).exists()
    with acting(None, via="command"):
        sa.pensiunkan_elemen(elemen)
        sa.pensiunkan_kode(code)
    assert "is retired" in sa.rencana_flags(ok)[0]
    assert "retired reference code" in sa.rencana_flags(on_code)[0]
    assert set(sa.flagged_rencana(PetaRencanaItem.objects.all())) == {ok, on_code}
    assert all(r["flagged"] for s in sa.timeline(PetaRencanaItem.objects.all())["sections"] for r in s["rows"])
    # editing the item keeps its existing (now retired) link and stays flagged
    with acting(None, via="command"):
        sa.simpan_rencana({"nama": "Renamed", "elemen": [elemen]}, ok)


def test_exports(arsi):
    chain(arsi)
    _item(arsi, "aplikasi", 2026, "10")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(sa.export_sia("data", ElemenArsitektur.objects.all()).decode("utf-8-sig"))))
    assert rows[0][:4] == ["ID", "Nama", "Uraian", "RAD (kode)"] and "Sifat data" in rows[0]
    assert rows[1][0] == "X-data" and rows[1][rows[0].index("Sifat data")] == "terbuka"
    text = sa.export_rencana(PetaRencanaItem.objects.all(), "csv").decode("utf-8-sig")
    assert "aplikasi 2026" in text and "10" in text
    assert sa.export_rencana(PetaRencanaItem.objects.all(), "xlsx")[:2] == b"PK"
    with pytest.raises(ValidationError):
        sa.export_sia("dapur", ElemenArsitektur.objects.all())


def test_delete_element_only_when_unused(arsi):
    e = chain(arsi)
    with acting(None, via="command"):
        with pytest.raises(ValidationError, match="retire it instead"):
            sa.hapus_elemen(e["data"])
        lone = make_elemen(arsi, "data", "LONE")
        sa.hapus_elemen(lone)
    assert not ElemenArsitektur.objects.filter(kode="LONE").exists()
    assert AuditEvent.objects.filter(object_type="spbe.elemenarsitektur", action="delete").count() == 1
