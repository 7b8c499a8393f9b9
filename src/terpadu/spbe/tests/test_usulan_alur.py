"""Pasal 39 proposals: the seven items, overlaps shown and confirmed, Diskominfo review, the cover letter through
naskah, dikirim by the naskah event, the pertimbangan's required fields, the catalogue entry, and the budget gate
both ways end to end through the anggaran services (TAPD approval of an RKA)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from terpadu.core import events
from terpadu.core.context import acting
from terpadu.core.models import AuditEvent, StoredFile
from terpadu.spbe import services_usulan as svc
from terpadu.spbe.models import Aplikasi, AplikasiNasional, BelanjaTik, UsulanAplikasi
from terpadu.spbe.tests.belanja_usulan_helpers import SEVEN, a_pdf, naskah_reference, personas

pytestmark = pytest.mark.django_db
ALL_TICKED = {item.kode: True for item in svc.checklist_items()}


@pytest.fixture
def who(city):
    return personas(city)


def _draft(who, unit, sub=None, **extra):
    data = {"nama_aplikasi": "SIM Reklame", "bidang": "perizinan", **SEVEN, "sub_kegiatan": sub, **extra}
    with acting(who.opd_a):
        return svc.buat(who.opd_a, unit, data)


def _to_recommended(who, usulan):
    with acting(who.opd_a):
        usulan = svc.ajukan(who.opd_a, usulan, konfirmasi=True, justifikasi="Belum ada aplikasi sejenis.")
    with acting(who.kominfo):
        return svc.rekomendasikan(who.kominfo, usulan, ALL_TICKED)


def test_submission_names_every_missing_item_and_changes_nothing(city, who):
    usulan = _draft(who, city.dinas_a, teknologi="", jadwal="  ")
    with acting(who.opd_a), pytest.raises(ValidationError) as excinfo:
        svc.ajukan(who.opd_a, usulan)
    message = " ".join(excinfo.value.messages)
    assert "technology" in message and "schedule" in message and "funding" not in message
    usulan.refresh_from_db()
    assert usulan.status == "draft" and usulan.diajukan is None and usulan.tumpang_tindih == []


def test_overlaps_are_shown_stored_and_must_be_confirmed(city, who):
    AplikasiNasional.objects.create(nama="SRIKANDI", bidang="kearsipan", aplikasi_umum=True)
    usulan = _draft(who, city.dinas_a, nama_aplikasi="E-Arsip Kota", bidang="kearsipan",
                    fungsi_bisnis="Pengelolaan arsip dinamis dan naskah dinas")  # fmt: skip
    shown = svc.tumpang_tindih(usulan)
    assert [o["nama"] for o in shown] == ["SRIKANDI"] and shown[0]["umum"] is True
    with acting(who.opd_a), pytest.raises(ValidationError, match="Confirm that you have seen"):
        svc.ajukan(who.opd_a, usulan)
    with acting(who.opd_a), pytest.raises(ValidationError, match="Explain why"):
        svc.ajukan(who.opd_a, usulan, konfirmasi=True)
    with acting(who.opd_a), pytest.raises(ValidationError, match="changed since the page was shown"):
        svc.ajukan(who.opd_a, usulan, konfirmasi=True, justifikasi="x", dilihat=[])
    usulan.refresh_from_db()
    assert usulan.status == "draft"
    with acting(who.opd_a):
        usulan = svc.ajukan(
            who.opd_a, usulan, konfirmasi=True, justifikasi="Integrasi ke SRIKANDI.",
            dilihat=[svc.overlap_key(o) for o in shown],
        )  # fmt: skip
    assert usulan.status == "diajukan" and usulan.tumpang_tindih_dikonfirmasi
    assert [o["nama"] for o in usulan.tumpang_tindih] == ["SRIKANDI"]
    assert usulan.tumpang_tindih_justifikasi == "Integrasi ke SRIKANDI."


def test_review_returns_with_notes_and_recommends_only_with_every_item_ticked(city, who):
    usulan = _draft(who, city.dinas_a)
    with acting(who.opd_a):
        usulan = svc.ajukan(who.opd_a, usulan)
    with acting(who.opd_a), pytest.raises(PermissionDenied):
        svc.rekomendasikan(who.opd_a, usulan, ALL_TICKED)  # the OPD does not review itself
    with acting(who.kominfo), pytest.raises(ValidationError, match="Say what the OPD must correct"):
        svc.kembalikan(who.kominfo, usulan, "  ")
    with acting(who.kominfo):
        usulan = svc.kembalikan(who.kominfo, usulan, "Lengkapi rencana integrasi SPLP.", {"integrasi_splp": False})
    assert usulan.status == "dikembalikan" and usulan.checklist["integrasi_splp"] is False
    with acting(who.opd_a):
        usulan = svc.ubah(who.opd_a, usulan, {"teknologi": "Django, integrasi SPLP kota"})
        usulan = svc.ajukan(who.opd_a, usulan)
    partial = dict(ALL_TICKED, hosting=False)
    with acting(who.kominfo), pytest.raises(ValidationError, match="Hosting di PDN"):
        svc.rekomendasikan(who.kominfo, usulan, partial)
    with acting(who.kominfo), pytest.raises(ValidationError, match="Unknown checklist items: bogus"):
        svc.rekomendasikan(who.kominfo, usulan, {**ALL_TICKED, "bogus": True})
    with acting(who.kominfo):
        usulan = svc.rekomendasikan(who.kominfo, usulan, ALL_TICKED)
    assert usulan.status == "direkomendasikan"
    with acting(who.opd_a), pytest.raises(ValidationError, match="cannot be edited"):
        svc.ubah(who.opd_a, usulan, {"jadwal": "2027"})
    actions = list(
        AuditEvent.objects.filter(object_type="spbe.usulanaplikasi", object_id=str(usulan.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "submit", "return", "update", "submit", "recommend"]


def test_other_opd_cannot_touch_the_proposal(city, who):
    usulan = _draft(who, city.dinas_a)
    with acting(who.opd_b), pytest.raises(PermissionDenied):
        svc.ubah(who.opd_b, usulan, {"jadwal": "x"})
    with acting(who.opd_b), pytest.raises(PermissionDenied):
        svc.buat(who.opd_b, city.dinas_a, {"nama_aplikasi": "X"})
    with acting(who.viewer), pytest.raises(PermissionDenied):
        svc.ajukan(who.viewer, usulan)


def test_cover_letter_is_a_naskah_draft_and_the_naskah_event_marks_it_sent(
    city, who, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    ref = naskah_reference(city)
    usulan = _to_recommended(who, _draft(who, city.dinas_a))
    with acting(who.kominfo), pytest.raises(ValidationError, match="classification"):
        svc.buat_surat_pengantar(who.kominfo, usulan)
    with acting(who.kominfo):
        naskah = svc.buat_surat_pengantar(who.kominfo, usulan, klasifikasi=ref.klasifikasi)
    usulan.refresh_from_db()
    assert usulan.surat_pengantar == naskah and naskah.status == "draf"
    assert naskah.jenis == ref.jenis and naskah.penandatangan_jabatan == ref.wali
    assert naskah.hal == "Permohonan Pertimbangan Pembangunan Aplikasi Khusus SIM Reklame"
    assert SEVEN["metode_pembangunan"] in " ".join(naskah.isi.values())
    tujuan = naskah.penerima.get()
    assert tujuan.instansi == "Kementerian PANRB" and tujuan.jabatan_id is None
    with acting(who.kominfo), pytest.raises(ValidationError, match="already has a cover letter"):
        svc.buat_surat_pengantar(who.kominfo, usulan, klasifikasi=ref.klasifikasi)
    assert events.subscribers("naskah.dikirim") and events.subscribers("naskah.ditandatangani")
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("naskah.ditandatangani", {"naskah_id": naskah.pk, "pegawai_id": 1})
    usulan.refresh_from_db()
    assert usulan.status == "dikirim"
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("naskah.dikirim", {"naskah_id": naskah.pk})  # idempotent: already sent
    usulan.refresh_from_db()
    assert usulan.status == "dikirim"
    assert AuditEvent.objects.filter(object_id=str(usulan.pk), action="send", via="event").exists()


def test_pertimbangan_needs_every_field_and_writes_nothing_on_error(city, who, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    usulan = _to_recommended(who, _draft(who, city.dinas_a))
    with acting(who.kominfo), pytest.raises(ValidationError, match="not be given a pertimbangan|mark it sent"):
        svc.catat_pertimbangan(who.kominfo, usulan, keputusan="disetujui", nomor="B/1", tanggal=dt.date.today(),
                               dokumen=a_pdf())  # fmt: skip
    with acting(who.kominfo):
        usulan = svc.tandai_dikirim(who.kominfo, usulan)
    with acting(who.kominfo), pytest.raises(ValidationError) as excinfo:
        svc.catat_pertimbangan(who.kominfo, usulan, keputusan="", nomor=" ", tanggal=None, dokumen=None)
    assert set(excinfo.value.message_dict) == {
        "keputusan", "pertimbangan_nomor", "pertimbangan_tanggal", "pertimbangan_dokumen"
    }  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    with acting(who.kominfo), pytest.raises(ValidationError) as excinfo:
        svc.catat_pertimbangan(
            who.kominfo, usulan, keputusan="disetujui", nomor="B/1", tanggal=dt.date.today() + dt.timedelta(days=3),
            dokumen=SimpleUploadedFile("x.pdf", b"not a pdf at all"),
        )  # fmt: skip
    assert set(excinfo.value.message_dict) == {"pertimbangan_tanggal", "pertimbangan_dokumen"}
    usulan.refresh_from_db()
    assert usulan.status == "dikirim" and not StoredFile.objects.exists() and not Aplikasi.objects.exists()
    with acting(who.kominfo):
        usulan = svc.catat_pertimbangan(who.kominfo, usulan, keputusan="ditolak", nomor="B/77/D.KT/2026",
                                        tanggal=dt.date.today(), dokumen=a_pdf())  # fmt: skip
    assert usulan.status == "ditolak" and usulan.pertimbangan_dokumen is not None and usulan.aplikasi is None


def _approve(who, usulan):
    with acting(who.kominfo):
        usulan = svc.tandai_dikirim(who.kominfo, usulan)
        return svc.catat_pertimbangan(who.kominfo, usulan, keputusan="disetujui", nomor="B/12/D.KT.02/2026",
                                      tanggal=dt.date.today(), dokumen=a_pdf())  # fmt: skip


def _fresh_rka(chain):
    """A pergeseran round on top of the chain: a draft copy of Dinas Alfa's RKA, submitted to TAPD."""
    from terpadu.anggaran import services_rka

    with acting(None, via="command"):
        tahap = services_rka.buka_tahap(None, chain.tahun, "pergeseran")
        rka = tahap.rka.get(sub_kegiatan=chain.sub)
        return services_rka.ajukan(None, rka)


def test_budget_gate_end_to_end_with_and_without_pertimbangan(chain, city, who, settings, tmp_path):
    from terpadu.anggaran import services_rka

    settings.MEDIA_ROOT = str(tmp_path)
    ref = naskah_reference(city)
    rka = _fresh_rka(chain)
    usulan = _draft(who, city.dinas_a, sub=chain.sub)
    assert not svc.pertimbangan_disetujui(chain.sub)
    # without a pertimbangan TAPD is refused, naming the application and what is missing
    with acting(None, via="command"), pytest.raises(ValidationError) as excinfo:
        services_rka.setujui(None, rka)
    message = " ".join(excinfo.value.messages)
    assert "SIM Reklame" in message and "pertimbangan" in message and "2.16.03.2.02.0023" in message
    rka.refresh_from_db()
    assert rka.status == "diajukan"
    # proposal → review → recommend → cover letter → pertimbangan approved
    usulan = _to_recommended(who, usulan)
    with acting(who.kominfo):
        svc.buat_surat_pengantar(who.kominfo, usulan, klasifikasi=ref.klasifikasi)
    usulan = _approve(who, usulan)
    assert usulan.status == "disetujui" and svc.pertimbangan_disetujui(chain.sub)
    app = usulan.aplikasi
    assert app.jenis == "khusus" and app.status == "usulan" and app.unit == city.dinas_a
    assert svc.check_budget(chain.sub) == []
    with acting(None, via="command"):
        rka = services_rka.setujui(None, rka)
    assert rka.status == "disetujui"


def test_budget_gate_catches_a_catalogue_application_budgeted_through_ict_spending(chain, city, who):
    from terpadu.anggaran import services_rka

    app = Aplikasi.objects.create(nama="Dashboard Kota Cerdas", jenis="khusus", unit=city.dinas_a,
                                  fungsi_bisnis="Dasbor", status="pengembangan")  # fmt: skip
    BelanjaTik.objects.create(tahun=chain.tahun, unit=city.dinas_a, dpa_baris=chain.dpa["5.2.02.10.02.0004"],
                              uraian="Switch", kategori="perangkat_keras", sumber="dpa", aplikasi=app)  # fmt: skip
    reasons = svc.check_budget(chain.sub)
    assert len(reasons) == 1 and "Dashboard Kota Cerdas" in reasons[0] and "in development" in reasons[0]
    assert svc.check_budget(chain.sub2) == []  # another sub kegiatan is not blocked
    rka = _fresh_rka(chain)
    with acting(None, via="command"), pytest.raises(ValidationError, match="Dashboard Kota Cerdas"):
        services_rka.setujui(None, rka)
    # an application in operation is not new: nothing blocks
    Aplikasi.objects.filter(pk=app.pk).update(status="operasi", tanggal_operasi=dt.date(2025, 1, 1))
    assert svc.check_budget(chain.sub) == []
    with acting(None, via="command"):
        assert services_rka.setujui(None, rka).status == "disetujui"


def test_a_rejected_proposal_keeps_blocking(chain, city, who, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    usulan = _to_recommended(who, _draft(who, city.dinas_a, sub=chain.sub))
    with acting(who.kominfo):
        usulan = svc.tandai_dikirim(who.kominfo, usulan)
        svc.catat_pertimbangan(who.kominfo, usulan, keputusan="ditolak", nomor="B/9/2026",
                               tanggal=dt.date.today(), dokumen=a_pdf())  # fmt: skip
    (reason,) = svc.check_budget(chain.sub)
    assert "rejected" in reason and "B/9/2026" in reason
    assert UsulanAplikasi.objects.get(pk=usulan.pk).aplikasi is None
